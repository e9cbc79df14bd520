package org.optim4j.blas;

import org.optim4j.tensor.internal.Gemm;
import org.optim4j.tensor.internal.GemmBackend;
import org.optim4j.tensor.internal.Parallel;

/**
 * The native {@link GemmBackend}: OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm}, called through a JNI
 * shim on the heap arrays that tensors own.
 *
 * <p>{@link Gemm} finds this class through {@link java.util.ServiceLoader} when optim4j-blas is on the class
 * path, and keeps its pure-Java kernel when the constructor fails (no shim because gcc was missing at build
 * time, another platform than linux-x86_64, OpenBLAS not loadable) or when the system property
 * {@code optim4j.gemm=java} is set. How the library is found is described on {@link OpenBlas}.
 *
 * <p><b>Arrays.</b> The shim pins the Java arrays with {@code GetPrimitiveArrayCritical}, which on HotSpot
 * passes the arrays themselves, and OpenBLAS computes in place. JavaCPP's own {@code cblas_sgemm(float[] …)}
 * goes through {@code Get<T>ArrayElements}, which copies every array in and out, and its pointer API needs
 * off-heap buffers filled and drained on every call. Measured with a prototype of the shim on one thread, three
 * rounds, as CPU time so that the other processes of a shared 2-core Zen 3 did not count, GFLOP/s:
 * <pre>
 *                      pinned   JavaCPP float[]   JavaCPP off-heap
 * 1024×1024×1024        82–88        56–84             80–84
 * 100×512×784           69–73        63–65             65–67
 * 64×1600×800           62–67        51–57             57–59
 * 32×57600×25           34–36        19–21             22–28
 * </pre>
 * Pinning is never slower and wins most on the thin products of im2col, where copying costs as much as
 * computing. While a product runs, the JVM may hold back a garbage collection.
 *
 * <p><b>Threads.</b> OpenBLAS runs on one thread; this backend splits C across {@link Parallel}, like the
 * Java kernel, by rows or (when C is wider than tall) by columns, never along k, each part one single-threaded
 * OpenBLAS call on the thread that runs it. {@link Parallel} stays the one owner of the thread count: a change
 * of {@link Parallel#setThreads} applies at the next product, and a product started inside a {@link Parallel}
 * worker runs on that worker alone, so nothing is oversubscribed. OpenBLAS's own threads, their count set
 * from {@link Parallel#threads()}, were measured as the alternative with the same prototype (2 threads, best
 * of five rounds): no faster when the machine was quiet (1024³ f32: 174 against 170 GFLOP/s with this
 * split), and several times slower when other processes competed for the cores (100×784×512: 18 against 67),
 * because its threads spin while they wait for each other; they would also run beside the {@link Parallel}
 * workers when a product is started inside one.
 *
 * <p><b>Results</b> are those of OpenBLAS: they differ from the Java kernel's in the last bits (another
 * summation order), and may differ between thread counts, because the parts a product is split into are
 * separate OpenBLAS calls. For a given thread count they are reproducible.
 */
public final class OpenBlasBackend implements GemmBackend {
  /** Rows of C are handed to threads in multiples of this. */
  private static final int ROW_UNIT = 8;
  /** Columns of C are handed to threads in multiples of this. */
  private static final int COLUMN_UNIT = 16;
  /** Fewest multiply-adds worth handing to another thread. */
  private static final long MIN_TASK_WORK = 1L << 19;

  private final String description;

  /**
   * Loads the JNI shim and OpenBLAS (once per class loader).
   *
   * @throws IllegalStateException if either cannot be loaded, with the reason
   */
  public OpenBlasBackend() {
    description = OpenBlas.load();
  }

  /** Returns {@code "openblas"}. */
  @Override
  public String name() {
    return "openblas";
  }

  /** Returns the library's description, for OpenBLAS its build configuration (version, CPU kernels). */
  public String description() {
    return description;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    split(m, n, k, (i0, i1, j0, j1) -> OpenBlas.sgemm(transA, transB, i1 - i0, j1 - j0, k, alpha,
        a, aOff + rowStart(transA, lda, i0), lda, b, bOff + columnStart(transB, ldb, j0), ldb,
        beta, c, cOff + i0 * ldc + j0, ldc));
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
      int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    split(m, n, k, (i0, i1, j0, j1) -> OpenBlas.dgemm(transA, transB, i1 - i0, j1 - j0, k, alpha,
        a, aOff + rowStart(transA, lda, i0), lda, b, bOff + columnStart(transB, ldb, j0), ldb,
        beta, c, cOff + i0 * ldc + j0, ldc));
  }

  /** The block {@code C[i0:i1, j0:j1]} of a product, computed on the calling thread. */
  @FunctionalInterface
  private interface Block {
    void compute(int i0, int i1, int j0, int j1);
  }

  /**
   * Splits the m×n C across {@link Parallel}: by rows when it is at least as tall as wide, else by columns,
   * with at least {@link #MIN_TASK_WORK} multiply-adds per part.
   */
  private static void split(int m, int n, int k, Block block) {
    long work = (long) m * n * Math.max(1, k);
    if (m >= n) {
      int units = (m + ROW_UNIT - 1) / ROW_UNIT;
      Parallel.forRange(units, grain(units, work),
          (from, to) -> block.compute(from * ROW_UNIT, Math.min(m, to * ROW_UNIT), 0, n));
    } else {
      int units = (n + COLUMN_UNIT - 1) / COLUMN_UNIT;
      Parallel.forRange(units, grain(units, work),
          (from, to) -> block.compute(0, m, from * COLUMN_UNIT, Math.min(n, to * COLUMN_UNIT)));
    }
  }

  /** Units per part so that a part holds at least {@link #MIN_TASK_WORK} multiply-adds. */
  private static int grain(int units, long work) {
    long unitWork = Math.max(1L, work / units);
    return (int) Math.min(units, Math.max(1L, MIN_TASK_WORK / unitWork));
  }

  /** Offset of row i of op(A) in A's storage: a row of A, or a column when A is stored transposed. */
  private static int rowStart(boolean transA, int lda, int i) {
    return transA ? i : i * lda;
  }

  /** Offset of column j of op(B) in B's storage: a column of B, or a row when B is stored transposed. */
  private static int columnStart(boolean transB, int ldb, int j) {
    return transB ? j * ldb : j;
  }
}
