package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/** Module.to(dtype): floating members converted, integer buffers kept, fields re-pointed. */
class ToDTypeTest {

  @Test
  void convertsParametersBuffersAndGradients() {
    TestModels.M m = new TestModels.M();
    float[] w = m.head.weight().toFloatArray();
    Parameter before = m.head.weight();
    before.setGrad(Tensor.full(0.5, 2, 2));
    assertSame(m, m.to(DType.FLOAT64));
    for (Parameter p : m.parameters()) {
      assertEquals(DType.FLOAT64, p.dtype());
      assertTrue(p.requiresGrad());
      assertTrue(p.isLeaf());
    }
    assertNotSame(before, m.head.weight());
    double[] widened = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      widened[i] = w[i];
    }
    assertArrayEquals(widened, m.head.weight().toDoubleArray());
    assertEquals(DType.FLOAT64, m.head.weight().grad().dtype());
    assertEquals(DType.FLOAT64, m.getBuffer("layers.2.1.running_mean").dtype());
    assertEquals(DType.FLOAT64, m.getBuffer("tmp").dtype());
    assertEquals(DType.INT64, m.getBuffer("layers.2.1.num_batches_tracked").dtype());
    assertSame(m.getParameter("scale"), m.scale);
    assertSame(m.head.weight(), m.shared.weight());
    assertEquals(11, m.parameters().size());
    m.eval();
    assertEquals(DType.FLOAT64, m.apply(Tensor.randn(3, 4).to(DType.FLOAT64)).dtype());
  }

  @Test
  void parametersListedAfterToAreTheConvertedOnes() {
    Linear l = new Linear(3, 2);
    List<Parameter> old = l.parameters();
    l.to(DType.FLOAT64);
    List<Parameter> now = l.parameters();
    assertSame(l.weight(), now.get(0));
    assertNotSame(old.get(0), now.get(0));
    Parameter kept = l.weight();
    l.to(DType.FLOAT64);
    assertSame(kept, l.weight());
  }

  @Test
  void onlyFloatingTypes() {
    assertEquals("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64",
        assertThrows(IllegalArgumentException.class, () -> new Linear(2, 2).to(DType.INT64)).getMessage());
  }
}
