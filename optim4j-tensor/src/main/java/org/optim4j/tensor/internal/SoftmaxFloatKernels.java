package org.optim4j.tensor.internal;

/**
 * Softmax and log-softmax over the rows of a contiguous [rows, width] matrix, and their gradients.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float.
 *
 * <p>The forward works in double precision and rounds each result once: the row maximum m (0 when it is
 * infinite), {@code s = Σ exp(x − m)}, then {@code x − m − log s} or {@code exp(x − m) / s}. The gradients
 * are rounded exactly as the tensor operations they fuse: the row sum is {@link
 * ElementwiseFloatKernels#sum} rounded to the dtype, and every product and difference is rounded in the
 * dtype.
 */
@SuppressWarnings("cast") // the casts are needed in the float source and redundant in its double twin
public final class SoftmaxFloatKernels {
  private SoftmaxFloatKernels() {}

  /**
   * Rows {@code from … to-1}: {@code out = log ? log_softmax(x) : softmax(x)} row by row.
   *
   * @param x the input rows, from {@code xo}
   * @param out the output rows, from {@code oo}
   */
  public static void forward(float[] x, int xo, float[] out, int oo, int from, int to, int width, boolean log) {
    for (int i = from; i < to; i++) {
      int a = xo + i * width;
      int o = oo + i * width;
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < width; j++) {
        m = Math.max(m, x[a + j]);
      }
      if (Double.isInfinite(m)) {
        m = 0;
      }
      double s = 0;
      for (int j = 0; j < width; j++) {
        s += Math.exp(x[a + j] - m);
      }
      if (log) {
        double logS = Math.log(s);
        for (int j = 0; j < width; j++) {
          out[o + j] = (float) (x[a + j] - m - logS);
        }
      } else {
        for (int j = 0; j < width; j++) {
          out[o + j] = (float) (Math.exp(x[a + j] - m) / s);
        }
      }
    }
  }

  /**
   * Rows {@code from … to-1} of log-softmax's gradient: {@code gin = g − exp(out)·Σⱼ g}.
   *
   * @param g the upstream gradient rows, from {@code go}
   * @param out the forward's output rows, from {@code oo}
   * @param gin the input gradient rows, from index 0
   */
  public static void logBackward(float[] g, int go, float[] out, int oo, float[] gin, int from, int to, int width) {
    for (int i = from; i < to; i++) {
      int gr = go + i * width;
      int or = oo + i * width;
      int r = i * width;
      float s = (float) ElementwiseFloatKernels.sum(g, gr, 1, width);
      for (int j = 0; j < width; j++) {
        gin[r + j] = g[gr + j] - (float) Math.exp(out[or + j]) * s;
      }
    }
  }

  /**
   * Rows {@code from … to-1} of softmax's gradient: {@code gin = out·(g − Σⱼ g·out)}.
   *
   * @param g the upstream gradient rows, from {@code go}
   * @param out the forward's output rows, from {@code oo}
   * @param gin the input gradient rows, from index 0; each row first holds the products g·out
   */
  public static void backward(float[] g, int go, float[] out, int oo, float[] gin, int from, int to, int width) {
    for (int i = from; i < to; i++) {
      int gr = go + i * width;
      int or = oo + i * width;
      int r = i * width;
      for (int j = 0; j < width; j++) {
        gin[r + j] = g[gr + j] * out[or + j];
      }
      float s = (float) ElementwiseFloatKernels.sum(gin, r, 1, width);
      for (int j = 0; j < width; j++) {
        gin[r + j] = out[or + j] * (g[gr + j] - s);
      }
    }
  }
}
