package org.optim4j.nn.functional;

import java.util.Arrays;
import java.util.List;
import org.optim4j.tensor.internal.PyFormat;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.NnOps;
import org.optim4j.tensor.Tensor;

/**
 * Stateless neural-network functions, PyTorch's {@code torch.nn.functional} (imported as {@code F}).
 *
 * <p>Each function takes PyTorch's arguments in PyTorch's order, with its defaults as shorter
 * overloads, and delegates to the differentiable kernels of {@link NnOps} or {@link Tensor}. Size
 * arguments ({@code stride}, {@code padding}, ...) take one value for both spatial dimensions or two,
 * like PyTorch's int-or-tuple. The layers of {@code org.optim4j.nn} call these functions.
 *
 * <pre>{@code
 * x = F.relu(F.maxPool2d(conv1.apply(x), 3));
 * Tensor loss = F.crossEntropy(logits, targets);
 * }</pre>
 */
public final class F {
  private F() {}

  // ---------------------------------------------------------------------------------------------
  // Linear and convolution

  /** {@code y = x Wᵀ}, PyTorch's {@code F.linear(input, weight)}. */
  public static Tensor linear(Tensor input, Tensor weight) {
    return linear(input, weight, null);
  }

  /** {@code y = x Wᵀ + b} over the last dimension of {@code input}; {@code bias} may be null. */
  public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
    return NnOps.linear(input, weight, bias);
  }

  /** A 2-D convolution with stride 1, no padding and no bias. */
  public static Tensor conv2d(Tensor input, Tensor weight) {
    return conv2d(input, weight, null);
  }

  /** A 2-D convolution with stride 1 and no padding; {@code bias} may be null. */
  public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
    return conv2d(input, weight, bias, new int[] {1}, new int[] {0}, new int[] {1}, 1);
  }

  /**
   * A 2-D convolution (cross-correlation), PyTorch's {@code F.conv2d}.
   *
   * @param input {@code (N, C_in, H, W)}
   * @param weight {@code (C_out, C_in / groups, kH, kW)}
   * @param bias {@code (C_out)}, or null
   * @param stride one or two values
   * @param padding one or two values (zero padding on both sides)
   * @param dilation one or two values
   * @param groups the number of blocked connections from input to output channels
   */
  public static Tensor conv2d(
      Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
    return NnOps.conv2d(input, weight, bias, pair(stride, "stride"), pair(padding, "padding"),
        pair(dilation, "dilation"), groups);
  }

  /**
   * A 2-D convolution with padding {@code "valid"} (none) or {@code "same"} (output as large as the
   * input; when the total padding of a dimension is odd, the extra row or column goes to the bottom or
   * right, as in PyTorch).
   *
   * @throws IllegalStateException for another padding string, or {@code "same"} with a stride other than 1
   */
  public static Tensor conv2d(
      Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
    int[] s = pair(stride, "stride");
    int[] d = pair(dilation, "dilation");
    if ("valid".equals(padding)) {
      return NnOps.conv2d(input, weight, bias, s, new int[] {0, 0}, d, groups);
    }
    if (!"same".equals(padding)) {
      throw new IllegalStateException("Invalid padding string: '" + padding + "'");
    }
    if (s[0] != 1 || s[1] != 1) {
      throw new IllegalStateException("padding='same' is not supported for strided convolutions");
    }
    int[] pad = new int[2];
    int[] extra = new int[2];
    for (int i = 0; i < 2; i++) {
      int total = d[i] * (weight.size(2 + i) - 1);
      pad[i] = total / 2;
      extra[i] = total - 2 * pad[i];
    }
    Tensor x = input;
    for (int i = 0; i < 2; i++) {
      if (extra[i] > 0) {
        int dim = x.dim() - 2 + i;
        int[] zerosShape = x.shape();
        zerosShape[dim] = extra[i];
        x = Tensor.cat(List.of(x, Tensor.zeros(x.dtype(), zerosShape)), dim);
      }
    }
    return NnOps.conv2d(x, weight, bias, s, pad, d, groups);
  }

  // ---------------------------------------------------------------------------------------------
  // Pooling

  /** 2-D max pooling with stride = kernel size, no padding. */
  public static Tensor maxPool2d(Tensor input, int kernelSize) {
    return maxPool2d(input, new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
  }

  /**
   * 2-D max pooling, PyTorch's {@code F.max_pool2d}.
   *
   * @param kernelSize one or two values
   * @param stride one or two values; null means {@code kernelSize}
   * @param padding one or two values (implicit negative infinity), at most half the effective kernel
   * @param dilation one or two values
   * @param ceilMode whether the output size rounds up
   */
  public static Tensor maxPool2d(
      Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    int[] k = pair(kernelSize, "kernel_size");
    return NnOps.maxPool2d(input, k, stride == null ? k : pair(stride, "stride"), pair(padding, "padding"),
        pair(dilation, "dilation"), ceilMode);
  }

  /** 2-D average pooling with stride = kernel size, no padding. */
  public static Tensor avgPool2d(Tensor input, int kernelSize) {
    return avgPool2d(input, new int[] {kernelSize}, null, new int[] {0}, false, true, null);
  }

  /**
   * 2-D average pooling, PyTorch's {@code F.avg_pool2d}.
   *
   * @param kernelSize one or two values
   * @param stride one or two values; null means {@code kernelSize}
   * @param padding one or two values (implicit zeros)
   * @param ceilMode whether the output size rounds up
   * @param countIncludePad whether the zero padding counts in the divisor
   * @param divisorOverride a fixed divisor, or null
   */
  public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad, Integer divisorOverride) {
    int[] k = pair(kernelSize, "kernel_size");
    return NnOps.avgPool2d(input, k, stride == null ? k : pair(stride, "stride"), pair(padding, "padding"), ceilMode,
        countIncludePad, divisorOverride);
  }

  // ---------------------------------------------------------------------------------------------
  // Activations

  /** {@code max(0, x)}. */
  public static Tensor relu(Tensor input) {
    return input.relu();
  }

  /** {@code max(0, x)}, in place on {@code input} when {@code inplace}. */
  public static Tensor relu(Tensor input, boolean inplace) {
    return inplace ? input.relu_() : input.relu();
  }

  /** {@code 1 / (1 + exp(-x))}. */
  public static Tensor sigmoid(Tensor input) {
    return input.sigmoid();
  }

  /** {@code tanh(x)}. */
  public static Tensor tanh(Tensor input) {
    return input.tanh();
  }

  /** Softmax over {@code dim}. */
  public static Tensor softmax(Tensor input, int dim) {
    return input.softmax(dim);
  }

  /** Log-softmax over {@code dim}, computed stably. */
  public static Tensor logSoftmax(Tensor input, int dim) {
    return input.logSoftmax(dim);
  }

  // ---------------------------------------------------------------------------------------------
  // Dropout and normalisation

  /** Dropout in training mode: {@code F.dropout(input, p)}. */
  public static Tensor dropout(Tensor input, double p) {
    return dropout(input, p, true, false, null);
  }

  /** Dropout: zeroes each element with probability {@code p} and scales the rest by {@code 1/(1-p)} when training. */
  public static Tensor dropout(Tensor input, double p, boolean training) {
    return dropout(input, p, training, false, null);
  }

  /** Dropout, in place on {@code input} when {@code inplace}. */
  public static Tensor dropout(Tensor input, double p, boolean training, boolean inplace) {
    return dropout(input, p, training, inplace, null);
  }

  /**
   * Dropout drawing its mask from {@code generator} (the default generator when null); the identity
   * when not training.
   *
   * @throws IllegalArgumentException {@code dropout probability has to be between 0 and 1, but got <p>}
   */
  public static Tensor dropout(Tensor input, double p, boolean training, boolean inplace, Generator generator) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + PyFormat.pyFloat(p));
    }
    Tensor out = NnOps.dropout(input, p, training, generator);
    return inplace && out != input ? input.copy_(out) : out;
  }

  /** Batch normalisation with running statistics in evaluation mode (momentum 0.1, eps 1e-5, no affine). */
  public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar) {
    return batchNorm(input, runningMean, runningVar, null, null, false, 0.1, 1e-5);
  }

  /**
   * Batch normalisation over the channel dimension 1, PyTorch's {@code F.batch_norm}. In training it
   * normalises with the batch statistics and, when the running tensors are given, updates them in
   * place: {@code running ← (1 − momentum)·running + momentum·batch} (the unbiased variance); otherwise
   * it normalises with the running statistics.
   *
   * @param runningMean {@code (C)} or null
   * @param runningVar {@code (C)} or null
   * @param weight {@code (C)} scale γ, or null
   * @param bias {@code (C)} shift β, or null
   */
  public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, double momentum, double eps) {
    return NnOps.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  // ---------------------------------------------------------------------------------------------
  // Embedding

  /** Rows of {@code weight} picked by the int64 {@code input} indices. */
  public static Tensor embedding(Tensor input, Tensor weight) {
    return embedding(input, weight, null, false);
  }

  /**
   * Rows of {@code weight} picked by the int64 {@code input} indices, PyTorch's {@code F.embedding}.
   * The row {@code paddingIdx} (negative counts from the end; null for none) gets no gradient; a
   * {@code sparse} gradient is a sparse COO tensor.
   *
   * @throws IllegalArgumentException {@code Padding_idx must be within num_embeddings}
   */
  public static Tensor embedding(Tensor input, Tensor weight, Integer paddingIdx, boolean sparse) {
    Integer idx = paddingIdx;
    if (idx != null) {
      int n = weight.size(0);
      if (idx >= n || idx < -n) {
        throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
      }
      if (idx < 0) {
        idx = n + idx;
      }
    }
    return NnOps.embedding(weight, input, idx, sparse);
  }

  // ---------------------------------------------------------------------------------------------
  // Losses

  /** Cross entropy between logits {@code (N, C, ...)} and class indices, averaged. */
  public static Tensor crossEntropy(Tensor input, Tensor target) {
    return crossEntropy(input, target, null, -100, "mean", 0.0);
  }

  /**
   * Cross entropy between logits and targets, PyTorch's {@code F.cross_entropy}: class indices (int64)
   * or class probabilities (floating, same shape as {@code input}).
   *
   * @param weight per-class weights {@code (C)}, or null
   * @param ignoreIndex a target value that contributes nothing (index targets only)
   * @param reduction {@code "none"}, {@code "mean"} or {@code "sum"}
   * @param labelSmoothing in [0, 1]: mixes the target with the uniform distribution
   */
  public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction,
      double labelSmoothing) {
    return NnOps.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
  }

  /** Negative log likelihood of log-probabilities {@code (N, C, ...)} at class indices, averaged. */
  public static Tensor nllLoss(Tensor input, Tensor target) {
    return nllLoss(input, target, null, -100, "mean");
  }

  /**
   * Negative log likelihood, PyTorch's {@code F.nll_loss}.
   *
   * @param weight per-class weights {@code (C)}, or null
   * @param ignoreIndex a target value that contributes nothing
   * @param reduction {@code "none"}, {@code "mean"} (weighted mean) or {@code "sum"}
   */
  public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, String reduction) {
    return NnOps.nllLoss(input, target, weight, ignoreIndex, reduction);
  }

  /** Mean squared error. */
  public static Tensor mseLoss(Tensor input, Tensor target) {
    return mseLoss(input, target, "mean");
  }

  /** Squared error with the given reduction ({@code "none"}, {@code "mean"}, {@code "sum"}). */
  public static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
    return NnOps.mseLoss(input, target, reduction);
  }

  /** Mean absolute error. */
  public static Tensor l1Loss(Tensor input, Tensor target) {
    return l1Loss(input, target, "mean");
  }

  /** Absolute error with the given reduction ({@code "none"}, {@code "mean"}, {@code "sum"}). */
  public static Tensor l1Loss(Tensor input, Tensor target, String reduction) {
    return NnOps.l1Loss(input, target, reduction);
  }

  // ---------------------------------------------------------------------------------------------

  private static int[] pair(int[] values, String name) {
    if (values == null || values.length < 1 || values.length > 2) {
      throw new IllegalArgumentException(
          name + " must be an int or a pair of ints, got " + (values == null ? "null" : Arrays.toString(values)));
    }
    return values.length == 1 ? new int[] {values[0], values[0]} : values.clone();
  }
}
