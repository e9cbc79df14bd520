package org.optim4j.tensor.internal;

/**
 * 2-D max and average pooling over {@code float} planes, with their gradients: the loops of PyTorch's
 * CPU kernels {@code cpu_max_pool} and {@code cpu_avg_pool}, window by window.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float.
 *
 * <p>Every plane is independent, so planes are split across threads; within a plane the loops run in
 * PyTorch's order. Max pooling keeps the first maximum in scan order and lets NaN win (a later NaN
 * replaces an earlier one, as in PyTorch); its indices are flat positions {@code ih·W + iw} within the
 * plane. Average pooling sums in the input dtype and divides once.
 */
@SuppressWarnings("cast") // the casts are needed in the float source and redundant in its double twin
public final class PoolFloatKernels {
  /** Elements per thread below which a kernel stays on the calling thread. */
  private static final int GRAIN = 1 << 14;

  private PoolFloatKernels() {}

  private static int grain(PoolGeometry g) {
    long perPlane = Math.max(1L, (long) g.outPlane() * g.kernelH() * g.kernelW() + g.inPlane());
    return (int) Math.max(1L, GRAIN / perPlane);
  }

  /**
   * Max pooling: {@code out} and {@code indices} [planes, outH, outW] from the contiguous input {@code x}.
   *
   * @param g the geometry
   * @param x the input planes, from {@code xOff}
   * @param out the pooled values, from index 0
   * @param indices the flat in-plane position of each value, from index 0
   */
  public static void maxForward(PoolGeometry g, float[] x, int xOff, float[] out, long[] indices) {
    Parallel.forRange(g.planes(), grain(g), (from, to) -> {
      float[] best = new float[g.outW()];
      int[] at = new int[g.outW()];
      for (int p = from; p < to; p++) {
        maxPlane(g, x, xOff + p * g.inPlane(), out, indices, p * g.outPlane(), best, at);
      }
    });
  }

  /**
   * One plane. Each window follows PyTorch's {@code if (val > maxVal || isnan(val))} in scan order. The
   * windows of one output row that lie wholly inside the input ([owLo, owHi)) are scanned in lockstep,
   * tap by tap across the row, so that their comparison chains are independent and overlap; the taken
   * index moves by a mask (random data mispredicts half of the branches of a plain {@code if}). The
   * running maximum is used for comparisons only; the output is re-read at the final index.
   */
  private static void maxPlane(PoolGeometry g, float[] x, int xo, float[] out, long[] indices, int oo,
      float[] best, int[] at) {
    int h = g.height();
    int w = g.width();
    int outW = g.outW();
    int dH = g.dilationH();
    int dW = g.dilationW();
    int sW = g.strideW();
    int span = (g.kernelW() - 1) * dW + 1;
    int owLo = Math.min(outW, (g.padW() + sW - 1) / sW);
    int owHi = Math.max(owLo, Math.min(outW, w + g.padW() - span < 0 ? 0 : (w + g.padW() - span) / sW + 1));
    for (int oh = 0; oh < g.outH(); oh++) {
      int ih0 = oh * g.strideH() - g.padH();
      int ih1 = Math.min(ih0 + (g.kernelH() - 1) * dH + 1, h);
      if (ih0 < 0) {
        ih0 += (-ih0 + dH - 1) / dH * dH;
      }
      int row = oo + oh * outW;
      if (ih0 >= ih1) {
        for (int ow = 0; ow < outW; ow++) {
          maxWindow(g, x, xo, ih0, ih1, ow, out, indices, row + ow);
        }
        continue;
      }
      for (int ow = 0; ow < owLo; ow++) {
        maxWindow(g, x, xo, ih0, ih1, ow, out, indices, row + ow);
      }
      for (int ow = owLo; ow < owHi; ow++) {
        best[ow] = Float.NEGATIVE_INFINITY;
        at[ow] = ih0 * w + ow * sW - g.padW();
      }
      for (int ih = ih0; ih < ih1; ih += dH) {
        for (int kj = 0; kj < g.kernelW(); kj++) {
          int base = ih * w + kj * dW - g.padW();
          for (int ow = owLo; ow < owHi; ow++) {
            int index = base + ow * sW;
            float val = x[xo + index];
            float m = best[ow];
            at[ow] += (index - at[ow]) & (val > m | val != val ? -1 : 0);
            best[ow] = Math.max(m, val);
          }
        }
      }
      for (int ow = owLo; ow < owHi; ow++) {
        out[row + ow] = x[xo + at[ow]];
        indices[row + ow] = at[ow];
      }
      for (int ow = owHi; ow < outW; ow++) {
        maxWindow(g, x, xo, ih0, ih1, ow, out, indices, row + ow);
      }
    }
  }

  /** One window whose columns the input's edge clips, rows ih0 … ih1 (already clipped). */
  private static void maxWindow(PoolGeometry g, float[] x, int xo, int ih0, int ih1, int ow, float[] out,
      long[] indices, int o) {
    int w = g.width();
    int dH = g.dilationH();
    int dW = g.dilationW();
    int iw0 = ow * g.strideW() - g.padW();
    int iw1 = Math.min(iw0 + (g.kernelW() - 1) * dW + 1, w);
    if (iw0 < 0) {
      iw0 += (-iw0 + dW - 1) / dW * dW;
    }
    int maxIndex = ih0 * w + iw0;
    float maxVal = Float.NEGATIVE_INFINITY;
    for (int ih = ih0; ih < ih1; ih += dH) {
      for (int iw = iw0; iw < iw1; iw += dW) {
        int index = ih * w + iw;
        float val = x[xo + index];
        if (val > maxVal || val != val) {
          maxVal = val;
          maxIndex = index;
        }
      }
    }
    out[o] = maxVal;
    indices[o] = maxIndex;
  }

  /**
   * The gradient of max pooling: {@code gx[plane, index] += gOut[plane, o]} for every output o.
   *
   * @param g the geometry
   * @param gOut the contiguous upstream gradient [planes, outH, outW], from {@code gOff}
   * @param indices the indices of {@link #maxForward}
   * @param gx a zeroed [planes, H, W] array
   */
  public static void maxBackward(PoolGeometry g, float[] gOut, int gOff, long[] indices, float[] gx) {
    int outPlane = g.outPlane();
    Parallel.forRange(g.planes(), grain(g), (from, to) -> {
      for (int p = from; p < to; p++) {
        int ib = p * g.inPlane();
        int ob = p * outPlane;
        for (int j = 0; j < outPlane; j++) {
          gx[ib + (int) indices[ob + j]] += gOut[gOff + ob + j];
        }
      }
    });
  }

  /**
   * Average pooling of the contiguous input {@code x} into {@code out} [planes, outH, outW].
   *
   * @param g the geometry (dilation 1)
   * @param countIncludePad whether padded positions count in the divisor
   * @param divisorOverride the divisor of every window, or 0 for none
   * @param x the input planes, from {@code xOff}
   * @param out the pooled values, from index 0
   */
  public static void avgForward(PoolGeometry g, boolean countIncludePad, int divisorOverride, float[] x, int xOff,
      float[] out) {
    Parallel.forRange(g.planes(), grain(g), (from, to) -> {
      int h = g.height();
      int w = g.width();
      for (int p = from; p < to; p++) {
        int xo = xOff + p * g.inPlane();
        int oo = p * g.outPlane();
        for (int oh = 0; oh < g.outH(); oh++) {
          for (int ow = 0; ow < g.outW(); ow++) {
            int ih0 = oh * g.strideH() - g.padH();
            int iw0 = ow * g.strideW() - g.padW();
            int ih1 = Math.min(ih0 + g.kernelH(), h + g.padH());
            int iw1 = Math.min(iw0 + g.kernelW(), w + g.padW());
            int poolSize = (ih1 - ih0) * (iw1 - iw0);
            ih0 = Math.max(ih0, 0);
            iw0 = Math.max(iw0, 0);
            ih1 = Math.min(ih1, h);
            iw1 = Math.min(iw1, w);
            int o = oo + oh * g.outW() + ow;
            if (ih0 >= ih1 || iw0 >= iw1) {
              out[o] = 0;
              continue;
            }
            int divide = divisorOverride != 0 ? divisorOverride
                : countIncludePad ? poolSize : (ih1 - ih0) * (iw1 - iw0);
            float sum = 0;
            for (int ih = ih0; ih < ih1; ih++) {
              for (int iw = iw0; iw < iw1; iw++) {
                sum += x[xo + ih * w + iw];
              }
            }
            out[o] = sum / divide;
          }
        }
      }
    });
  }

  /**
   * The gradient of average pooling: each window's upstream gradient, divided as in the forward, is
   * added to every input position of the window.
   *
   * @param g the geometry (dilation 1)
   * @param countIncludePad whether padded positions count in the divisor
   * @param divisorOverride the divisor of every window, or 0 for none
   * @param gOut the contiguous upstream gradient [planes, outH, outW], from {@code gOff}
   * @param gx a zeroed [planes, H, W] array
   */
  public static void avgBackward(PoolGeometry g, boolean countIncludePad, int divisorOverride, float[] gOut,
      int gOff, float[] gx) {
    Parallel.forRange(g.planes(), grain(g), (from, to) -> {
      int h = g.height();
      int w = g.width();
      for (int p = from; p < to; p++) {
        int xo = p * g.inPlane();
        int oo = gOff + p * g.outPlane();
        for (int oh = 0; oh < g.outH(); oh++) {
          for (int ow = 0; ow < g.outW(); ow++) {
            int ih0 = oh * g.strideH() - g.padH();
            int iw0 = ow * g.strideW() - g.padW();
            int ih1 = Math.min(ih0 + g.kernelH(), h + g.padH());
            int iw1 = Math.min(iw0 + g.kernelW(), w + g.padW());
            int poolSize = (ih1 - ih0) * (iw1 - iw0);
            ih0 = Math.max(ih0, 0);
            iw0 = Math.max(iw0, 0);
            ih1 = Math.min(ih1, h);
            iw1 = Math.min(iw1, w);
            if (ih0 >= ih1 || iw0 >= iw1) {
              continue;
            }
            int divide = divisorOverride != 0 ? divisorOverride
                : countIncludePad ? poolSize : (ih1 - ih0) * (iw1 - iw0);
            float delta = gOut[oo + oh * g.outW() + ow] / divide;
            for (int ih = ih0; ih < ih1; ih++) {
              for (int iw = iw0; iw < iw1; iw++) {
                gx[xo + ih * w + iw] += delta;
              }
            }
          }
        }
      }
    });
  }
}
