package org.optim4j.optim.internal;

/**
 * Adafactor's update rule for one parameter, PyTorch's {@code _single_tensor_adafactor} op by op: the factored
 * second moment of a matrix (or of each matrix of a batch), the plain one of a vector, the relative update, and
 * the parameter update.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding ({@code lerp_} is a fused multiply-add, {@code rsqrt} is
 * {@code 1 / sqrt}); scalars arrive already rounded to the element type. PyTorch's norms sum the squares in the
 * element type: a norm over the last (contiguous) dimension runs its vectorised loop ({@code lanes}
 * accumulators: 8 for float32, 4 for float64 on AVX2, added in order, then the tail), a norm over the rows of
 * a matrix adds them one row after the other.
 */
@SuppressWarnings("cast") // the casts of the square roots are needed in the float source and redundant in its double twin
public final class AdafactorFloatKernels {
  private AdafactorFloatKernels() {}

  /**
   * The sum of squares behind PyTorch's 2-norm of {@code n} contiguous elements from {@code off}: {@code lanes}
   * running sums over whole blocks of {@code lanes} elements, added in lane order, then the remaining elements.
   */
  public static float sumOfSquares(float[] x, int off, int n, int lanes) {
    float[] acc = new float[lanes];
    int d = 0;
    for (; d + lanes <= n; d += lanes) {
      for (int l = 0; l < lanes; l++) {
        float v = x[off + d + l];
        acc[l] = acc[l] + v * v;
      }
    }
    float sum = acc[0];
    for (int l = 1; l < lanes; l++) {
      sum = sum + acc[l];
    }
    for (; d < n; d++) {
      sum = Math.fma(x[off + d], x[off + d], sum);
    }
    return sum;
  }

  /**
   * The factored second moment of the {@code rows × cols} matrix {@code m} of a batch and its relative update,
   * written to {@code update} (the same elements as the gradient):
   *
   * <pre>
   * g        = maximize ? -grad : grad
   * rowMean  = norm(g, dim=-1).square_().div_(cols);   rowVar.lerp_(rowMean, oneMinusBeta2)
   * colMean  = norm(g, dim=-2).square_().div_(rows);   colVar.lerp_(colMean, oneMinusBeta2)
   * v        = (rowVar @ colVar).div_(rowVar.mean(dim=-2).clamp_(min=eps1))
   * update   = v.clamp_(min=eps1Squared).rsqrt_().mul_(g)
   * </pre>
   */
  public static void factored(float[] grad, float[] rowVar, float[] colVar, float[] update, int m, int rows,
      int cols, boolean maximize, float oneMinusBeta2, float eps1, float eps1Squared, int lanes) {
    int base = m * rows * cols;
    float sign = maximize ? -1 : 1;
    for (int i = 0; i < rows; i++) {
      float norm = (float) Math.sqrt(sumOfSquares(grad, base + i * cols, cols, lanes));
      float rowMean = norm * norm / cols;
      rowVar[m * rows + i] = lerp(rowVar[m * rows + i], rowMean, oneMinusBeta2);
    }
    for (int j = 0; j < cols; j++) {
      float sum = 0;
      for (int i = 0; i < rows; i++) {
        float g = grad[base + i * cols + j];
        sum = sum + g * g;
      }
      float norm = (float) Math.sqrt(sum);
      float colMean = norm * norm / rows;
      colVar[m * cols + j] = lerp(colVar[m * cols + j], colMean, oneMinusBeta2);
    }
    float rowSum = 0;
    for (int i = 0; i < rows; i++) {
      rowSum = rowSum + rowVar[m * rows + i];
    }
    float rowVarMean = Math.max(rowSum / rows, eps1);
    for (int i = 0; i < rows; i++) {
      float r = rowVar[m * rows + i];
      for (int j = 0; j < cols; j++) {
        float v = r * colVar[m * cols + j] / rowVarMean;
        float g = sign * grad[base + i * cols + j];
        update[base + i * cols + j] = 1 / (float) Math.sqrt(Math.max(v, eps1Squared)) * g;
      }
    }
  }

  /**
   * The second moment of a vector (or a 0-dim parameter) and its relative update, for the elements
   * {@code [from, to)}:
   *
   * <pre>
   * g      = maximize ? -grad : grad
   * variance.lerp_(g * g, oneMinusBeta2)
   * update = variance.clone().clamp_(min=eps1Squared).rsqrt_().mul_(g)
   * </pre>
   */
  public static void unfactored(float[] grad, float[] variance, float[] update, int from, int to, boolean maximize,
      float oneMinusBeta2, float eps1Squared) {
    for (int i = from; i < to; i++) {
      float g = maximize ? -grad[i] : grad[i];
      float v = lerp(variance[i], g * g, oneMinusBeta2);
      variance[i] = v;
      update[i] = 1 / (float) Math.sqrt(Math.max(v, eps1Squared)) * g;
    }
  }

  /**
   * The parameter update for the elements {@code [from, to)}: {@code param.mul_(decayFactor)} when
   * {@code decay}, then {@code param.add_(update, alpha=negAlpha)} ({@code negAlpha = -alpha / denom}).
   */
  public static void apply(float[] param, float[] update, int from, int to, boolean decay, float decayFactor,
      float negAlpha) {
    for (int i = from; i < to; i++) {
      float p = decay ? param[i] * decayFactor : param[i];
      param[i] = Math.fma(update[i], negAlpha, p);
    }
  }

  /** PyTorch's {@code lerp(self, end, weight)}: the two-sided form that is exact at both ends. */
  private static float lerp(float self, float end, float weight) {
    float diff = end - self;
    return Math.abs(weight) < 0.5 ? Math.fma(weight, diff, self) : Math.fma(weight - 1, diff, end);
  }
}
