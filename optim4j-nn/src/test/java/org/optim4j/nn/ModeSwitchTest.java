package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * train()/eval() switch Dropout and BatchNorm, checked against closed forms: dropout keeps {@code x /
 * (1 − p)} or 0 with a zero fraction within {@value #SIGMAS} binomial standard errors of p; batch norm
 * normalises with the batch statistics and updates the running ones with momentum, or with a
 * cumulative average when momentum is null.
 */
class ModeSwitchTest {
  private static final double SIGMAS = 5;

  @Test
  void dropoutZeroesAndScalesInTrainingAndIsTheIdentityInEval() {
    Dropout d = new Dropout(0.2).generator(new Generator(3));
    Tensor x = Tensor.rand(new Generator(4), DType.FLOAT64, 200, 100).add(1);
    double[] in = x.toDoubleArray();
    double[] out = d.apply(x).toDoubleArray();
    int zeros = 0;
    for (int i = 0; i < in.length; i++) {
      if (out[i] == 0) {
        zeros++;
      } else {
        assertEquals(in[i] / 0.8, out[i], 1e-12 * Math.abs(out[i]));
      }
    }
    int n = in.length;
    assertTrue(Math.abs(zeros - 0.2 * n) <= SIGMAS * Math.sqrt(n * 0.2 * 0.8), zeros + " zeros of " + n);
    d.eval();
    assertArrayEquals(in, d.apply(x).toDoubleArray());
    TestModels.mlp().eval().modules().forEach(m -> assertTrue(!m.isTraining()));
  }

  @Test
  void dropoutMasksRepeatWithTheSameGenerator() {
    Tensor x = Tensor.ones(10, 10);
    float[] a = new Dropout(0.5).generator(new Generator(9)).apply(x).toFloatArray();
    float[] b = new Dropout(0.5).generator(new Generator(9)).apply(x).toFloatArray();
    assertArrayEquals(a, b);
  }

  @Test
  void batchNormUsesBatchStatisticsInTrainingAndRunningOnesInEval() {
    BatchNorm1d bn = new BatchNorm1d(2);
    bn.to(DType.FLOAT64);
    double[] data = {1, 10, 2, 20, 3, 60, 6, 30};
    Tensor x = Tensor.of(data, 4, 2);
    double[] mean = {3, 30};
    double[] biasedVar = {3.5, 350};
    double[] unbiasedVar = {14.0 / 3, 1400.0 / 3};
    double[] y = bn.apply(x).toDoubleArray();
    for (int i = 0; i < 4; i++) {
      for (int c = 0; c < 2; c++) {
        assertEquals((data[2 * i + c] - mean[c]) / Math.sqrt(biasedVar[c] + 1e-5), y[2 * i + c], 1e-12);
      }
    }
    assertArrayEquals(new double[] {0.1 * 3, 0.1 * 30}, bn.runningMean().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0.9 + 0.1 * unbiasedVar[0], 0.9 + 0.1 * unbiasedVar[1]},
        bn.runningVar().toDoubleArray(), 1e-12);
    assertEquals(1, bn.numBatchesTracked().item());
    bn.eval();
    double[] rm = bn.runningMean().toDoubleArray();
    double[] rv = bn.runningVar().toDoubleArray();
    double[] z = bn.apply(x).toDoubleArray();
    for (int i = 0; i < 4; i++) {
      for (int c = 0; c < 2; c++) {
        assertEquals((data[2 * i + c] - rm[c]) / Math.sqrt(rv[c] + 1e-5), z[2 * i + c], 1e-12);
      }
    }
    assertArrayEquals(rm, bn.runningMean().toDoubleArray());
    assertEquals(1, bn.numBatchesTracked().item());
  }

  @Test
  void momentumNoneIsACumulativeAverage() {
    BatchNorm1d bn = new BatchNorm1d(1, 1e-5, null, true, true);
    bn.to(DType.FLOAT64);
    bn.apply(Tensor.of(new double[] {0, 2}, 2, 1));
    bn.apply(Tensor.of(new double[] {4, 8}, 2, 1));
    bn.apply(Tensor.of(new double[] {-1, -1}, 2, 1));
    assertEquals(3, bn.numBatchesTracked().item());
    assertEquals((1 + 6 - 1) / 3.0, bn.runningMean().item(), 1e-12);
    assertEquals((2 + 8 + 0) / 3.0, bn.runningVar().item(), 1e-12);
  }

  @Test
  void untrackedStatisticsAlwaysUseTheBatch() {
    BatchNorm1d bn = new BatchNorm1d(1, 1e-5, 0.1, false, false);
    bn.eval();
    double[] y = bn.apply(Tensor.of(new float[] {1, 3}, 2, 1)).toDoubleArray();
    assertEquals(-1.0, y[0], 1e-5);
    assertEquals(1.0, y[1], 1e-5);
  }
}
