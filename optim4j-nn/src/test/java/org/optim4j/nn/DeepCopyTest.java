package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/** deepCopy gives an independent tree with the same structure, values and sharing. */
class DeepCopyTest {

  @Test
  @SuppressWarnings("try")
  void copyIsIndependentWithEqualValues() {
    TestModels.M m = new TestModels.M();
    m.eval();
    m.head.weight().setGrad(Tensor.ones(2, 2));
    TestModels.M c = (TestModels.M) m.deepCopy();
    assertEquals(m.toString(), c.toString());
    assertEquals(List.copyOf(m.stateDict().keySet()), List.copyOf(c.stateDict().keySet()));
    assertFalse(c.isTraining());
    Map<String, Tensor> original = m.stateDict();
    for (Map.Entry<String, Tensor> e : c.stateDict().entrySet()) {
      Tensor o = original.get(e.getKey());
      assertFalse(e.getValue().sharesStorageWith(o), e.getKey());
      assertEquals(o.dtype(), e.getValue().dtype(), e.getKey());
      assertArrayEquals(o.toDoubleArray(), e.getValue().toDoubleArray(), e.getKey());
    }
    for (Parameter p : c.parameters()) {
      assertTrue(p.requiresGrad());
      assertNull(p.grad());
      assertTrue(m.parameters().stream().noneMatch(q -> q == p));
    }
    try (var noGrad = GradMode.noGrad()) {
      c.getParameter("layers.0.weight").fill_(5);
      ((BatchNorm) c.getSubmodule("layers.2.1")).runningMean().fill_(3);
    }
    assertTrue(m.getParameter("layers.0.weight").toFloatArray()[0] != 5);
    assertEquals(0.0, ((BatchNorm) m.getSubmodule("layers.2.1")).runningMean().abs().sum().item());
    assertEquals(DType.INT64, c.getBuffer("layers.2.1.num_batches_tracked").dtype());
  }

  @Test
  void sharingIsPreservedAndFieldsPointIntoTheCopy() {
    TestModels.M m = new TestModels.M();
    TestModels.M c = (TestModels.M) m.deepCopy();
    assertNotSame(m.head, c.head);
    assertSame(c.getSubmodule("head"), c.head);
    assertSame(c.head, c.shared);
    assertSame(c.getSubmodule("shared"), c.head);
    assertSame(c.getSubmodule("layers"), c.layers);
    assertSame(c.getParameter("scale"), c.scale);
    assertEquals(11, c.parameters().size());
    Tensor x = Tensor.randn(3, 4);
    m.eval();
    c.eval();
    assertArrayEquals(m.apply(x).toFloatArray(), c.apply(x).toFloatArray());
  }
}
