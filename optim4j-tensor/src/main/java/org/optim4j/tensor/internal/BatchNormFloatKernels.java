package org.optim4j.tensor.internal;

/**
 * Batch normalization over {@code float} storage laid out as [N, C, inner]: per-channel statistics,
 * the affine transform and the gradients, with PyTorch's CPU rounding ({@code batch_norm_kernel.cpp}).
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float.
 *
 * <pre>
 * μ = Σx / m              σ²ₛ = Σ(x − μ)²           (m = N·inner values per channel)
 * invstd = 1/√(σ²ₛ/m + ε)  (training)   or  1/√(running_var + ε)  (evaluation)
 * α = invstd·γ            β = bias − μ·α           y = x·α + β
 * running_mean ← (1 − momentum)·running_mean + momentum·μ
 * running_var  ← (1 − momentum)·running_var  + momentum·σ²ₛ/(m − 1)
 * ∂x = (∂y − Σ∂y/m − (x − μ)·invstd²·Σ(x − μ)∂y/m)·invstd·γ   (training),   ∂y·invstd·γ   (evaluation)
 * ∂γ = Σ(x − μ)∂y·invstd    ∂bias = Σ∂y
 * </pre>
 * As in PyTorch, the mean of a channel with inner > 1 is summed in double, and with inner = 1 (the
 * channels-last path, e.g. BatchNorm1d on [N, C]) in the input dtype; μ and invstd are rounded to the
 * input dtype before they are used. Channels are split across threads.
 */
@SuppressWarnings("cast") // the casts are needed in the float source and redundant in its double twin
public final class BatchNormFloatKernels {
  /** Elements per thread below which a kernel stays on the calling thread. */
  private static final int GRAIN = 1 << 14;

  private BatchNormFloatKernels() {}

  private static int grain(long perChannel) {
    return (int) Math.max(1L, GRAIN / Math.max(1L, perChannel));
  }

  /**
   * The batch statistics: {@code mean[c]} and the sum of squared deviations {@code varSum[c]}.
   *
   * @param x the contiguous [N, C, inner] input, from {@code xOff}
   * @param batch N
   * @param channels C
   * @param inner the product of the dimensions after the channel dimension
   * @param mean the channel means (output)
   * @param varSum the channel sums of squared deviations from the mean (output)
   */
  public static void stats(float[] x, int xOff, int batch, int channels, int inner, float[] mean, float[] varSum) {
    int count = batch * inner;
    if (inner == 1) {
      float[] sum = new float[channels];
      for (int n = 0; n < batch; n++) {
        int row = xOff + n * channels;
        for (int c = 0; c < channels; c++) {
          sum[c] += x[row + c];
        }
      }
      for (int c = 0; c < channels; c++) {
        mean[c] = (float) ((double) sum[c] / count);
      }
      float[] squares = new float[channels];
      for (int n = 0; n < batch; n++) {
        int row = xOff + n * channels;
        for (int c = 0; c < channels; c++) {
          float d = x[row + c] - mean[c];
          squares[c] += d * d;
        }
      }
      System.arraycopy(squares, 0, varSum, 0, channels);
      return;
    }
    Parallel.forRange(channels, grain(count), (from, to) -> {
      for (int c = from; c < to; c++) {
        double s = 0;
        for (int n = 0; n < batch; n++) {
          int base = xOff + (n * channels + c) * inner;
          for (int i = 0; i < inner; i++) {
            s += x[base + i];
          }
        }
        float m = (float) (s / count);
        double v = 0;
        for (int n = 0; n < batch; n++) {
          int base = xOff + (n * channels + c) * inner;
          for (int i = 0; i < inner; i++) {
            float d = x[base + i] - m;
            v += d * d;
          }
        }
        mean[c] = m;
        varSum[c] = (float) v;
      }
    });
  }

  /**
   * The saved inverse standard deviation of training mode, {@code 1/√(varSum/count + eps)} (0 when both
   * the variance and eps are 0).
   */
  public static void invStd(float[] varSum, int count, double eps, float[] invstd) {
    for (int c = 0; c < invstd.length; c++) {
      float var = varSum[c] / count;
      invstd[c] = var != 0 || eps != 0 ? (float) (1 / Math.sqrt(var + eps)) : 0;
    }
  }

  /**
   * The inverse standard deviations of evaluation mode from the running variance: {@code forward} as
   * PyTorch's forward rounds it (in the input dtype), {@code backward} as its backward does (in double).
   */
  public static void evalInvStd(float[] runningVar, int rvOff, double eps, float[] forward, float[] backward) {
    for (int c = 0; c < forward.length; c++) {
      float rv = runningVar[rvOff + c];
      forward[c] = 1 / (float) Math.sqrt(rv + (float) eps);
      backward[c] = (float) (1 / Math.sqrt(rv + eps));
    }
  }

  /**
   * Updates the running statistics in place with the batch statistics (either array may be null).
   *
   * @param count the number of values per channel, at least 2
   */
  public static void updateRunning(float[] mean, float[] varSum, int count, double momentum, float[] runningMean,
      int rmOff, float[] runningVar, int rvOff) {
    float m = (float) momentum;
    for (int c = 0; c < mean.length; c++) {
      if (runningMean != null) {
        runningMean[rmOff + c] = m * mean[c] + (1 - m) * runningMean[rmOff + c];
      }
      if (runningVar != null) {
        float unbiased = varSum[c] / (count - 1);
        runningVar[rvOff + c] = (float) (m * (double) unbiased + (1 - m) * runningVar[rvOff + c]);
      }
    }
  }

  /**
   * {@code out = x·α[c] + β[c]} with {@code α = invstd·weight} and {@code β = bias − mean·α}.
   *
   * @param weight the [C] scale from {@code wOff}, or null for 1
   * @param bias the [C] shift from {@code bOff}, or null for 0
   */
  public static void transform(float[] x, int xOff, int batch, int channels, int inner, float[] mean,
      float[] invstd, float[] weight, int wOff, float[] bias, int bOff, float[] out) {
    float[] alpha = new float[channels];
    float[] beta = new float[channels];
    for (int c = 0; c < channels; c++) {
      float w = weight == null ? 1 : weight[wOff + c];
      float b = bias == null ? 0 : bias[bOff + c];
      alpha[c] = invstd[c] * w;
      beta[c] = b - mean[c] * alpha[c];
    }
    if (inner == 1) {
      Parallel.forRange(batch, grain(channels), (from, to) -> {
        for (int n = from; n < to; n++) {
          int row = n * channels;
          for (int c = 0; c < channels; c++) {
            out[row + c] = x[xOff + row + c] * alpha[c] + beta[c];
          }
        }
      });
      return;
    }
    Parallel.forRange(batch * channels, grain(inner), (from, to) -> {
      for (int r = from; r < to; r++) {
        int c = r % channels;
        float a = alpha[c];
        float b = beta[c];
        int base = r * inner;
        for (int i = 0; i < inner; i++) {
          out[base + i] = x[xOff + base + i] * a + b;
        }
      }
    });
  }

  /**
   * The gradients of {@link #transform}; pass null for a gradient that is not needed.
   *
   * @param x the contiguous input of the forward, from {@code xOff}
   * @param gOut the contiguous upstream gradient, from {@code gOff}
   * @param mean the channel means the forward used (the running mean in evaluation mode)
   * @param invstd the channel inverse standard deviations (see {@link #evalInvStd} for evaluation mode)
   * @param weight the [C] scale from {@code wOff}, or null for 1
   * @param train whether the forward normalized with the batch statistics
   * @param gx the input gradient [N, C, inner] (overwritten), or null
   * @param gw the [C] weight gradient (overwritten), or null
   * @param gb the [C] bias gradient (overwritten), or null
   */
  public static void backward(float[] x, int xOff, float[] gOut, int gOff, int batch, int channels, int inner,
      float[] mean, float[] invstd, float[] weight, int wOff, boolean train, float[] gx, float[] gw, float[] gb) {
    int count = batch * inner;
    Parallel.forRange(channels, grain(count), (from, to) -> {
      for (int c = from; c < to; c++) {
        float m = mean[c];
        float inv = invstd[c];
        double sum = 0;
        double dotp = 0;
        for (int n = 0; n < batch; n++) {
          int base = (n * channels + c) * inner;
          for (int i = 0; i < inner; i++) {
            float dy = gOut[gOff + base + i];
            sum += dy;
            dotp += (x[xOff + base + i] - m) * dy;
          }
        }
        if (gx != null) {
          float w = weight == null ? 1 : weight[wOff + c];
          float k = (float) dotp * inv * inv / count;
          float gradMean = (float) sum / count;
          for (int n = 0; n < batch; n++) {
            int base = (n * channels + c) * inner;
            for (int i = 0; i < inner; i++) {
              float dy = gOut[gOff + base + i];
              if (train) {
                float dx = (x[xOff + base + i] - m) * k;
                gx[base + i] = (dy - gradMean - dx) * inv * w;
              } else {
                gx[base + i] = dy * inv * w;
              }
            }
          }
        }
        if (gw != null) {
          gw[c] = (float) dotp * inv;
        }
        if (gb != null) {
          gb[c] = (float) sum;
        }
      }
    });
  }
}
