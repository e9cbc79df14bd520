package org.optim4j.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.optim4j.nn.BatchNorm2d;
import org.optim4j.nn.Conv2d;
import org.optim4j.nn.Embedding;
import org.optim4j.nn.Linear;
import org.optim4j.nn.Parameter;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * Default initialisation and the init functions: exact bounds, and sample moments within {@value
 * #SIGMAS} standard errors of the distribution's (closed forms: U(−b, b) has variance b²/3 and E[x⁴] =
 * b⁴/5; N(0, s²) has E[x⁴] = 3s⁴).
 */
class InitTest {
  /** How many standard errors a sample moment may be from its expected value. */
  private static final double SIGMAS = 5;

  /** Asserts every value lies in [−bound, bound] (bound rounded to float32) and the extremes come near it. */
  private static void assertUniform(String what, float[] v, double bound) {
    float b = (float) bound;
    double maxAbs = 0;
    double sum = 0;
    double sumSq = 0;
    for (float x : v) {
      assertTrue(Math.abs(x) <= b, what + ": " + x + " outside ±" + b);
      maxAbs = Math.max(maxAbs, Math.abs(x));
      sum += x;
      sumSq += (double) x * x;
    }
    int n = v.length;
    double variance = bound * bound / 3;
    assertTrue(Math.abs(sum / n) <= SIGMAS * Math.sqrt(variance / n), what + " mean " + sum / n);
    double fourth = Math.pow(bound, 4) / 5;
    double seVariance = Math.sqrt((fourth - variance * variance) / n);
    assertTrue(Math.abs(sumSq / n - variance) <= SIGMAS * seVariance, what + " variance " + sumSq / n);
    if (n >= 1000) {
      assertTrue(maxAbs > 0.99 * bound, what + " max |x| " + maxAbs + " far below " + bound);
    }
  }

  private static void assertNormal(String what, double[] v, double mean, double std) {
    double sum = 0;
    double sumSq = 0;
    for (double x : v) {
      sum += x - mean;
      sumSq += (x - mean) * (x - mean);
    }
    int n = v.length;
    double variance = std * std;
    assertTrue(Math.abs(sum / n) <= SIGMAS * std / Math.sqrt(n), what + " mean " + (mean + sum / n));
    double seVariance = Math.sqrt((3 * variance * variance - variance * variance) / n);
    assertTrue(Math.abs(sumSq / n - variance) <= SIGMAS * seVariance, what + " variance " + sumSq / n);
  }

  @Test
  void linearDefaultIsUniformWithBoundOneOverSqrtFanIn() {
    Linear big = new Linear(1000, 1000);
    assertUniform("Linear(1000,1000).weight", big.weight().toFloatArray(), 1 / Math.sqrt(1000));
    assertUniform("Linear(1000,1000).bias", big.bias().toFloatArray(), 1 / Math.sqrt(1000));
    Linear small = new Linear(784, 10);
    assertUniform("Linear(784,10).weight", small.weight().toFloatArray(), 1 / Math.sqrt(784));
    assertUniform("Linear(784,10).bias", small.bias().toFloatArray(), 1 / Math.sqrt(784));
    assertTrue(big.weight().requiresGrad() && big.weight().isLeaf());
    assertNull(big.weight().grad());
  }

  @Test
  void conv2dDefaultUsesTheReceptiveField() {
    Conv2d conv = new Conv2d(32, 64, 5);
    assertArrayEquals(new int[] {64, 32, 5, 5}, conv.weight().shape());
    assertUniform("Conv2d(32,64,5).weight", conv.weight().toFloatArray(), 1 / Math.sqrt(32 * 25));
    assertUniform("Conv2d(32,64,5).bias", conv.bias().toFloatArray(), 1 / Math.sqrt(32 * 25));
    Conv2d grouped = new Conv2d(4, 8, 3, 1, 0, 1, 2, true);
    assertArrayEquals(new int[] {8, 2, 3, 3}, grouped.weight().shape());
    assertUniform("grouped weight", grouped.weight().toFloatArray(), 1 / Math.sqrt(2 * 9));
  }

  @Test
  void embeddingIsStandardNormalWithAZeroPaddingRow() {
    Embedding e = new Embedding(1000, 100, 3);
    double[] w = e.weight().toDoubleArray();
    assertNormal("Embedding weight", w, 0, 1);
    for (int j = 0; j < 100; j++) {
      assertEquals(0.0, w[3 * 100 + j]);
    }
  }

  @Test
  void batchNormStartsAtIdentity() {
    BatchNorm2d bn = new BatchNorm2d(3);
    assertArrayEquals(new float[] {1, 1, 1}, bn.weight().toFloatArray());
    assertArrayEquals(new float[] {0, 0, 0}, bn.bias().toFloatArray());
    assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().toFloatArray());
    assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().toFloatArray());
    assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
    assertEquals(0, bn.numBatchesTracked().dim());
    assertEquals(0, bn.numBatchesTracked().item());
    assertFalse(bn.runningMean().requiresGrad());
  }

  @Test
  void gainsAreTorchs() {
    // repr(nn.init.calculate_gain(...)) in PyTorch
    assertEquals(1, Init.calculateGain("linear"));
    assertEquals(1, Init.calculateGain("conv2d"));
    assertEquals(1, Init.calculateGain("sigmoid"));
    assertEquals(1.6666666666666667, Init.calculateGain("tanh"));
    assertEquals(1.4142135623730951, Init.calculateGain("relu"));
    assertEquals(1.4141428569978354, Init.calculateGain("leaky_relu"));
    assertEquals(1.3867504905630728, Init.calculateGain("leaky_relu", 0.2));
    assertEquals(0.5773502691896257, Init.calculateGain("leaky_relu", Math.sqrt(5)));
    assertEquals(0.75, Init.calculateGain("selu"));
    assertEquals("Unsupported nonlinearity foo",
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("foo")).getMessage());
  }

  @Test
  void fansAndTheirErrors() {
    assertArrayEquals(new int[] {800, 1600}, Init.calculateFanInAndFanOut(Tensor.zeros(64, 32, 5, 5)));
    assertArrayEquals(new int[] {5, 3}, Init.calculateFanInAndFanOut(Tensor.zeros(3, 5)));
    assertEquals("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
        assertThrows(IllegalArgumentException.class, () -> Init.kaimingUniform_(Tensor.zeros(3))).getMessage());
    assertEquals("Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']", assertThrows(
        IllegalArgumentException.class, () -> Init.kaimingUniform_(Tensor.zeros(3, 3), 0, "fan_avg", "relu"))
        .getMessage());
  }

  @Test
  void xavierAndKaimingDistributions() {
    Tensor t = Tensor.zeros(400, 600);
    Init.xavierUniform_(t, 2.0);
    assertUniform("xavier_uniform", t.toFloatArray(), 2.0 * Math.sqrt(6.0 / 1000));
    Init.kaimingUniform_(t, 0, "fan_out", "relu");
    assertUniform("kaiming_uniform fan_out", t.toFloatArray(), Math.sqrt(2) * Math.sqrt(3.0 / 400));
    Tensor d = Tensor.zeros(DType.FLOAT64, 400, 600);
    Init.xavierNormal_(d);
    assertNormal("xavier_normal", d.toDoubleArray(), 0, Math.sqrt(2.0 / 1000));
    Init.kaimingNormal_(d, 0, "fan_in", "relu");
    assertNormal("kaiming_normal", d.toDoubleArray(), 0, Math.sqrt(2) / Math.sqrt(600));
    Init.normal_(d, 3, 0.5);
    assertNormal("normal", d.toDoubleArray(), 3, 0.5);
    Init.uniform_(d, 1, 3);
    double[] u = d.toDoubleArray();
    for (int i = 0; i < u.length; i++) {
      u[i] -= 2;
    }
    float[] centred = Tensor.of(u, 400, 600).to(DType.FLOAT32).toFloatArray();
    assertUniform("uniform(1, 3) − 2", centred, 1);
  }

  @Test
  void fillsWorkOnParametersAndGeneratorsReproduce() {
    Parameter p = new Parameter(Tensor.zeros(3, 4));
    assertSame(p, Init.constant_(p, 2.5));
    assertArrayEquals(Tensor.full(2.5, 3, 4).toFloatArray(), p.toFloatArray());
    Init.ones_(p);
    assertEquals(12.0, p.sum().item());
    Init.zeros_(p);
    assertEquals(0.0, p.abs().sum().item());
    assertTrue(p.isLeaf() && p.requiresGrad());
    Init.kaimingUniform_(p, Math.sqrt(5), "fan_in", "leaky_relu", new Generator(7));
    float[] first = p.toFloatArray();
    Init.kaimingUniform_(p, Math.sqrt(5), "fan_in", "leaky_relu", new Generator(7));
    assertArrayEquals(first, p.toFloatArray());
    Init.kaimingUniform_(p, Math.sqrt(5), "fan_in", "leaky_relu", new Generator(8));
    assertFalse(java.util.Arrays.equals(first, p.toFloatArray()));
    Linear a = new Linear(5, 3);
    Linear b = new Linear(5, 3);
    a.resetParameters(new Generator(1));
    b.resetParameters(new Generator(1));
    assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
    assertArrayEquals(a.bias().toFloatArray(), b.bias().toFloatArray());
    Tensor scalar = Tensor.scalar(0.0);
    Init.normal_(scalar);
    assertEquals(0, scalar.dim());
    assertSame(Tensor.class, Init.kaimingUniform_(Tensor.zeros(0, 3)).getClass());
  }
}
