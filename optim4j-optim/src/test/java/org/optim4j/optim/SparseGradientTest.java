package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * Sparse gradients: SGD applies them as PyTorch does (checked against the same run with the gradients made
 * dense); Adam and fused SGD reject them with PyTorch's messages, before changing anything.
 */
class SparseGradientTest {

  /** An uncoalesced sparse gradient of a [4, 2] parameter: rows 1, 3 and 1 again. */
  private static Tensor sparseGrad(double scale) {
    Tensor indices = Tensor.of(new long[] {1, 3, 1}, 1, 3);
    Tensor values = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).mul(scale);
    return Tensor.sparseCoo(indices, values, 4, 2);
  }

  private static Tensor param() {
    return Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2).requiresGrad_(true);
  }

  private static void assertSameAsDense(SGD.Options options) {
    Tensor sparse = param();
    Tensor dense = param();
    SGD a = new SGD(List.of(sparse), options);
    SGD b = new SGD(List.of(dense), options);
    for (int t = 1; t <= 4; t++) {
      sparse.setGrad(sparseGrad(t));
      dense.setGrad(sparseGrad(t).toDense());
      a.step();
      b.step();
      assertArrayEquals(dense.toDoubleArray(), sparse.toDoubleArray(), 1e-14, "step " + t);
    }
  }

  @Test
  void sgdAppliesSparseGradientsLikeDenseOnes() {
    assertSameAsDense(SGD.options().lr(0.1));
    assertSameAsDense(SGD.options().lr(0.1).maximize(true));
    assertSameAsDense(SGD.options().lr(0.1).momentum(0.9).dampening(0.2));
    assertSameAsDense(SGD.options().lr(0.1).momentum(0.9).nesterov(true));
  }

  @Test
  void sgdMomentumBuffersOfSparseGradientsStaySparse() {
    Tensor p = param();
    SGD sgd = new SGD(List.of(p), SGD.options().momentum(0.5));
    p.setGrad(sparseGrad(1));
    sgd.step();
    sgd.step();
    Tensor buf = (Tensor) sgd.state(p).get("momentum_buffer");
    assertTrue(buf.isSparse());
    assertArrayEquals(sparseGrad(1).toDense().mul(1.5).toDoubleArray(), buf.toDense().toDoubleArray(), 1e-15);
  }

  @Test
  void weightDecayAndFusedRejectSparseGradients() {
    Tensor p = param();
    p.setGrad(sparseGrad(1));
    SGD decay = new SGD(List.of(p), SGD.options().weightDecay(0.1));
    assertEquals("add(sparse, dense) is not supported. Use add(dense, sparse) instead.",
        assertThrows(IllegalStateException.class, decay::step).getMessage());
    SGD fused = new SGD(List.of(p), SGD.options().fused(true));
    assertEquals("`_fused_sgd` does not support sparse gradients",
        assertThrows(IllegalStateException.class, fused::step).getMessage());
  }

  @Test
  void adamRejectsSparseGradientsBeforeUpdatingAnything() {
    Tensor dense = Tensor.of(new double[] {1, 2}).requiresGrad_(true);
    Tensor sparse = param();
    Adam adam = new Adam(List.of(ParamGroup.of(dense), ParamGroup.of(sparse)));
    dense.setGrad(Tensor.of(new double[] {1, 1}));
    sparse.setGrad(sparseGrad(1));
    IllegalStateException e = assertThrows(IllegalStateException.class, adam::step);
    assertEquals("Adam does not support sparse gradients, please consider SparseAdam instead", e.getMessage());
    assertArrayEquals(new double[] {1, 2}, dense.toDoubleArray());
    assertFalse(((java.util.Map<?, ?>) adam.stateDict().get("state")).containsKey(0));
    AdamW adamw = new AdamW(List.of(sparse));
    assertEquals(e.getMessage(), assertThrows(IllegalStateException.class, adamw::step).getMessage());
    assertEquals(DType.FLOAT64, sparse.dtype());
  }
}
