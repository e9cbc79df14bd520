package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.nn.init.Init;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * A 2-D convolution over {@code (N, C_in, H, W)} inputs, PyTorch's {@code torch.nn.Conv2d} (zero
 * padding mode).
 *
 * <p>Parameters: {@code weight} {@code (out_channels, in_channels / groups, kH, kW)} and, unless
 * {@code bias} is false, {@code bias} {@code (out_channels)}. Defaults: stride 1, padding 0, dilation
 * 1, groups 1, bias. Size arguments take one value (both dimensions) or two; padding may also be
 * {@code "valid"} or {@code "same"}.
 *
 * <p>Initialisation as PyTorch's: {@code kaimingUniform_(weight, a = √5)}, that is U(±1/√fan_in) with
 * {@code fan_in = in_channels / groups · kH · kW}, and the bias from the same range.
 */
public class Conv2d extends Module {
  private final int inChannels;
  private final int outChannels;
  private final int[] kernelSize;
  private final int[] stride;
  private final int[] padding;
  private final String paddingString;
  private final int[] dilation;
  private final int groups;

  /** A convolution with a square kernel, stride 1, no padding, bias. */
  public Conv2d(int inChannels, int outChannels, int kernelSize) {
    this(inChannels, outChannels, new int[] {kernelSize}, new int[] {1}, new int[] {0}, new int[] {1}, 1, true);
  }

  /** A convolution with a square kernel and the given stride and padding, bias. */
  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
    this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, 1,
        true);
  }

  /** A convolution with every setting given as one value for both dimensions. */
  public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
      boolean bias) {
    this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding},
        new int[] {dilation}, groups, bias);
  }

  /**
   * A convolution with every setting; each size argument has one or two values.
   *
   * @throws IllegalArgumentException {@code groups must be a positive integer}, {@code in_channels must
   *     be divisible by groups}, {@code out_channels must be divisible by groups}
   */
  public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
      int groups, boolean bias) {
    this(inChannels, outChannels, kernelSize, stride, Sizes.checkPair(padding, "padding"), null, dilation, groups,
        bias);
  }

  /**
   * A convolution with padding {@code "valid"} (none) or {@code "same"} (output size = input size;
   * stride must be 1).
   *
   * @throws IllegalArgumentException for another string, {@code "same"} with a stride other than 1,
   *     or invalid groups
   */
  public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation,
      int groups, boolean bias) {
    this(inChannels, outChannels, kernelSize, stride, null, padding, dilation, groups, bias);
  }

  private Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingString,
      int[] dilation, int groups, boolean bias) {
    if (groups <= 0) {
      throw new IllegalArgumentException("groups must be a positive integer");
    }
    if (inChannels % groups != 0) {
      throw new IllegalArgumentException("in_channels must be divisible by groups");
    }
    if (outChannels % groups != 0) {
      throw new IllegalArgumentException("out_channels must be divisible by groups");
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = Sizes.checkPair(kernelSize, "kernel_size");
    this.stride = Sizes.checkPair(stride, "stride");
    this.dilation = Sizes.checkPair(dilation, "dilation");
    this.groups = groups;
    this.padding = padding;
    this.paddingString = paddingString;
    if (paddingString != null) {
      if (!paddingString.equals("same") && !paddingString.equals("valid")) {
        throw new IllegalArgumentException(
            "Invalid padding string '" + paddingString + "', should be one of {'valid', 'same'}");
      }
      if (paddingString.equals("same") && (this.stride[0] != 1 || this.stride[1] != 1)) {
        throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
      }
    }
    registerParameter("weight", new Parameter(
        Tensor.zeros(outChannels, inChannels / groups, this.kernelSize[0], this.kernelSize[1])));
    registerParameter("bias", bias ? new Parameter(Tensor.zeros(outChannels)) : null);
    reset(null);
  }

  /** Re-draws the parameters from the default generator, as at construction. */
  public void resetParameters() {
    reset(null);
  }

  /** Re-draws the parameters from {@code generator}. */
  public void resetParameters(Generator generator) {
    reset(generator);
  }

  private void reset(Generator generator) {
    Init.kaimingUniform_(weight(), Math.sqrt(5), "fan_in", "leaky_relu", generator);
    if (bias() != null) {
      int fanIn = Init.calculateFanInAndFanOut(weight())[0];
      if (fanIn != 0) {
        double bound = 1 / Math.sqrt(fanIn);
        Init.uniform_(bias(), -bound, bound, generator);
      }
    }
  }

  /** The weight {@code (out_channels, in_channels / groups, kH, kW)}. */
  public Parameter weight() {
    return parameter("weight");
  }

  /** The bias {@code (out_channels)}, or null. */
  public Parameter bias() {
    return parameter("bias");
  }

  /** The number of input channels. */
  public int inChannels() {
    return inChannels;
  }

  /** The number of output channels. */
  public int outChannels() {
    return outChannels;
  }

  /** The kernel size {@code {kH, kW}}. */
  public int[] kernelSize() {
    return kernelSize.clone();
  }

  /** The stride {@code {sH, sW}}. */
  public int[] stride() {
    return stride.clone();
  }

  /** The padding {@code {pH, pW}}, or null when given as a string ({@link #paddingString()}). */
  public int[] padding() {
    return padding == null ? null : padding.clone();
  }

  /** {@code "same"} or {@code "valid"} when the padding was given as a string, else null. */
  public String paddingString() {
    return paddingString;
  }

  /** The dilation {@code {dH, dW}}. */
  public int[] dilation() {
    return dilation.clone();
  }

  /** The number of groups. */
  public int groups() {
    return groups;
  }

  @Override
  public Tensor forward(Tensor input) {
    if (paddingString != null) {
      return F.conv2d(input, weight(), bias(), stride, paddingString, dilation, groups);
    }
    return F.conv2d(input, weight(), bias(), stride, padding, dilation, groups);
  }

  /** {@code 1, 32, kernel_size=(5, 5), stride=(1, 1)} plus the settings that differ from the defaults. */
  @Override
  public String extraRepr() {
    StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
        .append(", kernel_size=").append(Repr.tuple(kernelSize)).append(", stride=").append(Repr.tuple(stride));
    if (paddingString != null) {
      s.append(", padding=").append(paddingString);
    } else if (padding[0] != 0 || padding[1] != 0) {
      s.append(", padding=").append(Repr.tuple(padding));
    }
    if (dilation[0] != 1 || dilation[1] != 1) {
      s.append(", dilation=").append(Repr.tuple(dilation));
    }
    if (groups != 1) {
      s.append(", groups=").append(groups);
    }
    if (bias() == null) {
      s.append(", bias=False");
    }
    return s.toString();
  }
}
