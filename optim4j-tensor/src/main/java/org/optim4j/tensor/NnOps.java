package org.optim4j.tensor;

import static org.optim4j.tensor.internal.KernelOps.ADD;
import static org.optim4j.tensor.internal.KernelOps.MUL;

import org.optim4j.tensor.internal.Gemm;

/**
 * The differentiable neural-network primitives, PyTorch's {@code torch.nn.functional}: linear and
 * convolution layers, pooling, batch normalization, dropout, embedding and the common losses.
 *
 * <p>Every function checks its arguments as PyTorch does, in the same order and with the same messages
 * (PyTorch's {@code RuntimeError} is an {@link IllegalStateException}, {@code ValueError} and
 * {@code TypeError} an {@link IllegalArgumentException}, {@code IndexError} an
 * {@link IndexOutOfBoundsException}), and records the backward node PyTorch records
 * ({@code AddmmBackward0}, {@code ConvolutionBackward0}, {@code MaxPool2DWithIndicesBackward0},
 * {@code AvgPool2DBackward0}, {@code NativeBatchNormBackward0}, {@code NativeDropoutBackward0},
 * {@code EmbeddingBackward0}, {@code NllLossBackward0}, {@code NllLoss2DBackward0},
 * {@code MseLossBackward0}); cross entropy and the L1 loss are compositions of other operations, as in
 * PyTorch. Float32 and float64 are supported; results match PyTorch's CPU kernels to rounding.
 *
 * <p>Differences: dropout draws its mask from a {@link Generator}, whose stream is not PyTorch's; the
 * weight of the losses is never differentiated (PyTorch does not implement that derivative either).
 */
public final class NnOps {
  private NnOps() {}

  /**
   * {@code F.linear}: {@code input·weightᵀ + bias}.
   *
   * @param input the input [..., in] (at least 1-D)
   * @param weight the weight [out, in]
   * @param bias the bias [out], or null
   * @return the output [..., out]
   */
  public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
    if (input.dim() == 0 || weight.dim() == 0) {
      throw new IllegalStateException("both arguments to linear need to be at least 1D, but they are " + input.dim()
          + "D and " + weight.dim() + "D");
    }
    if (input.dim() == 2 && bias != null) {
      return addmm(bias, input, weight);
    }
    if (bias != null && input.isContiguous() && (input.dim() == 3 || bias.dim() == 1)) {
      int[] shape = input.shape();
      int rows = 1;
      for (int i = 0; i < shape.length - 1; i++) {
        rows *= shape[i];
      }
      Tensor result = addmm(bias, input.reshape(rows, shape[shape.length - 1]), weight);
      shape[shape.length - 1] = result.size(1);
      return result.view(shape);
    }
    Tensor out = input.matmul(weight.t());
    return bias == null ? out : out.add(bias);
  }

  /**
   * {@code F.conv2d}: 2-D cross-correlation.
   *
   * @param input the input [N, C, H, W], or [C, H, W] unbatched
   * @param weight the filters [O, C/groups, kH, kW]
   * @param bias the bias [O], or null
   * @param stride one value or (sH, sW); null or empty for 1
   * @param padding zero padding, one value or (pH, pW); null or empty for 0
   * @param dilation spacing of the kernel taps, one value or (dH, dW); null or empty for 1
   * @param groups the number of channel groups (C and O divisible by it)
   * @return the output [N, O, outH, outW], or [O, outH, outW] unbatched
   */
  public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
      int groups) {
    return Convolution.conv2d(input, weight, bias, stride, padding, dilation, groups);
  }

  /**
   * {@code F.max_pool2d}: the maximum of each window (NaN propagates; ties go to the first maximum).
   *
   * @param input the input [N, C, H, W] or [C, H, W]
   * @param kernelSize the window, one value or (kH, kW)
   * @param stride one value or (sH, sW); null or empty for the kernel size
   * @param padding implicit -∞ padding, one value or (pH, pW), at most half the kernel; null for 0
   * @param dilation spacing of the window taps, one value or (dH, dW); null for 1
   * @param ceilMode whether the output size rounds up (the last window must start inside the input or
   *     the left padding)
   * @return the pooled values
   */
  public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
      boolean ceilMode) {
    return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode).values();
  }

  /**
   * {@code F.max_pool2d(..., return_indices=True)}: the pooled values and, for each, its flat position
   * {@code ih·W + iw} within its input plane (int64).
   *
   * @param input the input [N, C, H, W] or [C, H, W]
   * @param kernelSize the window, one value or (kH, kW)
   * @param stride one value or (sH, sW); null or empty for the kernel size
   * @param padding implicit -∞ padding, one value or (pH, pW); null for 0
   * @param dilation spacing of the window taps, one value or (dH, dW); null for 1
   * @param ceilMode whether the output size rounds up
   * @return the pooled values (differentiable) and their indices
   */
  public static ValuesAndIndices maxPool2dWithIndices(Tensor input, int[] kernelSize, int[] stride, int[] padding,
      int[] dilation, boolean ceilMode) {
    return Pooling.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
  }

  /**
   * {@code F.avg_pool2d}: the mean of each window.
   *
   * @param input the input [N, C, H, W] or [C, H, W]
   * @param kernelSize the window, one value or (kH, kW)
   * @param stride one value or (sH, sW); null or empty for the kernel size
   * @param padding implicit zero padding, one value or (pH, pW), at most half the kernel; null for 0
   * @param ceilMode whether the output size rounds up
   * @param countIncludePad whether padded positions count in the divisor
   * @param divisorOverride the divisor of every window instead of its size, or null
   * @return the pooled values
   */
  public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad, Integer divisorOverride) {
    return Pooling.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
  }

  /**
   * {@code F.batch_norm}: normalizes each channel (dimension 1) by the batch statistics when training,
   * else by the running statistics, then scales and shifts it. When training, the running statistics
   * are updated in place (not recorded by autograd): {@code running ← (1 − momentum)·running +
   * momentum·batch}, with the unbiased batch variance.
   *
   * @param input the input [N, C, ...]
   * @param runningMean the running mean [C] (required unless training), or null
   * @param runningVar the running variance [C] (required unless training), or null
   * @param weight the scale γ [C], or null
   * @param bias the shift β [C], or null
   * @param training whether to use (and update) batch statistics
   * @param momentum the weight of the batch statistics in the running update
   * @param eps added to the variance
   * @return the normalized input
   */
  public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, double momentum, double eps) {
    return BatchNorm.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  /**
   * {@code F.dropout}: when training, zeroes each element with probability p and scales the others by
   * 1/(1 − p); otherwise (or for p = 0) returns {@code input} itself.
   *
   * @param input the input
   * @param p the probability of an element to be zeroed, in [0, 1]
   * @param training whether dropout is applied
   * @param generator the source of the mask; null for {@link Generator#defaultGenerator()}
   * @return the result
   */
  public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
    if (p < 0 || p > 1) {
      throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
    }
    if (Double.isNaN(p)) {
      throw new IllegalStateException("dropout probability has to be between 0 and 1, but got nan");
    }
    if (p == 0 || !training || input.numel() == 0) {
      return input;
    }
    if (p == 1) {
      return input.mul(0.0);
    }
    if (!input.dtype().isFloatingPoint()) {
      throw new IllegalStateException("result type Float can't be cast to the desired output type "
          + legacyName(input.dtype()));
    }
    Pointwise.checkArithmetic(input.dtype());
    Generator g = generator == null ? Generator.defaultGenerator() : generator;
    Tensor noise = Tensor.empty(input.dtype(), input.shapeRef());
    int n = noise.numelInt();
    double keep = 1 - p;
    if (noise.dtype() == DType.FLOAT32) {
      g.bernoulliScaled(noise.storage().f, n, keep, 1 / (float) keep);
    } else {
      g.bernoulliScaled(noise.storage().d, n, keep, 1 / keep);
    }
    return Autograd.record1(Op.DROPOUT, Pointwise.binary(MUL, input, noise), null, input, noise);
  }

  /**
   * {@code F.embedding}: the rows of {@code weight} selected by {@code indices}.
   *
   * @param weight the table [rows, dim]
   * @param indices int64 row numbers of any shape, each in [0, rows)
   * @param paddingIdx a row (negative counts from the end) that receives no gradient, or null
   * @param sparse whether the gradient of {@code weight} is a sparse COO tensor
   * @return the rows, of shape [indices..., dim]
   */
  public static Tensor embedding(Tensor weight, Tensor indices, Integer paddingIdx, boolean sparse) {
    return Embedding.embedding(weight, indices, paddingIdx, sparse);
  }

  /**
   * {@code F.nll_loss}: the negative log-likelihood of class indices under log-probabilities.
   *
   * @param input log-probabilities [N, C], [N, C, d1, ...] or [C]
   * @param target int64 classes [N], [N, d1, ...] or [] (0-dim)
   * @param weight per-class weights [C], or null
   * @param ignoreIndex a target value that contributes neither loss nor weight (PyTorch's default: -100)
   * @param reduction "mean" (divided by the total weight of the non-ignored targets), "sum" or "none"
   * @return the loss
   */
  public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction) {
    return Losses.nll(input, target, weight, ignoreIndex, Losses.reduction(reduction));
  }

  /**
   * {@code F.cross_entropy}: {@code nll_loss(log_softmax(input))} for class indices, optionally with label
   * smoothing; a floating {@code target} of the input's shape holds class probabilities instead.
   *
   * @param input logits [N, C], [N, C, d1, ...] or [C]
   * @param target int64 classes of the input's shape without the class dimension, or class
   *     probabilities of the input's shape
   * @param weight per-class weights [C], or null
   * @param ignoreIndex a class target that is ignored (PyTorch's default: -100)
   * @param reduction "mean", "sum" or "none"
   * @param labelSmoothing the mass in [0, 1] spread uniformly over the classes
   * @return the loss
   */
  public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction,
      double labelSmoothing) {
    return Losses.crossEntropy(input, target, weight, ignoreIndex, Losses.reduction(reduction), labelSmoothing);
  }

  /**
   * {@code F.mse_loss}: the squared difference, after broadcasting the operands.
   *
   * @param input the prediction
   * @param target the target
   * @param reduction "mean", "sum" or "none"
   * @return the loss
   */
  public static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
    return Losses.mse(input, target, reduction);
  }

  /**
   * {@code F.l1_loss}: the absolute difference, after broadcasting the operands.
   *
   * @param input the prediction
   * @param target the target
   * @param reduction "mean", "sum" or "none"
   * @return the loss
   */
  public static Tensor l1Loss(Tensor input, Tensor target, String reduction) {
    return Losses.l1(input, target, reduction);
  }

  /** {@code addmm(bias, input, weightᵀ)} for a 2-D input: one product and a bias row per output row. */
  private static Tensor addmm(Tensor bias, Tensor input, Tensor weight) {
    if (weight.dim() != 2) {
      throw new IllegalStateException("mat2 must be a matrix, got " + weight.dim() + "-D tensor");
    }
    int n = input.size(0);
    int k = input.size(1);
    int m = weight.size(0);
    if (weight.size(1) != k) {
      throw new IllegalStateException("mat1 and mat2 shapes cannot be multiplied (" + n + "x" + k + " and "
          + weight.size(1) + "x" + m + ")");
    }
    if (input.dtype() != weight.dtype()) {
      throw new IllegalStateException("expected m1 and m2 to have the same dtype, but got: " + cName(input.dtype())
          + " != " + cName(weight.dtype()));
    }
    Tensor b = bias.expandView(new int[] {n, m});
    if (bias.dtype() != input.dtype()) {
      throw new IllegalStateException("self and mat2 must have the same dtype, but got " + legacyName(bias.dtype())
          + " and " + legacyName(input.dtype()));
    }
    checkFloating(input.dtype(), "addmm_impl_cpu_");
    Tensor x = dense(input);
    Tensor w = dense(weight);
    Tensor out = Tensor.empty(input.dtype(), new int[] {n, m});
    if (out.dtype() == DType.FLOAT32) {
      Gemm.gemm(false, true, n, m, k, 1f, x.storage().f, x.offset(), Math.max(1, k), w.storage().f, w.offset(),
          Math.max(1, k), 0f, out.storage().f, 0, Math.max(1, m));
    } else {
      Gemm.gemm(false, true, n, m, k, 1.0, x.storage().d, x.offset(), Math.max(1, k), w.storage().d, w.offset(),
          Math.max(1, k), 0.0, out.storage().d, 0, Math.max(1, m));
    }
    if (bias.dim() == 1 && bias.isContiguous() && m > 0) {
      addRows(out, bias, n, m);
    } else {
      Pointwise.into(ADD, out, b, out);
    }
    return Autograd.record(Op.ADDMM, out, null, new Tensor[] {input, weight, bias}, input, weight);
  }

  private static void addRows(Tensor out, Tensor bias, int n, int m) {
    int bo = bias.offset();
    if (out.dtype() == DType.FLOAT32) {
      float[] o = out.storage().f;
      float[] b = bias.storage().f;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          o[i * m + j] += b[bo + j];
        }
      }
    } else {
      double[] o = out.storage().d;
      double[] b = bias.storage().d;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          o[i * m + j] += b[bo + j];
        }
      }
    }
  }

  /** {@code t} itself when its elements are contiguous (from its offset), else a contiguous copy. */
  static Tensor dense(Tensor t) {
    return t.isContiguous() ? t : t.contiguousCopy();
  }

  /** PyTorch's scalar type name: Float, Double, Long, Bool, BFloat16. */
  static String legacyName(DType dtype) {
    return dtype.tensorTypeName().replace("torch.", "").replace("Tensor", "");
  }

  /** The C type name PyTorch prints in dtype mismatches: float, double, long int, bool. */
  static String cName(DType dtype) {
    switch (dtype) {
      case FLOAT32:
        return "float";
      case FLOAT64:
        return "double";
      case INT64:
        return "long int";
      case BFLOAT16:
        return "c10::BFloat16";
      default:
        return "bool";
    }
  }

  /** Fails as PyTorch's dispatch does for a dtype a kernel has no float32/float64 instance for. */
  static void checkFloating(DType dtype, String kernel) {
    Pointwise.checkArithmetic(dtype);
    if (!dtype.isFloatingPoint()) {
      throw new IllegalStateException("\"" + kernel + "\" not implemented for '" + legacyName(dtype) + "'");
    }
  }
}
