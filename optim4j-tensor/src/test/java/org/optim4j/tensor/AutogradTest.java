package org.optim4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Engine behaviour checked against closed forms (the per-op numbers are in the fixture parity tests). */
class AutogradTest {

  @Test
  void gradientsAccumulateAcrossBackwardCalls() {
    Tensor x = Tensor.of(new double[] {1, 2, 3}).requiresGrad_(true);
    x.mul(x).sum().backward();
    x.mul(3).sum().backward();
    assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray());
  }

  @Test
  void aTensorUsedTwiceGetsTheSumOfBothPaths() {
    Tensor x = Tensor.of(new double[] {2}).requiresGrad_(true);
    Tensor y = x.mul(x).add(x.exp());
    y.sum().backward();
    assertEquals(4 + Math.exp(2), x.grad().item(), 1e-15);
  }

  @Test
  void deepChainDoesNotOverflowTheStack() {
    Tensor x = Tensor.of(new double[] {1}).requiresGrad_(true);
    Tensor y = x;
    for (int i = 0; i < 100_000; i++) {
      y = y.add(1e-6);
    }
    y.sum().backward();
    assertEquals(1.0, x.grad().item());
  }

  @Test
  void retainGradKeepsNonLeafGradient() {
    Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad_(true);
    Tensor h = x.mul(3);
    h.retainGrad();
    Tensor plain = x.mul(2);
    h.mul(h).add(plain).sum().backward();
    assertArrayEquals(new double[] {6, 12}, h.grad().toDoubleArray());
    assertNull(plain.grad());
    assertArrayEquals(new double[] {20, 38}, x.grad().toDoubleArray());
  }

  @Test
  @SuppressWarnings("try")
  void noGradRecordsNothingAndRestoresTheMode() {
    Tensor x = Tensor.ones(2).requiresGrad_(true);
    Tensor y;
    try (var ng = GradMode.noGrad()) {
      y = x.mul(2);
      try (var eg = GradMode.enableGrad()) {
        assertTrue(x.mul(2).requiresGrad());
      }
      assertFalse(GradMode.isEnabled());
    }
    assertTrue(GradMode.isEnabled());
    assertFalse(y.requiresGrad());
    assertNull(y.gradFn());
  }

  @Test
  @SuppressWarnings("try")
  void gradModeIsPerThread() throws InterruptedException {
    boolean[] seen = new boolean[1];
    try (var ng = GradMode.noGrad()) {
      Thread t = new Thread(() -> seen[0] = GradMode.isEnabled());
      t.start();
      t.join();
    }
    assertTrue(seen[0]);
  }

  @Test
  void detachSharesDataButNotHistory() {
    Tensor x = Tensor.ones(2).requiresGrad_(true);
    Tensor d = x.mul(2).detach();
    assertFalse(d.requiresGrad());
    assertTrue(d.isLeaf());
  }

  @Test
  void inPlaceOnNonLeafIsDifferentiated() {
    Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad_(true);
    Tensor y = x.mul(2);
    y.mul_(3).add_(1);
    assertEquals("AddBackward0", y.gradFn().name());
    y.sum().backward();
    assertArrayEquals(new double[] {6, 6}, x.grad().toDoubleArray());
    assertEquals(2, y.version());
  }

  @Test
  void broadcastingIsUndoneInGradients() {
    Tensor a = Tensor.ones(DType.FLOAT64, 2, 3).requiresGrad_(true);
    Tensor b = Tensor.ones(DType.FLOAT64, 3).requiresGrad_(true);
    Tensor c = Tensor.ones(DType.FLOAT64, 2, 1).requiresGrad_(true);
    a.mul(b).mul(c).sum().backward();
    assertArrayEquals(new int[] {3}, b.grad().shape());
    assertArrayEquals(new double[] {2, 2, 2}, b.grad().toDoubleArray());
    assertArrayEquals(new double[] {3, 3}, c.grad().toDoubleArray());
  }

  @Test
  void mixedDtypeGradientsKeepTheInputDtype() {
    Tensor a = Tensor.ones(DType.FLOAT32, 2).requiresGrad_(true);
    Tensor b = Tensor.ones(DType.FLOAT64, 2).requiresGrad_(true);
    Tensor c = a.mul(b);
    assertEquals(DType.FLOAT64, c.dtype());
    c.sum().backward();
    assertEquals(DType.FLOAT32, a.grad().dtype());
    assertEquals(DType.FLOAT64, b.grad().dtype());
  }

  @Test
  void viewsShareStorageAndVersion() {
    Tensor x = Tensor.zeros(2, 3);
    Tensor row = x.select(0, 1);
    row.fill_(5);
    assertArrayEquals(new float[] {0, 0, 0, 5, 5, 5}, x.toFloatArray());
    assertEquals(1, x.version());
    assertSame(Boolean.TRUE, row.isView());
  }

  @Test
  void sparseGradientsAccumulateAndDensify() {
    Tensor idx = Tensor.of(new long[] {0, 2, 0}, 1, 3);
    Tensor vals = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    Tensor s = Tensor.sparseCoo(idx, vals, 3, 2);
    Tensor c = s.coalesce();
    assertArrayEquals(new long[] {0, 2}, c.indices().toLongArray());
    assertArrayEquals(new double[] {6, 8, 3, 4}, c.values().toDoubleArray());
    assertArrayEquals(new double[] {6, 8, 0, 0, 3, 4}, s.toDense().toDoubleArray());
    Tensor p = Tensor.zeros(DType.FLOAT64, 3, 2);
    p.accumulateGrad(s);
    p.accumulateGrad(s);
    assertTrue(p.grad().isSparse());
    assertArrayEquals(new double[] {12, 16, 0, 0, 6, 8}, p.grad().toDense().toDoubleArray());
  }

  @Test
  void float32ScalarOperandIsRoundedFirstAndAddAlphaIsFused() {
    float a = 0.1f;
    float b = 0.7f;
    Tensor t = Tensor.of(new float[] {a});
    assertEquals(a * (float) 0.3, (float) t.mul(0.3).item());
    Tensor u = Tensor.of(new float[] {a});
    u.add_(Tensor.of(new float[] {b}), 0.3);
    assertEquals(Math.fma(b, (float) 0.3, a), (float) u.item());
  }

  @Test
  void bfloat16RoundsToNearestEven() {
    Tensor t = Tensor.of(new float[] {1.00390625f, 1.01171875f, Float.NaN}).to(DType.BFLOAT16);
    assertArrayEquals(new float[] {1.0f, 1.015625f, Float.NaN}, t.toFloatArray());
  }
}
