package org.optim4j.tensor;

import org.optim4j.tensor.internal.ConvDoubleKernels;
import org.optim4j.tensor.internal.ConvFloatKernels;
import org.optim4j.tensor.internal.ConvGeometry;

/**
 * {@code torch.conv2d}: PyTorch's argument checks ({@code check_shape_forward}) in their order, the
 * forward, and the backward that the {@link Op#CONVOLUTION} rule runs. The arithmetic is in
 * {@link ConvFloatKernels} (im2col and one matrix product per chunk of images).
 */
final class Convolution {
  private Convolution() {}

  @SuppressWarnings("try")
  static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
      int groups) {
    if (bias != null && bias.dtype() != input.dtype()) {
      throw new IllegalStateException("Input type (" + NnOps.cName(input.dtype()) + ") and bias type ("
          + NnOps.cName(bias.dtype()) + ") should be the same");
    }
    if (input.dim() != 3 && input.dim() != 4) {
      throw new IllegalStateException("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of "
          + "size: " + Shape.str(input.shapeRef()));
    }
    boolean batched = input.dim() == 4;
    Tensor x = batched ? input : input.unsqueeze(0);
    if (weight.dim() < 3) {
      throw new IllegalStateException("weight should have at least three dimensions");
    }
    if (groups <= 0) {
      throw new IllegalStateException("non-positive groups is not supported");
    }
    int dims = weight.dim() - 2;
    int[] s = expand(stride, "stride", dims, 1);
    int[] p = expand(padding, "padding", dims, 0);
    int[] d = expand(dilation, "dilation", dims, 1);
    ConvGeometry geometry = checkShape(x, weight, bias, s, p, d, groups);
    if (x.dtype() != weight.dtype()) {
      throw new IllegalStateException("Input type (" + x.dtype().tensorTypeName() + ") and weight type ("
          + weight.dtype().tensorTypeName() + ") should be the same");
    }
    NnOps.checkFloating(x.dtype(), "slow_conv2d_cpu");
    Tensor xc;
    Tensor wc;
    Tensor out;
    try (GradMode.Scope ignored = GradMode.noGrad()) {
      xc = x.detach().contiguous();
      wc = weight.detach().contiguous();
      Tensor bc = bias == null ? null : bias.contiguous();
      out = Tensor.empty(x.dtype(), new int[] {geometry.batch(), geometry.outChannels(), geometry.outH(),
          geometry.outW()});
      if (x.dtype() == DType.FLOAT32) {
        ConvFloatKernels.forward(geometry, xc.storage().f, xc.offset(), wc.storage().f, wc.offset(),
            bc == null ? null : bc.storage().f, bc == null ? 0 : bc.offset(), out.storage().f);
      } else {
        ConvDoubleKernels.forward(geometry, xc.storage().d, xc.offset(), wc.storage().d, wc.offset(),
            bc == null ? null : bc.storage().d, bc == null ? 0 : bc.offset(), out.storage().d);
      }
    }
    out = Autograd.record(Op.CONVOLUTION, out, geometry, new Tensor[] {x, weight, bias}, xc, wc);
    return batched ? out : out.squeeze(0);
  }

  /** The gradients of input, weight and bias (null where not needed) for the upstream gradient g. */
  static Tensor[] backward(ConvGeometry geometry, Tensor x, Tensor weight, Tensor g, boolean needsInput,
      boolean needsWeight, boolean needsBias) {
    Tensor gc = NnOps.dense(g);
    DType dtype = x.dtype();
    Tensor gx = needsInput ? Tensor.zeros(dtype, x.shapeRef()) : null;
    Tensor gw = needsWeight ? Tensor.empty(dtype, weight.shapeRef()) : null;
    Tensor gb = needsBias ? Tensor.empty(dtype, new int[] {geometry.outChannels()}) : null;
    if (dtype == DType.FLOAT32) {
      ConvFloatKernels.backward(geometry, x.storage().f, x.offset(), weight.storage().f, weight.offset(),
          gc.storage().f, gc.offset(), gx == null ? null : gx.storage().f, gw == null ? null : gw.storage().f,
          gb == null ? null : gb.storage().f);
    } else {
      ConvDoubleKernels.backward(geometry, x.storage().d, x.offset(), weight.storage().d, weight.offset(),
          gc.storage().d, gc.offset(), gx == null ? null : gx.storage().d, gw == null ? null : gw.storage().d,
          gb == null ? null : gb.storage().d);
    }
    return new Tensor[] {gx, gw, gb};
  }

  /** PyTorch's {@code expand_param_if_needed}: one value for every spatial dimension, or one per dimension. */
  private static int[] expand(int[] values, String name, int dims, int absent) {
    int[] v = values == null || values.length == 0 ? new int[] {absent} : values;
    if (v.length != 1 && v.length != dims) {
      throw new IllegalStateException("expected " + name + " to be a single integer value or a list of " + dims
          + " values to match the convolution dimensions, but got " + name + "=" + Shape.str(v));
    }
    int[] out = new int[dims];
    for (int i = 0; i < dims; i++) {
      out[i] = v.length == 1 ? v[0] : v[i];
    }
    return out;
  }

  /** PyTorch's {@code check_shape_forward} for a batched input; returns the geometry it implies. */
  private static ConvGeometry checkShape(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
      int[] dilation, int groups) {
    int[] xs = x.shapeRef();
    int[] ws = weight.shapeRef();
    for (int v : padding) {
      if (v < 0) {
        throw new IllegalStateException("negative padding is not supported");
      }
    }
    for (int v : stride) {
      if (v <= 0) {
        throw new IllegalStateException("non-positive stride is not supported");
      }
    }
    for (int v : dilation) {
      if (v < 1) {
        throw new IllegalStateException("dilation should be greater than zero");
      }
    }
    if (ws.length != xs.length) {
      throw new IllegalStateException("Expected " + ws.length + "-dimensional input for " + ws.length
          + "-dimensional weight " + Shape.str(ws) + ", but got " + xs.length + "-dimensional input of size "
          + Shape.str(xs) + " instead");
    }
    if (ws[0] < groups) {
      throw new IllegalStateException("Given groups=" + groups + ", expected weight to be at least " + groups
          + " at dimension 0, but got weight of size " + Shape.str(ws) + " instead");
    }
    if (ws[0] % groups != 0) {
      throw new IllegalStateException("Given groups=" + groups + ", expected weight to be divisible by " + groups
          + " at dimension 0, but got weight of size [" + Shape.str(ws) + "] instead");
    }
    if (xs[1] != ws[1] * groups) {
      throw new IllegalStateException("Given groups=" + groups + ", weight of size " + Shape.str(ws)
          + ", expected input" + Shape.str(xs) + " to have " + (ws[1] * groups) + " channels, but got " + xs[1]
          + " channels instead");
    }
    if (bias != null && (bias.dim() != 1 || bias.shapeRef()[0] != ws[0])) {
      throw new IllegalStateException("Given weight of size " + Shape.str(ws) + ", expected bias to be "
          + "1-dimensional with " + ws[0] + " elements, but got bias of size " + Shape.str(bias.shapeRef())
          + " instead");
    }
    StringBuilder padded = new StringBuilder();
    StringBuilder kernel = new StringBuilder();
    boolean fits = true;
    int[] out = new int[2];
    for (int i = 2; i < xs.length; i++) {
      int in = xs[i] + 2 * padding[i - 2];
      int k = dilation[i - 2] * (ws[i] - 1) + 1;
      fits &= in >= k;
      padded.append(i > 2 ? " x " : "").append(in);
      kernel.append(i > 2 ? " x " : "").append(k);
      out[i - 2] = (in - k) / stride[i - 2] + 1;
    }
    if (!fits) {
      throw new IllegalStateException("Calculated padded input size per channel: (" + padded + "). Kernel size: ("
          + kernel + "). Kernel size can't be greater than actual input size");
    }
    return new ConvGeometry(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], stride[0], stride[1], padding[0],
        padding[1], dilation[0], dilation[1], groups, out[0], out[1]);
  }
}
