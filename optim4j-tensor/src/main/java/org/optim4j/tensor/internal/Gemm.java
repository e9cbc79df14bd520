package org.optim4j.tensor.internal;

import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The one entry point of every dense matrix product in optim4j: {@code C ← α·op(A)·op(B) + β·C}.
 *
 * <p>Semantics are those of row-major BLAS {@code sgemm}/{@code dgemm} ({@code cblas_?gemm} with
 * {@code CblasRowMajor}):
 * <pre>
 * op(A) is m×k:  A is stored m×k, or k×m when transA, row-major from a[aOff] with row stride lda
 * op(B) is k×n:  B is stored k×n, or n×k when transB, row-major from b[bOff] with row stride ldb
 * C     is m×n:  row-major from c[cOff] with row stride ldc
 * C[i,j] ← α·Σₚ op(A)[i,p]·op(B)[p,j] + β·C[i,j]
 * </pre>
 * When {@code β = 0}, C is overwritten without being read (NaNs and infinities in C are ignored). When
 * {@code k = 0} or {@code α = 0}, the result is {@code β·C} and A and B are not read.
 *
 * <p>The work is done by a pluggable {@link GemmBackend}. The pure-Java blocked kernel
 * ({@code GemmFloatKernels} and its derived double twin) splits C across {@link Parallel#threads()} threads
 * by rows or columns, never along k, so its results are bit-identical for every thread count.
 *
 * <p><b>Choosing the backend.</b> When this class is initialised, it asks {@link ServiceLoader} for
 * {@link GemmBackend} providers on the class path of its own class loader (optim4j-blas registers its
 * OpenBLAS backend this way) and uses the first one that loads; a provider whose construction fails is
 * skipped with a warning on {@link System.Logger} naming the reason. With none, or with the system property
 * {@value #BACKEND_PROPERTY}{@code =java}, the pure-Java kernel computes every product.
 * {@link #setBackend} changes the choice later, for instance to pin the Java kernel in a test that needs its
 * exact bits.
 */
public final class Gemm {
  /** System property read once, when this class is initialised: {@code java} forces the pure-Java kernel. */
  public static final String BACKEND_PROPERTY = "optim4j.gemm";
  private static final GemmBackend JAVA = new JavaBackend();
  private static volatile GemmBackend backend = discover(System.getProperty(BACKEND_PROPERTY),
      ServiceLoader.load(GemmBackend.class, Gemm.class.getClassLoader()).iterator(), Gemm::warn);

  private Gemm() {}

  /** Returns the backend that currently computes every product. */
  public static GemmBackend backend() {
    return backend;
  }

  /** Returns the pure-Java backend, the fallback. */
  public static GemmBackend javaBackend() {
    return JAVA;
  }

  /**
   * Routes every later product to {@code newBackend}; pass {@link #javaBackend()} for the pure-Java kernel.
   *
   * @throws NullPointerException if {@code newBackend} is null
   */
  public static void setBackend(GemmBackend newBackend) {
    backend = Objects.requireNonNull(newBackend, "backend");
  }

  /**
   * Single-precision {@code C ← α·op(A)·op(B) + β·C}, row-major (see the class documentation).
   *
   * @param transA whether A is stored k×m and op(A) = Aᵀ
   * @param transB whether B is stored n×k and op(B) = Bᵀ
   * @param m rows of op(A) and of C
   * @param n columns of op(B) and of C
   * @param k columns of op(A), rows of op(B)
   * @param alpha the scale α of the product
   * @param a the storage of A
   * @param aOff index of A's first element in {@code a}
   * @param lda row stride of A as stored: at least {@code max(1, transA ? m : k)}
   * @param b the storage of B
   * @param bOff index of B's first element in {@code b}
   * @param ldb row stride of B as stored: at least {@code max(1, transB ? k : n)}
   * @param beta the scale β of the old C; 0 means C is overwritten without being read
   * @param c the storage of C, updated in place
   * @param cOff index of C's first element in {@code c}
   * @param ldc row stride of C: at least {@code max(1, n)}
   * @throws IllegalArgumentException if a size is negative, a leading dimension is too small, or an
   *     offset or array length does not fit the declared shape
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    checkSizes(transA, transB, m, n, k, lda, ldb, ldc);
    checkExtent("a", a.length, aOff, transA ? k : m, transA ? m : k, lda);
    checkExtent("b", b.length, bOff, transB ? n : k, transB ? k : n, ldb);
    checkExtent("c", c.length, cOff, m, n, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    backend.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /**
   * Double-precision {@code C ← α·op(A)·op(B) + β·C}, row-major; the arguments are those of
   * {@link #gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float,
   * float[], int, int)}.
   *
   * @throws IllegalArgumentException if a size is negative, a leading dimension is too small, or an
   *     offset or array length does not fit the declared shape
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta,
      double[] c, int cOff, int ldc) {
    checkSizes(transA, transB, m, n, k, lda, ldb, ldc);
    checkExtent("a", a.length, aOff, transA ? k : m, transA ? m : k, lda);
    checkExtent("b", b.length, bOff, transB ? n : k, transB ? k : n, ldb);
    checkExtent("c", c.length, cOff, m, n, ldc);
    if (m == 0 || n == 0) {
      return;
    }
    backend.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /**
   * The backend chosen at initialisation: the pure-Java kernel when {@code choice} is {@code "java"}, else
   * the first of {@code providers} that can be constructed, else the pure-Java kernel. Each provider that
   * fails is reported to {@code warn}.
   */
  static GemmBackend discover(String choice, Iterator<GemmBackend> providers, Consumer<String> warn) {
    if (JAVA.name().equals(choice)) {
      return JAVA;
    }
    try {
      while (providers.hasNext()) {
        try {
          return providers.next();
        } catch (ServiceConfigurationError | LinkageError e) {
          warn.accept(unavailable(e));
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      warn.accept(unavailable(e));
    }
    return JAVA;
  }

  private static void warn(String message) {
    System.getLogger(Gemm.class.getName()).log(Level.WARNING, message);
  }

  private static String unavailable(Throwable e) {
    String reason = e.getCause() != null ? e.getMessage() + ": " + e.getCause() : e.toString();
    return "optim4j: GEMM backend not available (" + reason + "); matrix products use the pure-Java kernel";
  }

  private static void checkSizes(boolean transA, boolean transB, int m, int n, int k,
      int lda, int ldb, int ldc) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException(
          "gemm sizes must be non-negative, got m=" + m + ", n=" + n + ", k=" + k);
    }
    checkLeading("lda", lda, transA ? m : k);
    checkLeading("ldb", ldb, transB ? k : n);
    checkLeading("ldc", ldc, n);
  }

  private static void checkLeading(String name, int ld, int width) {
    if (ld < Math.max(1, width)) {
      throw new IllegalArgumentException(
          name + " must be at least max(1, " + width + "), got " + ld);
    }
  }

  /** Checks that a rows×cols matrix with row stride ld starting at off fits in an array of length. */
  private static void checkExtent(String name, int length, int off, int rows, int cols, int ld) {
    if (off < 0) {
      throw new IllegalArgumentException(name + " offset must be non-negative, got " + off);
    }
    if (rows == 0 || cols == 0) {
      return;
    }
    long end = off + (long) (rows - 1) * ld + cols;
    if (end > length) {
      throw new IllegalArgumentException(name + ": a " + rows + "×" + cols + " matrix with leading "
          + "dimension " + ld + " at offset " + off + " needs " + end + " elements, array has " + length);
    }
  }

  /** The default backend: the pure-Java blocked kernels. */
  private static final class JavaBackend implements GemmBackend {
    @Override
    public String name() {
      return "java";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
        int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
      GemmFloatKernels.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
        int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
      GemmDoubleKernels.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff,
          ldc);
    }
  }
}
