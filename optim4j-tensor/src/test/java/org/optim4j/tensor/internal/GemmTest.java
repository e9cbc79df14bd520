package org.optim4j.tensor.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Gemm} against an independent triple loop accumulated in double, over many shapes, every transpose
 * combination, α and β (β = 0 over a C full of NaNs), offsets and padded leading dimensions; and the
 * bit-identity of the pure-Java kernel's results across thread counts (pinned: a native backend, when one is
 * on the class path, does not promise it).
 */
class GemmTest {
  /**
   * Allowed error of an element, relative to {@code Σₚ|α·a·b| + |β·c|}: the scale of the classic GEMM
   * error bound, so cancellation in the sum does not make the test flaky.
   */
  private static final double RTOL_FLOAT32 = 1e-5;
  private static final double RTOL_FLOAT64 = 1e-12;
  /** Marks storage outside the matrices; it must come back untouched. */
  private static final double SENTINEL = -7777;

  /** One product: sizes, transposes, scalars and the padding of each operand. */
  record Case(int m, int n, int k, boolean transA, boolean transB, double alpha, double beta, int pad) {
    @Override
    public String toString() {
      return m + "x" + n + "x" + k + (transA ? " Aᵀ" : " A") + (transB ? " Bᵀ" : " B")
          + " α=" + alpha + " β=" + beta + " pad=" + pad;
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    int[] small = {1, 7, 33, 65};
    double[][] scalars = {{1, 0}, {-0.5, 1}, {2.5, -1.5}, {1, 0.5}};
    int s = 0;
    for (int m : small) {
      for (int n : small) {
        for (int k : small) {
          for (int t = 0; t < 4; t++) {
            double[] ab = scalars[s++ % scalars.length];
            cases.add(new Case(m, n, k, (t & 1) != 0, (t & 2) != 0, ab[0], ab[1], s % 3 == 0 ? 5 : 0));
          }
        }
      }
    }
    int[][] large = {{127, 300, 65}, {130, 127, 300}, {300, 260, 70}, {1, 300, 127}, {300, 1, 127},
        {1, 1, 300}, {127, 65, 300}, {2, 513, 33}};
    for (int[] mnk : large) {
      for (int t = 0; t < 4; t++) {
        double[] ab = scalars[s++ % scalars.length];
        cases.add(new Case(mnk[0], mnk[1], mnk[2], (t & 1) != 0, (t & 2) != 0, ab[0], ab[1], 3));
      }
    }
    cases.add(new Case(1, 1, 1, false, false, 1, 0, 0));
    cases.add(new Case(33, 65, 0, false, false, 1, 0, 2));
    cases.add(new Case(33, 65, 0, true, true, 1, -2, 2));
    cases.add(new Case(33, 65, 7, false, true, 0, 0.5, 2));
    cases.add(new Case(33, 65, 7, true, false, 0, 0, 2));
    return cases.stream();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void float32MatchesTripleLoop(Case cs) {
    Operands op = new Operands(cs, 11);
    float[] a = toFloat(op.a);
    float[] b = toFloat(op.b);
    float[] c = toFloat(op.c);
    Gemm.gemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, (float) cs.alpha, a, op.aOff, op.lda, b, op.bOff, op.ldb,
        (float) cs.beta, c, op.cOff, op.ldc);
    double[] got = new double[c.length];
    for (int i = 0; i < c.length; i++) {
      got[i] = c[i];
    }
    op.check(got, RTOL_FLOAT32);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void float64MatchesTripleLoop(Case cs) {
    Operands op = new Operands(cs, 12);
    double[] c = op.c.clone();
    Gemm.gemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, cs.alpha, op.a, op.aOff, op.lda, op.b, op.bOff, op.ldb,
        cs.beta, c, op.cOff, op.ldc);
    op.check(c, RTOL_FLOAT64);
  }

  @Test
  void resultsAreBitIdenticalForEveryThreadCount() {
    List<Case> shapes = List.of(
        new Case(300, 127, 130, false, false, 1, 0, 0),
        new Case(301, 129, 67, true, true, -0.5, 1.5, 3),
        new Case(6, 600, 200, false, true, 1, 1, 0),
        new Case(7, 601, 131, true, false, 2, 0, 1));
    int saved = Parallel.threads();
    GemmBackend backend = Gemm.backend();
    Gemm.setBackend(Gemm.javaBackend());
    try {
      for (Case cs : shapes) {
        Operands op = new Operands(cs, 13);
        float[] a = toFloat(op.a);
        float[] b = toFloat(op.b);
        float[][] floats = new float[3][];
        double[][] doubles = new double[3][];
        for (int threads = 1; threads <= 3; threads++) {
          Parallel.setThreads(threads);
          float[] c = toFloat(op.c);
          Gemm.gemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, (float) cs.alpha, a, op.aOff, op.lda, b, op.bOff,
              op.ldb, (float) cs.beta, c, op.cOff, op.ldc);
          floats[threads - 1] = c;
          double[] cd = op.c.clone();
          Gemm.gemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, cs.alpha, op.a, op.aOff, op.lda, op.b, op.bOff,
              op.ldb, cs.beta, cd, op.cOff, op.ldc);
          doubles[threads - 1] = cd;
        }
        for (int t = 1; t < 3; t++) {
          assertArrayEquals(floats[0], floats[t], cs + ": float32, 1 thread vs " + (t + 1));
          assertArrayEquals(doubles[0], doubles[t], cs + ": float64, 1 thread vs " + (t + 1));
        }
      }
    } finally {
      Parallel.setThreads(saved);
      Gemm.setBackend(backend);
    }
  }

  @Test
  void betaZeroOverwritesNaNsAndAlphaZeroReadsNeitherOperand() {
    float[] a = {Float.NaN, Float.NaN};
    float[] b = {Float.NaN, Float.NaN};
    float[] c = {Float.NaN, 3};
    Gemm.gemm(false, false, 1, 2, 1, 0f, a, 0, 1, b, 0, 2, 0f, c, 0, 2);
    assertArrayEquals(new float[] {0, 0}, c);
    double[] cd = {4, 3};
    Gemm.gemm(false, false, 1, 2, 1, 0.0, new double[] {Double.NaN}, 0, 1, new double[] {1, Double.NaN}, 0, 2,
        0.5, cd, 0, 2);
    assertArrayEquals(new double[] {2, 1.5}, cd);
  }

  @Test
  void rejectsInvalidArguments() {
    float[] x = new float[16];
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, false, -1, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, false, 2, 2, -3, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, false, 2, 3, 4, 1f, x, 0, 3, x, 0, 3, 0f, x, 0, 3));
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(true, false, 5, 2, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, true, 2, 2, 3, 1f, x, 0, 3, x, 0, 2, 0f, x, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, false, 2, 3, 2, 1f, x, 0, 2, x, 0, 3, 0f, x, 0, 2));
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, false, 4, 4, 4, 1f, x, 1, 4, x, 0, 4, 0f, x, 0, 4));
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, false, 2, 2, 2, 1f, x, -1, 2, x, 0, 2, 0f, x, 0, 2));
    double[] d = new double[4];
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(false, false, 2, 2, 2, 1.0, d, 0, 2, d, 0, 2, 0.0, d, 1, 2));
    assertThrows(NullPointerException.class,
        () -> Gemm.gemm(false, false, 2, 2, 2, 1f, null, 0, 2, x, 0, 2, 0f, x, 0, 2));
    Gemm.gemm(false, false, 0, 0, 0, 1f, new float[0], 0, 1, new float[0], 0, 1, 0f, new float[0], 0, 1);
  }

  @Test
  void routesEveryProductThroughThePluggedBackend() {
    AtomicInteger calls = new AtomicInteger();
    GemmBackend counting = new GemmBackend() {
      @Override
      public String name() {
        return "counting";
      }

      @Override
      public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
          int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        calls.incrementAndGet();
        Gemm.javaBackend().gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      }

      @Override
      public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
          int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        calls.incrementAndGet();
        Gemm.javaBackend().gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      }
    };
    GemmBackend backend = Gemm.backend();
    Gemm.setBackend(counting);
    try {
      float[] c = new float[1];
      Gemm.gemm(false, false, 1, 1, 2, 1f, new float[] {2, 3}, 0, 2, new float[] {5, 7}, 0, 1, 0f, c, 0, 1);
      double[] cd = new double[1];
      Gemm.gemm(false, false, 1, 1, 1, 1.0, new double[] {2}, 0, 1, new double[] {5}, 0, 1, 0.0, cd, 0, 1);
      Gemm.gemm(false, false, 0, 1, 1, 1.0, new double[0], 0, 1, new double[1], 0, 1, 0.0, new double[0], 0, 1);
      assertEquals(31f, c[0]);
      assertEquals(10.0, cd[0]);
      assertEquals(2, calls.get(), "empty products never reach the backend");
    } finally {
      Gemm.setBackend(backend);
    }
    assertSame(backend, Gemm.backend());
    assertThrows(NullPointerException.class, () -> Gemm.setBackend(null));
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  /**
   * Random operands laid out as {@link Gemm} reads them, every value exactly representable in float32, with
   * the storage around the matrices filled with {@link #SENTINEL} (and C with NaN when β = 0).
   */
  private static final class Operands {
    final Case cs;
    final int aOff;
    final int lda;
    final int bOff;
    final int ldb;
    final int cOff;
    final int ldc;
    final double[] a;
    final double[] b;
    final double[] c;

    Operands(Case cs, long seed) {
      this.cs = cs;
      SplittableRandom random = new SplittableRandom(seed + 31L * cs.hashCode());
      int aRows = cs.transA ? cs.k : cs.m;
      int aCols = cs.transA ? cs.m : cs.k;
      int bRows = cs.transB ? cs.n : cs.k;
      int bCols = cs.transB ? cs.k : cs.n;
      aOff = cs.pad;
      lda = Math.max(1, aCols + cs.pad);
      bOff = 2 * cs.pad;
      ldb = Math.max(1, bCols + cs.pad);
      cOff = cs.pad + 1;
      ldc = Math.max(1, cs.n + cs.pad);
      a = matrix(random, aOff, aRows, aCols, lda, false);
      b = matrix(random, bOff, bRows, bCols, ldb, false);
      c = matrix(random, cOff, cs.m, cs.n, ldc, cs.beta == 0);
    }

    private static double[] matrix(SplittableRandom random, int off, int rows, int cols, int ld, boolean nan) {
      double[] x = new double[off + rows * ld + 2];
      Arrays.fill(x, SENTINEL);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          x[off + i * ld + j] = nan ? Double.NaN : (float) (random.nextDouble() * 2 - 1);
        }
      }
      return x;
    }

    double opA(int i, int p) {
      return cs.transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    double opB(int p, int j) {
      return cs.transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    /** Compares C as computed against the triple loop, and checks the storage around C is untouched. */
    void check(double[] got, double rtol) {
      boolean[] inside = new boolean[c.length];
      for (int i = 0; i < cs.m; i++) {
        for (int j = 0; j < cs.n; j++) {
          int at = cOff + i * ldc + j;
          inside[at] = true;
          double sum = 0;
          double scale = 0;
          if (cs.alpha != 0) {
            for (int p = 0; p < cs.k; p++) {
              double term = cs.alpha * opA(i, p) * opB(p, j);
              sum += term;
              scale += Math.abs(term);
            }
          }
          if (cs.beta != 0) {
            sum += cs.beta * c[at];
            scale += Math.abs(cs.beta * c[at]);
          }
          double err = Math.abs(got[at] - sum);
          if (!(err <= rtol * scale)) {
            fail(cs + ": C[" + i + "," + j + "] = " + got[at] + ", expected " + sum + " (error " + err
                + " > " + rtol + " × " + scale + ")");
          }
        }
      }
      for (int at = 0; at < c.length; at++) {
        if (!inside[at]) {
          assertTrue(got[at] == SENTINEL, cs + ": element " + at + " outside C was written");
        }
      }
    }
  }
}
