package org.optim4j.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optim4j.tensor.internal.Gemm;
import org.optim4j.tensor.internal.GemmBackend;
import org.optim4j.tensor.internal.Parallel;

/**
 * The OpenBLAS backend against the pure-Java backend on random problems: every transpose combination,
 * offsets and padded leading dimensions, α and β (β = 0 over a C full of NaNs, α = 0 over operands full of
 * NaNs), k = 0, m or n = 1, float32 and float64, 1 to 3 threads; products from several Java threads at once
 * and from inside {@link Parallel} workers.
 *
 * <p>Runs only where the build compiled the JNI shim (gcc on linux-x86_64); there, Gemm must have picked the
 * native backend.
 */
class OpenBlasBackendTest {
  /**
   * Allowed difference between the two backends for an element, relative to {@code Σₚ|α·a·b| + |β·c|}: both
   * are within the classic GEMM error bound of the exact value, in different summation orders.
   */
  private static final double RTOL_FLOAT32 = 2e-5;
  private static final double RTOL_FLOAT64 = 2e-13;
  /** Marks storage outside the matrices; it must come back untouched. */
  private static final double SENTINEL = -7777;

  private static GemmBackend openblas;
  private final int savedThreads = Parallel.threads();

  /** One product: sizes, transposes, scalars and the padding of each operand. */
  record Case(int m, int n, int k, boolean transA, boolean transB, double alpha, double beta, int pad) {
    @Override
    public String toString() {
      return m + "x" + n + "x" + k + (transA ? " Aᵀ" : " A") + (transB ? " Bᵀ" : " B") + " α=" + alpha + " β="
          + beta + " pad=" + pad;
    }
  }

  @BeforeAll
  static void nativeBackendIsInUse() {
    assumeTrue(OpenBlasBackendTest.class.getResource(OpenBlas.SHIM_RESOURCE) != null,
        "the JNI shim was not built (no gcc on linux-x86_64)");
    openblas = assertInstanceOf(OpenBlasBackend.class, Gemm.backend(), "Gemm picked the native backend");
  }

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(savedThreads);
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    int[] sizes = {1, 2, 9, 33, 70};
    double[][] scalars = {{1, 0}, {-0.5, 1}, {2.5, -1.5}, {1, 0.5}, {0, 0}, {0, 2}};
    int s = 0;
    for (int m : sizes) {
      for (int n : sizes) {
        for (int k : new int[] {0, 1, 17, 70}) {
          for (int t = 0; t < 4; t++) {
            double[] ab = scalars[s++ % scalars.length];
            cases.add(new Case(m, n, k, (t & 1) != 0, (t & 2) != 0, ab[0], ab[1], s % 3 == 0 ? 0 : s % 5 + 1));
          }
        }
      }
    }
    int[][] large = {{300, 260, 70}, {130, 127, 300}, {5, 700, 400}, {700, 6, 400}, {1, 2000, 600}, {2000, 1, 600},
        {257, 513, 31}};
    for (int[] mnk : large) {
      for (int t = 0; t < 4; t++) {
        double[] ab = scalars[s++ % 4];
        cases.add(new Case(mnk[0], mnk[1], mnk[2], (t & 1) != 0, (t & 2) != 0, ab[0], ab[1], 3));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void float32MatchesTheJavaKernel(Case cs) {
    Operands op = new Operands(cs, 21);
    for (int threads = 1; threads <= 3; threads++) {
      Parallel.setThreads(threads);
      float[] expected = op.float32(Gemm.javaBackend());
      float[] actual = op.float32(openblas);
      op.check(widen(actual), widen(expected), RTOL_FLOAT32, threads);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void float64MatchesTheJavaKernel(Case cs) {
    Operands op = new Operands(cs, 22);
    for (int threads = 1; threads <= 3; threads++) {
      Parallel.setThreads(threads);
      op.check(op.float64(openblas), op.float64(Gemm.javaBackend()), RTOL_FLOAT64, threads);
    }
  }

  @Test
  void gemmValidatesBeforeCallingTheBackend() {
    float[] x = new float[4];
    try {
      Gemm.gemm(false, false, 2, 2, 2, 1f, x, 1, 2, x, 0, 2, 0f, x, 0, 2);
      fail("A does not fit");
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().startsWith("a: a 2×2 matrix"), expected.getMessage());
    }
  }

  @Test
  void severalJavaThreadsAtOnceGetWhatEachGetsAlone() throws Exception {
    List<Operands> problems = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 24; i++) {
      problems.add(new Operands(new Case(1 + random.nextInt(200), 1 + random.nextInt(200), random.nextInt(150),
          random.nextBoolean(), random.nextBoolean(), 1.5, i % 2 == 0 ? 0 : -1, i % 3), 100 + i));
    }
    List<float[]> alone32 = new ArrayList<>();
    List<double[]> alone64 = new ArrayList<>();
    for (Operands op : problems) {
      alone32.add(op.float32(openblas));
      alone64.add(op.float64(openblas));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 5; round++) {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < problems.size(); i++) {
          int p = i;
          done.add(pool.submit(() -> {
            Operands op = problems.get(p);
            assertArrayEquals(alone32.get(p), op.float32(Gemm.backend()), op.cs + ": float32");
            assertArrayEquals(alone64.get(p), op.float64(Gemm.backend()), op.cs + ": float64");
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void productsInsideParallelWorkersRunThere() {
    Operands op = new Operands(new Case(300, 200, 100, false, true, 1, 0, 2), 7);
    double[] expected = op.float64(Gemm.javaBackend());
    Parallel.setThreads(2);
    double[][] results = new double[8][];
    Parallel.forRange(results.length, 1, (from, to) -> {
      for (int i = from; i < to; i++) {
        results[i] = op.float64(Gemm.backend());
      }
    });
    for (double[] result : results) {
      op.check(result, expected, RTOL_FLOAT64, 2);
    }
  }

  @Test
  void describesTheLibrary() {
    assertEquals("openblas", openblas.name());
    assertTrue(((OpenBlasBackend) openblas).description().startsWith("OpenBLAS "),
        ((OpenBlasBackend) openblas).description());
  }

  private static double[] widen(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  /**
   * Random operands laid out as {@link Gemm} reads them, every value exactly representable in float32, with
   * the storage around the matrices filled with {@link #SENTINEL}, C full of NaNs when β = 0 and A and B full
   * of NaNs when α = 0.
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
      a = matrix(random, aOff, aRows, aCols, lda, cs.alpha == 0);
      b = matrix(random, bOff, bRows, bCols, ldb, cs.alpha == 0);
      c = matrix(random, cOff, cs.m, cs.n, ldc, cs.beta == 0);
    }

    private static double[] matrix(SplittableRandom random, int off, int rows, int cols, int ld, boolean nan) {
      double[] x = new double[off + Math.max(0, rows - 1) * ld + cols + 2];
      Arrays.fill(x, SENTINEL);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          x[off + i * ld + j] = nan ? Double.NaN : (float) (random.nextDouble() * 2 - 1);
        }
      }
      return x;
    }

    float[] float32(GemmBackend backend) {
      float[] c32 = toFloat(c);
      backend.gemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, (float) cs.alpha, toFloat(a), aOff, lda, toFloat(b),
          bOff, ldb, (float) cs.beta, c32, cOff, ldc);
      return c32;
    }

    double[] float64(GemmBackend backend) {
      double[] c64 = c.clone();
      backend.gemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, cs.alpha, a, aOff, lda, b, bOff, ldb, cs.beta, c64,
          cOff, ldc);
      return c64;
    }

    private static float[] toFloat(double[] x) {
      float[] f = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        f[i] = (float) x[i];
      }
      return f;
    }

    /**
     * Compares C from the native backend with C from the Java kernel, element by element within {@code rtol}
     * of the element's error scale, and checks the storage around C is untouched.
     */
    void check(double[] actual, double[] expected, double rtol, int threads) {
      String what = cs + ", " + threads + " thread(s)";
      boolean[] inside = new boolean[c.length];
      for (int i = 0; i < cs.m; i++) {
        for (int j = 0; j < cs.n; j++) {
          int at = cOff + i * ldc + j;
          inside[at] = true;
          double scale = cs.beta == 0 ? 0 : Math.abs(cs.beta * c[at]);
          if (cs.alpha != 0) {
            for (int p = 0; p < cs.k; p++) {
              double opA = cs.transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
              double opB = cs.transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
              scale += Math.abs(cs.alpha * opA * opB);
            }
          }
          double err = Math.abs(actual[at] - expected[at]);
          if (!(err <= rtol * scale)) {
            fail(what + ": C[" + i + "," + j + "] = " + actual[at] + ", the Java kernel gives " + expected[at]
                + " (difference " + err + " > " + rtol + " × " + scale + ")");
          }
        }
      }
      for (int at = 0; at < c.length; at++) {
        if (!inside[at]) {
          assertEquals(SENTINEL, actual[at], what + ": element " + at + " outside C was written");
        }
      }
    }
  }
}
