package org.optim4j.tensor.internal;

import java.lang.ref.SoftReference;
import java.util.Arrays;

/**
 * 2-D convolution over {@code float} storage as im2col and matrix products.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float.
 *
 * <p>Images are taken in chunks of at most {@link #CHUNK_ELEMENTS} column entries. Within a chunk of nb
 * images and for one group, the columns of all images sit side by side in one [K, nb·L] matrix, with
 * K = (C/groups)·kH·kW and L = outH·outW, so that every product is a single {@link Gemm} call, which
 * splits itself across threads:
 * <pre>
 * forward    out[n, o, l]       = Σₖ W[o, k]·cols[k, n·L + l]  + bias[o]
 * weight     gW[o, k]          += Σ_{n,l} gOut[o, n·L + l]·cols[k, n·L + l]   (chunks in order)
 * input      gCols[k, n·L + l]  = Σₒ W[o, k]·gOut[o, n·L + l],  then col2im adds gCols into gX
 * bias       gB[o]              = Σ_{n,l} gOut[n, o, l]  (in double, rounded once)
 * </pre>
 * The column matrix is walked row by row (a row is one kernel tap of one input channel over all images
 * of the chunk): im2col splits its rows across threads, col2im its input channels, and the layout copies
 * split the images. Each element is written by one thread in a fixed order, and the chunking depends
 * only on the shapes, so results do not depend on the thread count. The column, product and gradient
 * matrices are per-thread scratch buffers reused from call to call.
 */
@SuppressWarnings("cast") // the casts are needed in the float source and redundant in its double twin
public final class ConvFloatKernels {
  /** Most entries of one chunk's column matrix: 4 Mi elements. */
  private static final int CHUNK_ELEMENTS = 1 << 22;
  /** Elements per thread below which a copy stays on the calling thread. */
  private static final int GRAIN = 1 << 14;
  /*
   * Each thread's scratch buffers: the column matrix, the product of a chunk, the gathered upstream
   * gradient. They are rewritten in full before being read and kept from one call to the next, since
   * allocating them anew (several MiB each, zeroed by the JVM) cost more than the im2col that fills
   * them; soft references let the collector take them back when memory runs short.
   */
  private static final ThreadLocal<SoftReference<float[]>> COLS = new ThreadLocal<>();
  private static final ThreadLocal<SoftReference<float[]>> PRODUCT = new ThreadLocal<>();
  private static final ThreadLocal<SoftReference<float[]>> GATHERED = new ThreadLocal<>();

  private ConvFloatKernels() {}

  /**
   * {@code out ← conv2d(x, w) + bias}.
   *
   * @param g the geometry
   * @param x the contiguous [N, C, H, W] input, from {@code xOff}
   * @param w the contiguous [O, C/groups, kH, kW] weight, from {@code wOff}
   * @param bias the [O] bias from {@code biasOff}, or null
   * @param out the contiguous [N, O, outH, outW] output, from index 0; fully overwritten
   */
  public static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
      float[] out) {
    int l = g.colCols();
    int k = g.colRows();
    int og = g.outPerGroup();
    int chunk = chunk(g);
    float[] cols = scratch(COLS, k * chunk * l);
    float[] prod = chunk > 1 ? scratch(PRODUCT, og * chunk * l) : null;
    for (int n0 = 0; n0 < g.batch(); n0 += chunk) {
      int nb = Math.min(chunk, g.batch() - n0);
      int width = nb * l;
      for (int gi = 0; gi < g.groups(); gi++) {
        im2col(g, x, xOff, n0, nb, gi, cols);
        if (nb == 1) {
          int c0 = (n0 * g.outChannels() + gi * og) * l;
          Gemm.gemm(false, false, og, l, k, 1, w, wOff + gi * og * k, k, cols, 0, l, 0, out, c0, l);
          if (bias != null) {
            for (int o = 0; o < og; o++) {
              addConstant(out, c0 + o * l, l, bias[biasOff + gi * og + o]);
            }
          }
        } else {
          Gemm.gemm(false, false, og, width, k, 1, w, wOff + gi * og * k, k, cols, 0, width, 0, prod, 0, width);
          scatterOutput(g, prod, n0, nb, gi, bias, biasOff, out);
        }
      }
    }
  }

  /**
   * The gradients of {@link #forward}: {@code gx += ∂/∂x}, {@code gw ← ∂/∂w}, {@code gb ← ∂/∂bias} for the
   * upstream gradient {@code gOut}; pass null for a gradient that is not needed.
   *
   * @param g the geometry
   * @param x the input of the forward, from {@code xOff}
   * @param w the weight of the forward, from {@code wOff}
   * @param gOut the contiguous [N, O, outH, outW] upstream gradient, from {@code gOff}
   * @param gx a zeroed [N, C, H, W] array for the input gradient, or null
   * @param gw an [O, C/groups, kH, kW] array for the weight gradient (overwritten), or null
   * @param gb an [O] array for the bias gradient (overwritten), or null
   */
  public static void backward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] gOut, int gOff,
      float[] gx, float[] gw, float[] gb) {
    int l = g.colCols();
    int k = g.colRows();
    int og = g.outPerGroup();
    int outCh = g.outChannels();
    int chunk = chunk(g);
    boolean products = gx != null || gw != null;
    // Row sums of gOut per (image, channel) for the bias gradient, taken while gathering when there is a
    // gather (the rows are then in cache), else in a pass of their own.
    double[] rowSums = gb == null ? null : new double[g.batch() * outCh];
    if (gb != null && !(products && chunk > 1)) {
      sumRows(g, gOut, gOff, 0, g.batch(), rowSums);
    }
    if (gw != null && g.batch() == 0) {
      Arrays.fill(gw, 0);
    }
    float[] cols = products ? scratch(COLS, k * chunk * l) : null;
    float[] gathered = products && chunk > 1 ? scratch(GATHERED, outCh * chunk * l) : null;
    for (int n0 = 0; products && n0 < g.batch(); n0 += chunk) {
      int nb = Math.min(chunk, g.batch() - n0);
      int width = nb * l;
      float[] gm = gOut;
      int gmOff = gOff + n0 * outCh * l;
      if (nb > 1) {
        gatherGradient(g, gOut, gOff, n0, nb, gathered, rowSums);
        gm = gathered;
        gmOff = 0;
      } else if (rowSums != null && chunk > 1) {
        sumRows(g, gOut, gOff, n0, 1, rowSums);
      }
      for (int gi = 0; gi < g.groups(); gi++) {
        int gRows = gmOff + gi * og * width;
        if (gw != null) {
          im2col(g, x, xOff, n0, nb, gi, cols);
          Gemm.gemm(false, true, og, k, width, 1, gm, gRows, width, cols, 0, width, n0 == 0 ? 0 : 1, gw,
              gi * og * k, k);
        }
        if (gx != null) {
          Gemm.gemm(true, false, k, width, og, 1, w, wOff + gi * og * k, k, gm, gRows, width, 0, cols, 0, width);
          col2im(g, cols, n0, nb, gi, gx);
        }
      }
    }
    if (gb != null) {
      for (int o = 0; o < outCh; o++) {
        double sum = 0;
        for (int n = 0; n < g.batch(); n++) {
          sum += rowSums[n * outCh + o];
        }
        gb[o] = (float) sum;
      }
    }
  }

  /** rowSums[n·O + o] ← Σₗ gOut[n, o, l] for the images n0 … n0+nb-1, split across threads by image. */
  private static void sumRows(ConvGeometry g, float[] gOut, int gOff, int n0, int nb, double[] rowSums) {
    int l = g.colCols();
    int outCh = g.outChannels();
    Parallel.forRange(nb, grain((long) outCh * l), (from, to) -> {
      for (int i = from; i < to; i++) {
        for (int o = 0; o < outCh; o++) {
          int row = (n0 + i) * outCh + o;
          rowSums[row] = ElementwiseFloatKernels.sum(gOut, gOff + row * l, 1, l);
        }
      }
    });
  }

  /** Images per chunk: as many as fit {@link #CHUNK_ELEMENTS} column entries, at least one. */
  private static int chunk(ConvGeometry g) {
    long perImage = Math.max(1L, (long) g.colRows() * g.colCols());
    return (int) Math.max(1L, Math.min(g.batch(), CHUNK_ELEMENTS / perImage));
  }

  /** This thread's scratch buffer of {@code slot}, of at least {@code n} elements (contents undefined). */
  private static float[] scratch(ThreadLocal<SoftReference<float[]>> slot, int n) {
    SoftReference<float[]> ref = slot.get();
    float[] buffer = ref == null ? null : ref.get();
    if (buffer == null || buffer.length < n) {
      buffer = new float[n];
      slot.set(new SoftReference<>(buffer));
    }
    return buffer;
  }

  private static int grain(long perImage) {
    return (int) Math.max(1L, GRAIN / Math.max(1L, perImage));
  }

  private static void addConstant(float[] a, int from, int n, float v) {
    for (int j = 0; j < n; j++) {
      a[from + j] += v;
    }
  }

  /**
   * Writes the columns of images n0 … n0+nb-1, group gi, into {@code cols} [K, nb·L]. The matrix is
   * filled row by row (each row is written front to back, the prefetcher's favourite pattern), and the
   * rows are split across threads. For one row, the inputs read are one channel plane of each image.
   */
  private static void im2col(ConvGeometry g, float[] x, int xOff, int n0, int nb, int gi, float[] cols) {
    int l = g.colCols();
    int ld = nb * l;
    int plane = g.height() * g.width();
    int taps = g.kernelH() * g.kernelW();
    int first = xOff + (n0 * g.inChannels() + gi * g.inPerGroup()) * plane;
    int imageStride = g.inChannels() * plane;
    Parallel.forRange(g.colRows(), grain(ld), (from, to) -> {
      for (int r = from; r < to; r++) {
        int c = r / taps;
        int ki = r % taps / g.kernelW();
        int kj = r % g.kernelW();
        for (int i = 0; i < nb; i++) {
          tap(g, ki, kj, x, first + i * imageStride + c * plane, cols, r * ld + i * l, false);
        }
      }
    });
  }

  /**
   * Adds the columns {@code cols} [K, nb·L] of images n0 … n0+nb-1, group gi, into {@code gx}. The input
   * channels are split across threads (the rows of one channel add into the same planes, so they stay on
   * one thread), or the images when there are fewer channels than threads. Either way each element of
   * {@code gx} receives its terms in the order of the kernel taps, whatever the thread count.
   */
  private static void col2im(ConvGeometry g, float[] cols, int n0, int nb, int gi, float[] gx) {
    int l = g.colCols();
    int ld = nb * l;
    int plane = g.height() * g.width();
    int taps = g.kernelH() * g.kernelW();
    int channels = g.inPerGroup();
    int first = (n0 * g.inChannels() + gi * channels) * plane;
    int imageStride = g.inChannels() * plane;
    boolean byChannel = channels >= Parallel.threads();
    int units = byChannel ? channels : nb;
    Parallel.forRange(units, grain(byChannel ? (long) taps * ld : (long) g.colRows() * l), (from, to) -> {
      int c0 = byChannel ? from : 0;
      int c1 = byChannel ? to : channels;
      int i0 = byChannel ? 0 : from;
      int i1 = byChannel ? nb : to;
      for (int c = c0; c < c1; c++) {
        for (int t = 0; t < taps; t++) {
          int r = c * taps + t;
          for (int i = i0; i < i1; i++) {
            tap(g, t / g.kernelW(), t % g.kernelW(), gx, first + i * imageStride + c * plane, cols, r * ld + i * l,
                true);
          }
        }
      }
    });
  }

  /**
   * One kernel tap (ki, kj) of one image's channel plane at {@code imgOff}: im2col copies the pixels under
   * the tap at every output position into the L columns at {@code colOff}; with {@code back}, col2im adds
   * those columns into the plane instead. The output columns [owLo, owHi) are those whose tap lies inside
   * the input's width, the others read the zero padding.
   */
  private static void tap(ConvGeometry g, int ki, int kj, float[] img, int imgOff, float[] cols, int colOff,
      boolean back) {
    int h = g.height();
    int wd = g.width();
    int outW = g.outW();
    int sW = g.strideW();
    int iwBase = kj * g.dilationW() - g.padW();
    int owLo = iwBase >= 0 ? 0 : Math.min(outW, (-iwBase + sW - 1) / sW);
    int owHi = wd - 1 - iwBase < 0 ? owLo : Math.max(owLo, Math.min(outW, (wd - 1 - iwBase) / sW + 1));
    for (int oh = 0; oh < g.outH(); oh++) {
      int ih = oh * g.strideH() - g.padH() + ki * g.dilationH();
      int dst = colOff + oh * outW;
      boolean inside = ih >= 0 && ih < h;
      int src = imgOff + ih * wd + iwBase;
      if (back) {
        if (inside) {
          addRun(cols, dst, img, src, sW, owLo, owHi);
        }
      } else if (!inside) {
        Arrays.fill(cols, dst, dst + outW, 0);
      } else {
        if (owLo > 0) {
          Arrays.fill(cols, dst, dst + owLo, 0);
        }
        copyRun(img, src, sW, cols, dst, owLo, owHi);
        if (owHi < outW) {
          Arrays.fill(cols, dst + owHi, dst + outW, 0);
        }
      }
    }
  }

  /**
   * {@code cols[dst + ow] = img[src + ow·sW]} for ow in [lo, hi). A unit-stride run is an
   * {@code arraycopy}, which beats the JIT's loop on runs too short for its vectorised main loop.
   */
  private static void copyRun(float[] img, int src, int sW, float[] cols, int dst, int lo, int hi) {
    if (sW == 1) {
      System.arraycopy(img, src + lo, cols, dst + lo, hi - lo);
    } else {
      for (int ow = lo; ow < hi; ow++) {
        cols[dst + ow] = img[src + ow * sW];
      }
    }
  }

  /** {@code img[src + ow·sW] += cols[dst + ow]} for ow in [lo, hi). */
  private static void addRun(float[] cols, int dst, float[] img, int src, int sW, int lo, int hi) {
    if (sW == 1) {
      for (int ow = lo; ow < hi; ow++) {
        img[src + ow] += cols[dst + ow];
      }
    } else {
      for (int ow = lo; ow < hi; ow++) {
        img[src + ow * sW] += cols[dst + ow];
      }
    }
  }

  /** out[n0+i, gi·og + o, :] ← prod[o, i·L : (i+1)·L] + bias[gi·og + o]. */
  private static void scatterOutput(ConvGeometry g, float[] prod, int n0, int nb, int gi, float[] bias,
      int biasOff, float[] out) {
    int l = g.colCols();
    int og = g.outPerGroup();
    int width = nb * l;
    Parallel.forRange(nb, grain((long) og * l), (from, to) -> {
      for (int i = from; i < to; i++) {
        for (int o = 0; o < og; o++) {
          int src = o * width + i * l;
          int dst = ((n0 + i) * g.outChannels() + gi * og + o) * l;
          if (bias == null) {
            System.arraycopy(prod, src, out, dst, l);
          } else {
            float b = bias[biasOff + gi * og + o];
            for (int j = 0; j < l; j++) {
              out[dst + j] = prod[src + j] + b;
            }
          }
        }
      }
    });
  }

  /**
   * gathered[o, i·L + l] ← gOut[n0+i, o, l]: the upstream gradient of a chunk as one [O, nb·L] matrix;
   * with {@code rowSums}, also each copied row's sum, as {@link #sumRows} takes it.
   */
  private static void gatherGradient(ConvGeometry g, float[] gOut, int gOff, int n0, int nb, float[] gathered,
      double[] rowSums) {
    int l = g.colCols();
    int outCh = g.outChannels();
    int width = nb * l;
    Parallel.forRange(nb, grain((long) outCh * l), (from, to) -> {
      for (int i = from; i < to; i++) {
        for (int o = 0; o < outCh; o++) {
          int row = (n0 + i) * outCh + o;
          System.arraycopy(gOut, gOff + row * l, gathered, o * width + i * l, l);
          if (rowSums != null) {
            rowSums[row] = ElementwiseFloatKernels.sum(gathered, o * width + i * l, 1, l);
          }
        }
      }
    });
  }
}
