package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.optim4j.optim.internal.NewtonSchulz;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * Muon's bfloat16 Newton–Schulz orthogonalisation against PyTorch (the {@code ns_*} cases of
 * fixtures/optim_matrix/api.json): bit for bit for every shape up to 64×64 and for a 256×128 matrix (its row and
 * column sums and a sample); the singular values of the result; PyTorch 2.14's {@code spectral_unclamped}
 * against its closed form; the errors PyTorch raises at step time.
 */
class MuonTest {
  private static final Fixtures F = Fixtures.load("optim_matrix/api.json");
  /** Bounds of the singular values of the orthogonalised update (Keller Jordan's quintic: about 0.7 to 1.2). */
  private static final double SIGMA_MIN = 0.5;
  private static final double SIGMA_MAX = 1.5;

  @TestFactory
  Stream<DynamicTest> newtonSchulzMatchesPyTorchBitForBit() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : F.cases()) {
      if (c.startsWith("ns_") && !c.equals("ns_large_256x128")) {
        tests.add(DynamicTest.dynamicTest(c, () -> {
          FixtureTensor grad = F.tensor(c, "grad");
          int rows = grad.shape()[0];
          int cols = grad.shape()[1];
          float[] update = orthogonalize(c, grad.dtype().equals("float64")
              ? NewtonSchulz.toBFloat16(grad.data()) : NewtonSchulz.toBFloat16(floats(grad.data())), rows, cols);
          assertArrayEquals(floats(F.tensor(c, "update").data()), update, 0f, c);
        }));
      }
    }
    return tests.stream();
  }

  private static float[] orthogonalize(String c, float[] x, int rows, int cols) {
    Map<String, Object> config = F.config(c);
    List<?> k = (List<?>) config.get("coefficients");
    return NewtonSchulz.orthogonalize(x, rows, cols, ((Number) k.get(0)).doubleValue(),
        ((Number) k.get(1)).doubleValue(), ((Number) k.get(2)).doubleValue(), (Integer) config.get("steps"),
        ((Number) config.get("eps")).doubleValue());
  }

  private static float[] floats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** The generator's {@code lcg_matrix}: values v/128, v in [-255, 255], from a 31-bit LCG. */
  static float[] lcgMatrix(int rows, int cols) {
    long state = 12345;
    float[] out = new float[rows * cols];
    for (int i = 0; i < out.length; i++) {
      state = (state * 1103515245L + 12345) % (1L << 31);
      out[i] = ((state >> 8) % 511 - 255) / 128f;
    }
    return out;
  }

  /** The 256×128 case: PyTorch's row sums, column sums and every 97th element, exactly. */
  @Test
  void aLargeMatrixMatchesPyTorch() {
    String c = "ns_large_256x128";
    int rows = 256;
    int cols = 128;
    float[] update = orthogonalize(c, NewtonSchulz.toBFloat16(lcgMatrix(rows, cols)), rows, cols);
    double[] rowSums = new double[rows];
    double[] colSums = new double[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        rowSums[i] += update[i * cols + j];
        colSums[j] += update[i * cols + j];
      }
    }
    assertArrayEquals(F.tensor(c, "row_sums").data(), rowSums, 0.0, "row sums");
    assertArrayEquals(F.tensor(c, "col_sums").data(), colSums, 0.0, "column sums");
    double[] sample = F.tensor(c, "sample").data();
    int every = (Integer) F.config(c).get("sample_every");
    for (int s = 0; s < sample.length; s++) {
      assertEquals(sample[s], update[s * every], 0.0, "element " + s * every);
    }
    assertSingularValuesInRange(update, rows, cols);
  }

  @ParameterizedTest
  @CsvSource({"64, 32", "32, 64", "256, 128", "40, 17"})
  void theUpdateIsNearlyOrthogonal(int rows, int cols) {
    Tensor g = Tensor.randn(new Generator(rows * 1000L + cols), DType.FLOAT32, rows, cols);
    float[] update = NewtonSchulz.orthogonalize(NewtonSchulz.toBFloat16(g.toFloatArray()), rows, cols, 3.4445,
        -4.7750, 2.0315, 5, 1e-7);
    assertSingularValuesInRange(update, rows, cols);
  }

  /** The singular values of {@code m}: the square roots of the eigenvalues of its smaller Gram matrix (Jacobi). */
  private static void assertSingularValuesInRange(float[] m, int rows, int cols) {
    int n = Math.min(rows, cols);
    double[][] gram = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < Math.max(rows, cols); k++) {
          s += rows <= cols ? (double) m[i * cols + k] * m[j * cols + k] : (double) m[k * cols + i] * m[k * cols + j];
        }
        gram[i][j] = s;
      }
    }
    for (double eigenvalue : jacobiEigenvalues(gram)) {
      double sigma = Math.sqrt(Math.max(eigenvalue, 0));
      assertTrue(sigma >= SIGMA_MIN && sigma <= SIGMA_MAX, "singular value " + sigma + " of a " + rows + "x" + cols
          + " update");
    }
  }

  /** The eigenvalues of a symmetric matrix by cyclic Jacobi rotations (modified in place). */
  static double[] jacobiEigenvalues(double[][] a) {
    int n = a.length;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-22) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
        }
      }
    }
    double[] eigenvalues = new double[n];
    for (int i = 0; i < n; i++) {
      eigenvalues[i] = a[i][i];
    }
    return eigenvalues;
  }

  @Test
  void jacobiFindsKnownEigenvalues() {
    double[] e = jacobiEigenvalues(new double[][] {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}});
    java.util.Arrays.sort(e);
    assertArrayEquals(new double[] {1, 3, 5}, e, 1e-12);
  }

  /**
   * PyTorch 2.14's {@code adjust_lr_fn="spectral_unclamped"} scales the update by √(A/B), also below 1 for a wide
   * matrix, where {@code "original"} clamps the ratio to at least 1.
   */
  @ParameterizedTest
  @CsvSource({"3, 12, 0.5", "12, 3, 2.0", "5, 5, 1.0"})
  void spectralUnclampedScalesByTheSquareRootOfTheAspectRatio(int rows, int cols, double expectedRatio) {
    Tensor init = Tensor.randn(new Generator(7), DType.FLOAT64, rows, cols);
    Tensor grad = Tensor.randn(new Generator(8), DType.FLOAT64, rows, cols);
    double lr = 0.02;
    double original = Math.sqrt(Math.max(1, (double) rows / cols));
    double[] deltaSpectral = delta(init, grad, lr, "spectral_unclamped");
    double[] deltaOriginal = delta(init, grad, lr, "original");
    double[] deltaNone = delta(init, grad, lr, null);
    assertArrayEquals(deltaOriginal, deltaNone, 0.0, "null means original");
    for (int i = 0; i < deltaSpectral.length; i++) {
      assertEquals(deltaOriginal[i] / original * expectedRatio, deltaSpectral[i], 1e-15);
    }
    assertEquals(Math.sqrt((double) rows / cols), expectedRatio, 1e-15);
  }

  /** The change of a float64 parameter after one Muon step without weight decay. */
  private static double[] delta(Tensor init, Tensor grad, double lr, String adjustLrFn) {
    Tensor p = init.clone().requiresGrad_(true);
    Muon opt = new Muon(List.of(p), Muon.options().lr(lr).weightDecay(0).adjustLrFn(adjustLrFn));
    p.setGrad(grad);
    opt.step();
    double[] after = p.toDoubleArray();
    double[] before = init.toDoubleArray();
    for (int i = 0; i < after.length; i++) {
      after[i] -= before[i];
    }
    return after;
  }

  @Test
  void stepErrorsArePyTorchs() {
    Tensor p = Tensor.zeros(2, 3).requiresGrad_(true);
    Muon tooMany = new Muon(List.of(p), Muon.options().nsSteps(100));
    p.setGrad(Tensor.ones(2, 3));
    assertEquals("Number of steps must be less than 100 for computational efficiency",
        assertThrows(IllegalArgumentException.class, tooMany::step).getMessage());
    Muon twoCoefficients = (Muon) Optimizers.create("Muon", List.of(p), Map.of("ns_coefficients", List.of(1.0, 2.0)));
    assertEquals("Coefficients must be a tuple of exactly 3 values",
        assertThrows(IllegalArgumentException.class, twoCoefficients::step).getMessage());
    Muon added = new Muon(List.of(p));
    Tensor vector = Tensor.zeros(3).requiresGrad_(true);
    added.addParamGroup(ParamGroup.of(vector));
    vector.setGrad(Tensor.ones(3));
    assertEquals("Param gradient must be a 2D matrix",
        assertThrows(IllegalArgumentException.class, added::step).getMessage());
  }

  /** The momentum buffer is the gradient's dtype and there is no step counter, as in PyTorch. */
  @Test
  void stateIsTheMomentumBufferOnly() {
    Tensor p = Tensor.zeros(DType.FLOAT64, 2, 3).requiresGrad_(true);
    Muon opt = new Muon(List.of(p));
    p.setGrad(Tensor.ones(DType.FLOAT64, 2, 3));
    opt.step();
    assertEquals(List.of("momentum_buffer"), new ArrayList<>(opt.state(p).keySet()));
    assertEquals(DType.FLOAT64, ((Tensor) opt.state(p).get("momentum_buffer")).dtype());
  }
}
