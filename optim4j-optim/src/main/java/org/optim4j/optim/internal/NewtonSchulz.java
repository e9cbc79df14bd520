package org.optim4j.optim.internal;

import org.optim4j.tensor.BFloat16;
import org.optim4j.tensor.internal.Parallel;

/**
 * Muon's Newton–Schulz orthogonalisation in bfloat16, PyTorch's {@code _zeropower_via_newtonschulz} on the CPU,
 * reproduced bit for bit.
 *
 * <pre>
 * X ← bfloat16(G);  if rows &gt; cols: X ← Xᵀ
 * X ← X / max(‖X‖_F, ε)
 * repeat k times:   A ← X Xᵀ;   B ← b·A + c·(A A);   X ← a·X + B X
 * if rows &gt; cols: X ← Xᵀ
 * </pre>
 *
 * <p>optim4j's bfloat16 is a storage type, so the arithmetic runs on float32 arrays holding bfloat16 values and
 * rounds to bfloat16 (nearest, ties to even) exactly where PyTorch stores a bfloat16 tensor: after the
 * conversion of the input, the norm, the division and each of the three matrix products per iteration. A
 * product of two bfloat16 values is exact in float32, so only the order of the float32 sums matters, and each
 * product below uses the order of the CPU kernel PyTorch 2.13 dispatches to (x86-64, AVX2):
 *
 * <ul>
 *   <li>{@code X @ X.T} with X contiguous is a transposed-A GEMM: each entry is
 *       {@code bf16_dot_with_fp32_arith}, eight 8-lane float accumulators over blocks of 64 elements, folded
 *       pairwise, then a 16-element vector tail and a scalar tail ({@link #vectorDot});
 *   <li>{@code torch.addmm(C, A, B, beta, alpha)} with contiguous operands is {@code gemm_notrans_}: each entry
 *       is a dot product with four interleaved partial sums ({@link #ilpDot}), combined as
 *       {@code fma(beta, C, alpha·dot)} in float32;
 *   <li>in the first iteration of a tall input (rows &gt; cols) X is a transposed view: {@code X @ X.T} runs
 *       {@code gemm_transb_}, a sequential float32 sum per entry, and the update {@code addmm(X, B, X)} runs the
 *       transposed-A kernel with {@code fma(a, X, dot)}.
 * </ul>
 *
 * <p>The norm is PyTorch's vectorised float32 sum of squares (8 lanes over blocks of 16, lanes added in order,
 * then a scalar tail), square-rooted in float32 and rounded to bfloat16; the clamp to ε and the division are
 * float32 operations rounded to bfloat16. On a CPU where PyTorch uses other vector widths (AVX-512) its float32
 * sums are ordered differently and a few bfloat16 roundings can differ.
 */
public final class NewtonSchulz {
  /** The working space of {@link #vectorDot}: 64 block accumulators and 8 tail accumulators. */
  static final int SCRATCH = 72;

  private NewtonSchulz() {}

  /** {@code grad.bfloat16()} of float32 values, as float32 values. */
  public static float[] toBFloat16(float[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = bf16(values[i]);
    }
    return out;
  }

  /** {@code grad.bfloat16()} of float64 values: each is rounded to float32 first, as PyTorch converts. */
  public static float[] toBFloat16(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = bf16((float) values[i]);
    }
    return out;
  }

  /**
   * The orthogonalised update of a {@code rows × cols} matrix.
   *
   * @param x the matrix in row-major order, already bfloat16 values (see {@link #toBFloat16}); not modified
   * @param a the first Newton–Schulz coefficient (PyTorch's {@code ns_coefficients[0]})
   * @param b the second coefficient
   * @param c the third coefficient
   * @param steps the number of iterations
   * @param eps the lower bound of the norm
   * @return the result as bfloat16 values in a new row-major {@code rows × cols} array
   */
  public static float[] orthogonalize(float[] x, int rows, int cols, double a, double b, double c, int steps,
      double eps) {
    boolean tall = rows > cols;
    int r = tall ? cols : rows;
    int k = tall ? rows : cols;
    float norm = bf16(Math.max(bf16(frobenius(x)), (float) eps));
    // Stored as PyTorch stores the tensor: row-major r × k, except a tall input, whose transposed view keeps
    // the input's k × r layout until the first product.
    float[] stored = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      stored[i] = bf16(x[i] / norm);
    }
    float fa = (float) a;
    float fb = (float) b;
    float fc = (float) c;
    float[] gram = new float[r * r];
    float[] update = new float[r * r];
    float[] cur = stored;
    boolean transposedView = tall;
    for (int s = 0; s < steps; s++) {
      float[] next = new float[r * k];
      if (transposedView) {
        gramOfColumns(cur, k, r, gram);
      } else {
        gramOfRows(cur, r, k, gram);
      }
      addmm(gram, gram, gram, r, r, r, fb, fc, update);
      if (transposedView) {
        updateFromColumns(update, cur, r, k, fa, next);
        transposedView = false;
      } else {
        addmm(cur, update, cur, r, r, k, fa, 1f, next);
      }
      cur = next;
    }
    if (!tall || transposedView) {
      return cur; // already rows × cols in row-major order
    }
    float[] out = new float[x.length];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < k; j++) {
        out[j * r + i] = cur[i * k + j];
      }
    }
    return out;
  }

  /** PyTorch's bfloat16 norm of bfloat16 values, before its rounding to bfloat16. */
  private static float frobenius(float[] x) {
    int n = x.length;
    float[] acc = new float[8];
    int d = 0;
    for (; d + 16 <= n; d += 16) {
      for (int l = 0; l < 8; l++) {
        acc[l] = acc[l] + x[d + l] * x[d + l];
      }
      for (int l = 0; l < 8; l++) {
        acc[l] = acc[l] + x[d + 8 + l] * x[d + 8 + l];
      }
    }
    float sum = acc[0];
    for (int l = 1; l < 8; l++) {
      sum = sum + acc[l];
    }
    for (; d < n; d++) {
      sum = sum + x[d] * x[d];
    }
    return (float) Math.sqrt(sum);
  }

  /** {@code gram = bf16(X Xᵀ)} for a contiguous r × k matrix X: transposed-A GEMM, {@link #vectorDot}. */
  private static void gramOfRows(float[] x, int r, int k, float[] gram) {
    Parallel.forRange(r, Math.max(1, (1 << 16) / Math.max(1, r * k)), (from, to) -> {
      float[] scratch = new float[SCRATCH];
      for (int i = from; i < to; i++) {
        for (int j = 0; j < r; j++) {
          gram[i * r + j] = bf16(vectorDot(x, i * k, x, j * k, k, scratch));
        }
      }
    });
  }

  /**
   * {@code gram = bf16(X Xᵀ)} for X the transposed view of a contiguous k × r matrix {@code m}: PyTorch's
   * {@code gemm_transb_}, a sequential sum over k per entry.
   */
  private static void gramOfColumns(float[] m, int k, int r, float[] gram) {
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < r; j++) {
        float sum = 0;
        for (int l = 0; l < k; l++) {
          sum = sum + m[l * r + i] * m[l * r + j];
        }
        gram[i * r + j] = bf16(sum);
      }
    }
  }

  /**
   * {@code out = bf16(fma(beta, c, alpha · (A B)))} for contiguous A (m × k), B (k × n) and C (m × n):
   * PyTorch's {@code torch.addmm(c, a, b, beta=beta, alpha=alpha)} in bfloat16 ({@code gemm_notrans_}).
   */
  private static void addmm(float[] c, float[] a, float[] b, int m, int k, int n, float beta, float alpha,
      float[] out) {
    float[] bt = new float[n * k];
    for (int l = 0; l < k; l++) {
      for (int j = 0; j < n; j++) {
        bt[j * k + l] = b[l * n + j];
      }
    }
    Parallel.forRange(m, Math.max(1, (1 << 16) / Math.max(1, n * k)), (from, to) -> {
      for (int i = from; i < to; i++) {
        for (int j = 0; j < n; j++) {
          float dot = ilpDot(a, i * k, bt, j * k, k);
          out[i * n + j] = bf16(Math.fma(beta, c[i * n + j], alpha * dot));
        }
      }
    });
  }

  /**
   * The first update of a tall input: {@code out = bf16(fma(a, X, U X))} with X the transposed view of the
   * contiguous k × r matrix {@code m}, computed by the transposed-A kernel: each entry is a
   * {@link #vectorDot} of a row of U and a row of {@code m}.
   */
  private static void updateFromColumns(float[] u, float[] m, int r, int k, float a, float[] out) {
    Parallel.forRange(r, Math.max(1, (1 << 16) / Math.max(1, r * k)), (from, to) -> {
      float[] scratch = new float[SCRATCH];
      for (int i = from; i < to; i++) {
        for (int j = 0; j < k; j++) {
          out[i * k + j] = bf16(Math.fma(a, m[j * r + i], vectorDot(u, i * r, m, j * r, r, scratch)));
        }
      }
    });
  }

  /**
   * PyTorch's {@code bf16_dot_with_fp32_arith} on AVX2: 64-element blocks into eight 8-lane accumulators
   * (element {@code 8·reg + lane} of a block), the registers folded pairwise (4, 2, 1 apart), the lanes reduced
   * as {@code ((l0+l4)+(l2+l6))+((l1+l5)+(l3+l7))}; then 16-element blocks into one 8-lane accumulator, reduced
   * the same way and added; then the remaining elements one by one.
   *
   * @param scratch {@link #SCRATCH} floats of working space (overwritten)
   */
  static float vectorDot(float[] x, int xOff, float[] y, int yOff, int n, float[] scratch) {
    float[] acc = scratch;
    java.util.Arrays.fill(acc, 0f);
    int aligned = n & ~63;
    for (int j = 0; j < aligned; j += 64) {
      for (int e = 0; e < 64; e++) {
        acc[e] = acc[e] + x[xOff + j + e] * y[yOff + j + e];
      }
    }
    for (int half = 32; half >= 8; half /= 2) {
      for (int e = 0; e < half; e++) {
        acc[e] = acc[e] + acc[e + half];
      }
    }
    float sum = lanes(acc, 0);
    int tail = 64;
    int alignedVec = n & ~15;
    for (int j = aligned; j < alignedVec; j += 16) {
      for (int l = 0; l < 8; l++) {
        acc[tail + l] = acc[tail + l] + x[xOff + j + l] * y[yOff + j + l];
      }
      for (int l = 0; l < 8; l++) {
        acc[tail + l] = acc[tail + l] + x[xOff + j + 8 + l] * y[yOff + j + 8 + l];
      }
    }
    sum = sum + lanes(acc, tail);
    for (int j = alignedVec; j < n; j++) {
      sum = sum + x[xOff + j] * y[yOff + j];
    }
    return sum;
  }

  /** AVX2's {@code vec_reduce_all} of the eight float lanes {@code v[o] … v[o + 7]}. */
  private static float lanes(float[] v, int o) {
    return ((v[o] + v[o + 4]) + (v[o + 2] + v[o + 6])) + ((v[o + 1] + v[o + 5]) + (v[o + 3] + v[o + 7]));
  }

  /** PyTorch's {@code sum} of {@code gemm_notrans_}: four interleaved partial sums, the rest into the first. */
  static float ilpDot(float[] x, int xOff, float[] y, int yOff, int n) {
    float p0 = 0;
    float p1 = 0;
    float p2 = 0;
    float p3 = 0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      p0 = p0 + x[xOff + i] * y[yOff + i];
      p1 = p1 + x[xOff + i + 1] * y[yOff + i + 1];
      p2 = p2 + x[xOff + i + 2] * y[yOff + i + 2];
      p3 = p3 + x[xOff + i + 3] * y[yOff + i + 3];
    }
    for (; i < n; i++) {
      p0 = p0 + x[xOff + i] * y[yOff + i];
    }
    return ((p0 + p1) + p2) + p3;
  }

  /** The float32 value of {@code x} rounded to bfloat16. */
  static float bf16(float x) {
    return BFloat16.toFloat(BFloat16.fromFloat(x));
  }
}
