package org.optim4j.tensor.internal;

/**
 * Negative log-likelihood and squared-error losses over {@code float} storage, with PyTorch's CPU
 * summation order ({@code LossNLL.cpp}, {@code LossNLL2d.cpp}, the {@code mse} kernels).
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float.
 *
 * <p>The NLL input is laid out as [N, C, map] (map = 1 for [N, C] and [C] inputs) and its int64 target as
 * [N, map]. A reduced loss is summed with PyTorch's cascade: eight partial sums, where partial j+1
 * absorbs partial j every 16^(j+1) positions, then the partials are added in order.
 */
@SuppressWarnings("cast") // the casts are needed in the float source and redundant in its double twin
public final class LossFloatKernels {
  private static final int CASCADE_LEVELS = 8;

  private LossFloatKernels() {}

  /**
   * The reduced NLL loss {@code −Σ w[t]·x[n, t, i]} over the non-ignored positions, divided by the total
   * weight when {@code mean}.
   *
   * @param x the contiguous [N, C, map] input, from {@code xOff}
   * @param target the [N, map] class indices, from {@code tOff}
   * @param weight the [C] class weights from {@code wOff}, or null for 1
   * @param result receives the loss at [0] and the total weight at [1]
   * @throws IndexOutOfBoundsException for a target outside [0, C) that is not {@code ignoreIndex}
   */
  public static void nllReduced(float[] x, int xOff, long[] target, int tOff, float[] weight, int wOff, int batch,
      int classes, int map, long ignoreIndex, boolean mean, float[] result) {
    long positions = (long) batch * map;
    int levelPower = Math.max(4, ceilLog2(positions) / CASCADE_LEVELS);
    long levelMask = (1L << levelPower) - 1;
    float[] weightPartial = new float[CASCADE_LEVELS];
    float[] lossPartial = new float[CASCADE_LEVELS];
    long ignored = 0;
    for (int b = 0; b < batch; b++) {
      for (int e = 0; e < map; e++) {
        long t = target[tOff + b * map + e];
        if (t == ignoreIndex) {
          ignored++;
          continue;
        }
        checkTarget(t, classes);
        float data = x[xOff + (b * classes + (int) t) * map + e];
        if (weight != null) {
          float w = weight[wOff + (int) t];
          lossPartial[0] -= data * w;
          weightPartial[0] += w;
        } else {
          lossPartial[0] -= data;
        }
        long linear = (long) b * map + e;
        for (int j = 0; j + 1 < CASCADE_LEVELS; j++) {
          if ((linear & (levelMask << (j * levelPower))) != 0) {
            break;
          }
          weightPartial[j + 1] += weightPartial[j];
          lossPartial[j + 1] += lossPartial[j];
          weightPartial[j] = 0;
          lossPartial[j] = 0;
        }
      }
    }
    float total = 0;
    float loss = 0;
    for (int j = 0; j < CASCADE_LEVELS; j++) {
      total += weightPartial[j];
      loss += lossPartial[j];
    }
    if (weight == null) {
      total = (float) (positions - ignored);
    }
    result[0] = mean ? loss / total : loss;
    result[1] = total;
  }

  /**
   * The unreduced NLL loss {@code out[n, i] = −x[n, t, i]·w[t]}, 0 at ignored positions.
   *
   * @throws IndexOutOfBoundsException for a target outside [0, C) that is not {@code ignoreIndex}
   */
  public static void nllNone(float[] x, int xOff, long[] target, int tOff, float[] weight, int wOff, int batch,
      int classes, int map, long ignoreIndex, float[] out) {
    for (int b = 0; b < batch; b++) {
      for (int e = 0; e < map; e++) {
        int o = b * map + e;
        long t = target[tOff + o];
        if (t == ignoreIndex) {
          out[o] = 0;
          continue;
        }
        checkTarget(t, classes);
        float w = weight == null ? 1 : weight[wOff + (int) t];
        out[o] = -x[xOff + (b * classes + (int) t) * map + e] * w;
      }
    }
  }

  /**
   * The gradient of the NLL loss, written at the target class of every non-ignored position of the zeroed
   * {@code gx} [N, C, map].
   *
   * @param gOut the upstream gradient: [N, map] when {@code none}, one value otherwise
   * @param none whether the loss was unreduced
   * @param mean whether the reduced loss was divided by {@code totalWeight}
   */
  public static void nllBackward(float[] gOut, int gOff, boolean none, boolean mean, float totalWeight,
      long[] target, int tOff, float[] weight, int wOff, int batch, int classes, int map, long ignoreIndex,
      float[] gx) {
    float grad = none ? 0 : -(mean ? gOut[gOff] / totalWeight : gOut[gOff]);
    for (int b = 0; b < batch; b++) {
      for (int e = 0; e < map; e++) {
        int o = b * map + e;
        long t = target[tOff + o];
        if (t == ignoreIndex) {
          continue;
        }
        checkTarget(t, classes);
        int at = (b * classes + (int) t) * map + e;
        if (none) {
          float w = weight == null ? 1 : weight[wOff + (int) t];
          gx[at] = -w * gOut[gOff + o];
        } else {
          gx[at] = weight == null ? grad : weight[wOff + (int) t] * grad;
        }
      }
    }
  }

  /** {@code out[i] = (a[i] − b[i])²} for {@code i < n}. */
  public static void squaredError(float[] a, int aOff, float[] b, int bOff, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      float d = a[aOff + i] - b[bOff + i];
      out[i] = d * d;
    }
  }

  /**
   * The gradient of the squared error with respect to {@code a}: {@code out[i] = norm·(a[i] − b[i])·g},
   * with {@code norm} rounded to the dtype first, as PyTorch's {@code mse_backward} kernel.
   *
   * @param g the upstream gradient from {@code gOff}: one value when {@code gScalar}, else n values
   */
  public static void squaredErrorBackward(double norm, float[] a, int aOff, float[] b, int bOff, float[] g,
      int gOff, boolean gScalar, float[] out, int n) {
    float alpha = (float) norm;
    if (gScalar) {
      float gv = g[gOff];
      for (int i = 0; i < n; i++) {
        out[i] = alpha * (a[aOff + i] - b[bOff + i]) * gv;
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = alpha * (a[aOff + i] - b[bOff + i]) * g[gOff + i];
      }
    }
  }

  private static void checkTarget(long t, int classes) {
    if (t < 0 || t >= classes) {
      throw new IndexOutOfBoundsException("Target " + t + " is out of bounds.");
    }
  }

  /** c10's {@code CeilLog2}: 1 for x ≤ 2, else ⌈log₂ x⌉. */
  private static int ceilLog2(long x) {
    return x <= 2 ? 1 : 64 - Long.numberOfLeadingZeros(x - 1);
  }
}
