package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/**
 * 2-D max pooling, PyTorch's {@code torch.nn.MaxPool2d}. Defaults: stride = kernel size, padding 0,
 * dilation 1, floor mode. Size arguments take one value (both dimensions) or two, and the
 * representation prints each as it was given ({@code kernel_size=2} or {@code kernel_size=(2, 3)}).
 */
public class MaxPool2d extends Module {
  private final int[] kernelSize;
  private final int[] stride;
  private final int[] padding;
  private final int[] dilation;
  private final boolean ceilMode;

  /** Pooling over {@code kernelSize × kernelSize} windows with stride {@code kernelSize}. */
  public MaxPool2d(int kernelSize) {
    this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false);
  }

  /** Pooling over {@code kernelSize} windows (one or two values) with stride {@code kernelSize}. */
  public MaxPool2d(int[] kernelSize) {
    this(kernelSize, null, new int[] {0}, new int[] {1}, false);
  }

  /** Pooling with the given kernel size and stride. */
  public MaxPool2d(int kernelSize, int stride) {
    this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false);
  }

  /** Pooling with every setting given as one value for both dimensions. */
  public MaxPool2d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
    this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {dilation}, ceilMode);
  }

  /**
   * Pooling with every setting; each size argument has one or two values.
   *
   * @param stride null for {@code kernelSize}
   * @param padding implicit negative infinity on both sides, at most half the effective kernel
   * @param ceilMode whether the output size rounds up
   */
  public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
    this.kernelSize = Sizes.check(kernelSize, "kernel_size");
    this.stride = stride == null ? this.kernelSize.clone() : Sizes.check(stride, "stride");
    this.padding = Sizes.check(padding, "padding");
    this.dilation = Sizes.check(dilation, "dilation");
    this.ceilMode = ceilMode;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
  }

  /** {@code kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False}. */
  @Override
  public String extraRepr() {
    return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
        + Repr.intOrTuple(padding) + ", dilation=" + Repr.intOrTuple(dilation) + ", ceil_mode=" + Repr.bool(ceilMode);
  }
}
