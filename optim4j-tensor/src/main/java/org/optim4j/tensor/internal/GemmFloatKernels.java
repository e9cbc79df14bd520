package org.optim4j.tensor.internal;

/**
 * The pure-Java blocked matrix product for {@code float}: {@code C ← α·op(A)·op(B) + β·C}, row-major.
 *
 * <p>@derived-from-float
 *
 * <p>This is the kernel behind {@link Gemm}'s default backend; arguments arrive validated. The loop
 * nest is GotoBLAS's, shaped for what the C2 auto-vectoriser of JDK 17 turns into SIMD code:
 * <pre>
 * for each panel of columns  jc … jc+NC of C
 *   for each depth block       pc … pc+KC  of k
 *     pack op(B)[pc:pc+kc, jc:jc+nc] into kc separate rows (absorbs transB)
 *     for each row i of C
 *       acc ← C[i, jc:jc+nc]   (on the first depth block: β·C, or 0 when β = 0)
 *       for p in steps of 4:   acc[j] += α·A[i,p]·B[p,j] + … + α·A[i,p+3]·B[p+3,j]
 *       C[i, jc:jc+nc] ← acc
 * </pre>
 * The innermost loop runs over whole arrays from index 0 (four packed rows and the accumulator row);
 * C2 vectorises that, and not loops whose arrays start at different offsets. Scalars of op(A) are read
 * in place, so transA costs nothing. Every operand is a strided view {@code X[i,j] = x[off + i·row +
 * j·col]}; a narrow C (fewer than {@link #NARROW} columns, more rows than columns) is computed as
 * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} by swapping the views, so that matrix-vector products vectorise along m.
 *
 * <p><b>Threads.</b> C is split across {@link Parallel} by rows, or by columns in multiples of
 * {@link #COLUMN_UNIT} when it is wide, never along k; each thread packs its own panels into a
 * {@link Workspace} it keeps.
 *
 * <p><b>Summation order.</b> Each element of C is {@code β·c} (or 0), then the depth blocks in order,
 * and within a block {@code acc + (((a₀b₀ + a₁b₁) + a₂b₂) + a₃b₃)} per group of four, then the left-over
 * products one by one. This depends only on the shape, never on which rows or columns a thread owns, so
 * results are bit-identical for every thread count.
 */
final class GemmFloatKernels {
  /**
   * Depth of one packed panel of op(B). KC = 64 and NC = 256 measured best for both float32 and float64
   * at 1024³ on a 2-core Zen 3 (a panel is 64 KiB or 128 KiB and stays in L2).
   */
  static final int KC = 64;
  /** Width of one packed panel of op(B) and of the accumulator row. */
  static final int NC = 256;
  /** C narrower than this (and taller than wide) is computed transposed, so vector loops run along m. */
  private static final int NARROW = 16;
  /** Columns are handed to threads in multiples of this, so that vector loops stay full. */
  private static final int COLUMN_UNIT = 16;
  /** Fewest multiply-adds worth handing to another thread. */
  private static final long MIN_TASK_WORK = 1L << 16;

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  private GemmFloatKernels() {}

  /**
   * Computes {@code C ← α·op(A)·op(B) + β·C} with the arguments of
   * {@link Gemm#gemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float,
   * float[], int, int)}, already validated.
   */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0 || alpha == 0) {
      scale(m, n, beta, c, cOff, ldc);
      return;
    }
    int aRow = transA ? 1 : lda;
    int aCol = transA ? lda : 1;
    int bRow = transB ? 1 : ldb;
    int bCol = transB ? ldb : 1;
    if (n < NARROW && n < m) {
      product(n, m, k, alpha, b, bOff, bCol, bRow, a, aOff, aCol, aRow, beta, c, cOff, 1, ldc);
    } else {
      product(m, n, k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta, c, cOff, ldc, 1);
    }
  }

  /**
   * The product over strided views: {@code X[i,j]} is {@code x[xOff + i·xRow + j·xCol]}. Splits C across
   * threads by rows when it is tall, else by columns.
   */
  private static void product(int m, int n, int k, float alpha, float[] a, int aOff, int aRow, int aCol,
      float[] b, int bOff, int bRow, int bCol, float beta, float[] c, int cOff, int cRow, int cCol) {
    long work = (long) m * n * k;
    if (m >= n) {
      long rowWork = Math.max(1L, work / m);
      int grain = (int) Math.min(m, Math.max(1L, MIN_TASK_WORK / rowWork));
      Parallel.forRange(m, grain, (from, to) -> block(from, to, 0, n, k, alpha, a, aOff, aRow, aCol,
          b, bOff, bRow, bCol, beta, c, cOff, cRow, cCol));
    } else {
      int units = (n + COLUMN_UNIT - 1) / COLUMN_UNIT;
      long unitWork = Math.max(1L, work / units);
      int grain = (int) Math.min(units, Math.max(1L, MIN_TASK_WORK / unitWork));
      Parallel.forRange(units, grain, (from, to) -> block(0, m, from * COLUMN_UNIT,
          Math.min(n, to * COLUMN_UNIT), k, alpha, a, aOff, aRow, aCol, b, bOff, bRow, bCol, beta,
          c, cOff, cRow, cCol));
    }
  }

  /** Computes the block {@code C[i0:i1, j0:j1]} of {@link #product} on the calling thread. */
  private static void block(int i0, int i1, int j0, int j1, int k, float alpha,
      float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol, float beta,
      float[] c, int cOff, int cRow, int cCol) {
    Workspace ws = WORKSPACE.get();
    float[][] panel = ws.panel;
    float[] acc = ws.acc;
    for (int jc = j0; jc < j1; jc += NC) {
      int nc = Math.min(NC, j1 - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        boolean first = pc == 0;
        pack(b, bOff + pc * bRow + jc * bCol, bRow, bCol, kc, nc, panel);
        for (int i = i0; i < i1; i++) {
          int cAt = cOff + i * cRow + jc * cCol;
          load(first, beta, c, cAt, cCol, acc, nc);
          int aAt = aOff + i * aRow + pc * aCol;
          int p = 0;
          for (; p + 4 <= kc; p += 4) {
            int q = aAt + p * aCol;
            kernel4(alpha * a[q], alpha * a[q + aCol], alpha * a[q + 2 * aCol], alpha * a[q + 3 * aCol],
                panel[p], panel[p + 1], panel[p + 2], panel[p + 3], acc, nc);
          }
          for (; p < kc; p++) {
            kernel1(alpha * a[aAt + p * aCol], panel[p], acc, nc);
          }
          store(acc, nc, c, cAt, cCol);
        }
      }
    }
  }

  /** Copies the kc×nc block of B starting at {@code b[from]} into {@code panel[0:kc][0:nc]}. */
  private static void pack(float[] b, int from, int bRow, int bCol, int kc, int nc, float[][] panel) {
    if (bCol == 1) {
      for (int p = 0; p < kc; p++) {
        System.arraycopy(b, from + p * bRow, panel[p], 0, nc);
      }
      return;
    }
    int j = 0;
    for (; j + 4 <= nc; j += 4) {
      int src = from + j * bCol;
      for (int p = 0; p < kc; p++) {
        float[] row = panel[p];
        int at = src + p * bRow;
        row[j] = b[at];
        row[j + 1] = b[at + bCol];
        row[j + 2] = b[at + 2 * bCol];
        row[j + 3] = b[at + 3 * bCol];
      }
    }
    for (; j < nc; j++) {
      int src = from + j * bCol;
      for (int p = 0; p < kc; p++) {
        panel[p][j] = b[src + p * bRow];
      }
    }
  }

  /** Loads a row of C (stride {@code step}) into an accumulator, applying β on the first depth block. */
  private static void load(boolean first, float beta, float[] c, int from, int step, float[] acc, int nc) {
    if (beta == 0 && first) {
      for (int j = 0; j < nc; j++) {
        acc[j] = 0;
      }
    } else if (step == 1 && (beta == 1 || !first)) {
      System.arraycopy(c, from, acc, 0, nc);
    } else {
      float scale = first ? beta : 1;
      for (int j = 0; j < nc; j++) {
        acc[j] = scale * c[from + j * step];
      }
    }
  }

  /** Stores an accumulator back into a row of C (stride {@code step}). */
  private static void store(float[] acc, int nc, float[] c, int from, int step) {
    if (step == 1) {
      System.arraycopy(acc, 0, c, from, nc);
      return;
    }
    for (int j = 0; j < nc; j++) {
      c[from + j * step] = acc[j];
    }
  }

  /** {@code C ← β·C}, overwriting with zeros (never reading C) when β = 0. */
  private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
    if (beta == 1) {
      return;
    }
    for (int i = 0; i < m; i++) {
      int row = cOff + i * ldc;
      if (beta == 0) {
        for (int j = 0; j < n; j++) {
          c[row + j] = 0;
        }
      } else {
        for (int j = 0; j < n; j++) {
          c[row + j] = beta * c[row + j];
        }
      }
    }
  }

  /**
   * Four depths of one row: {@code c[j] += a₀b₀[j] + a₁b₁[j] + a₂b₂[j] + a₃b₃[j]}.
   *
   * <p>One store per iteration and every array indexed from 0: the shape C2 vectorises when this method
   * is compiled on its own (it does not vectorise a loop that stores two rows, or sums six depths).
   */
  private static void kernel4(float a0, float a1, float a2, float a3,
      float[] b0, float[] b1, float[] b2, float[] b3, float[] c, int n) {
    for (int j = 0; j < n; j++) {
      c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
    }
  }

  /** One depth of one row: {@code c[j] += a·b[j]}. */
  private static void kernel1(float a0, float[] b0, float[] c, int n) {
    for (int j = 0; j < n; j++) {
      c[j] += a0 * b0[j];
    }
  }

  /** Per-thread packing and accumulator buffers, allocated once per thread and reused. */
  private static final class Workspace {
    final float[][] panel = new float[KC][NC];
    final float[] acc = new float[NC];
  }
}
