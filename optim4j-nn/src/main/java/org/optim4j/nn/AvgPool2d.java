package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/**
 * 2-D average pooling, PyTorch's {@code torch.nn.AvgPool2d}. Defaults: stride = kernel size, padding
 * 0, floor mode, padding counted in the divisor, no divisor override. Size arguments take one value
 * (both dimensions) or two, printed as given.
 */
public class AvgPool2d extends Module {
  private final int[] kernelSize;
  private final int[] stride;
  private final int[] padding;
  private final boolean ceilMode;
  private final boolean countIncludePad;
  private final Integer divisorOverride;

  /** Pooling over {@code kernelSize × kernelSize} windows with stride {@code kernelSize}. */
  public AvgPool2d(int kernelSize) {
    this(new int[] {kernelSize}, null, new int[] {0}, false, true, null);
  }

  /** Pooling over {@code kernelSize} windows (one or two values) with stride {@code kernelSize}. */
  public AvgPool2d(int[] kernelSize) {
    this(kernelSize, null, new int[] {0}, false, true, null);
  }

  /** Pooling with the given kernel size and stride. */
  public AvgPool2d(int kernelSize, int stride) {
    this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, false, true, null);
  }

  /** Pooling with the given kernel size, stride and padding. */
  public AvgPool2d(int kernelSize, int stride, int padding) {
    this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true, null);
  }

  /**
   * Pooling with every setting; each size argument has one or two values.
   *
   * @param stride null for {@code kernelSize}
   * @param padding implicit zeros on both sides
   * @param ceilMode whether the output size rounds up
   * @param countIncludePad whether the zero padding counts in the divisor
   * @param divisorOverride a fixed divisor, or null
   */
  public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
      Integer divisorOverride) {
    this.kernelSize = Sizes.check(kernelSize, "kernel_size");
    this.stride = stride == null ? this.kernelSize.clone() : Sizes.check(stride, "stride");
    this.padding = Sizes.check(padding, "padding");
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
    this.divisorOverride = divisorOverride;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
  }

  /** {@code kernel_size=2, stride=2, padding=0}. */
  @Override
  public String extraRepr() {
    return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
        + Repr.intOrTuple(padding);
  }
}
