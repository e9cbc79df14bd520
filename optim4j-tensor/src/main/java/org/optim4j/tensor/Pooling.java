package org.optim4j.tensor;

import org.optim4j.tensor.internal.PoolDoubleKernels;
import org.optim4j.tensor.internal.PoolFloatKernels;
import org.optim4j.tensor.internal.PoolGeometry;

/**
 * {@code torch.max_pool2d} and {@code torch.avg_pool2d}: PyTorch's argument checks in their order
 * ({@code pooling_output_shape}, {@code pool2d_shape_check}), the forwards, and the backwards that the
 * {@link Op#MAX_POOL2D} and {@link Op#AVG_POOL2D} rules run. The loops are in {@link PoolFloatKernels}.
 */
final class Pooling {
  /** The non-tensor arguments of an average pooling, kept for its backward. */
  record AvgParams(PoolGeometry geometry, boolean countIncludePad, int divisorOverride) {}

  private Pooling() {}

  static ValuesAndIndices maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
      boolean ceilMode) {
    int[] k = pair(kernelSize, null, "max_pool2d: kernel_size must either be a single int, or a tuple of two ints");
    int[] s = stride == null || stride.length == 0 ? k
        : pair(stride, null, "max_pool2d: stride must either be omitted, a single int, or a tuple of two ints");
    int[] p = pair(padding, 0, "max_pool2d: padding must either be a single int, or a tuple of two ints");
    int[] d = pair(dilation, 1, "max_pool2d: dilation must be either a single int, or a tuple of two ints");
    if (input.dim() != 3 && input.dim() != 4) {
      throw new IllegalStateException("non-empty 3D or 4D (batch mode) tensor expected for input");
    }
    PoolGeometry g = geometry(input, k, s, p, d, ceilMode);
    NnOps.checkFloating(input.dtype(), "max_pool2d");
    Tensor out = Tensor.empty(input.dtype(), outShape(input, g));
    Tensor indices = Tensor.empty(DType.INT64, out.shapeRef());
    Tensor x = NnOps.dense(input);
    if (x.dtype() == DType.FLOAT32) {
      PoolFloatKernels.maxForward(g, x.storage().f, x.offset(), out.storage().f, indices.storage().l);
    } else {
      PoolDoubleKernels.maxForward(g, x.storage().d, x.offset(), out.storage().d, indices.storage().l);
    }
    return new ValuesAndIndices(Autograd.record1(Op.MAX_POOL2D, out, g, input, indices), indices);
  }

  static Tensor maxBackward(PoolGeometry g, Tensor grad, Tensor indices, int[] inputShape) {
    Tensor gc = NnOps.dense(grad);
    Tensor gx = Tensor.zeros(grad.dtype(), inputShape);
    if (gx.dtype() == DType.FLOAT32) {
      PoolFloatKernels.maxBackward(g, gc.storage().f, gc.offset(), indices.storage().l, gx.storage().f);
    } else {
      PoolDoubleKernels.maxBackward(g, gc.storage().d, gc.offset(), indices.storage().l, gx.storage().d);
    }
    return gx;
  }

  static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
      boolean countIncludePad, Integer divisorOverride) {
    int[] k = pair(kernelSize, null, "avg_pool2d: kernel_size must either be a single int, or a tuple of two ints");
    int[] s = stride == null || stride.length == 0 ? k
        : pair(stride, null, "avg_pool2d: stride must either be omitted, a single int, or a tuple of two ints");
    int[] p = pair(padding, 0, "avg_pool2d: padding must either be a single int, or a tuple of two ints");
    if (divisorOverride != null && divisorOverride == 0) {
      throw new IllegalStateException("divisor must be not zero");
    }
    PoolGeometry g = geometry(input, k, s, p, new int[] {1, 1}, ceilMode);
    NnOps.checkFloating(input.dtype(), "avg_pool2d");
    AvgParams params = new AvgParams(g, countIncludePad, divisorOverride == null ? 0 : divisorOverride);
    Tensor out = Tensor.empty(input.dtype(), outShape(input, g));
    Tensor x = NnOps.dense(input);
    if (x.dtype() == DType.FLOAT32) {
      PoolFloatKernels.avgForward(g, countIncludePad, params.divisorOverride(), x.storage().f, x.offset(),
          out.storage().f);
    } else {
      PoolDoubleKernels.avgForward(g, countIncludePad, params.divisorOverride(), x.storage().d, x.offset(),
          out.storage().d);
    }
    return Autograd.record1(Op.AVG_POOL2D, out, params, input);
  }

  static Tensor avgBackward(AvgParams params, Tensor grad, int[] inputShape) {
    Tensor gc = NnOps.dense(grad);
    Tensor gx = Tensor.zeros(grad.dtype(), inputShape);
    if (gx.dtype() == DType.FLOAT32) {
      PoolFloatKernels.avgBackward(params.geometry(), params.countIncludePad(), params.divisorOverride(),
          gc.storage().f, gc.offset(), gx.storage().f);
    } else {
      PoolDoubleKernels.avgBackward(params.geometry(), params.countIncludePad(), params.divisorOverride(),
          gc.storage().d, gc.offset(), gx.storage().d);
    }
    return gx;
  }

  /** One value for both dimensions or one per dimension; {@code absent} (when not null) replaces null. */
  private static int[] pair(int[] values, Integer absent, String message) {
    if (values == null && absent != null) {
      return new int[] {absent, absent};
    }
    if (values == null || values.length < 1 || values.length > 2) {
      throw new IllegalStateException(message);
    }
    return values.length == 1 ? new int[] {values[0], values[0]} : values.clone();
  }

  private static int[] outShape(Tensor input, PoolGeometry g) {
    int[] shape = input.shape();
    shape[shape.length - 2] = g.outH();
    shape[shape.length - 1] = g.outW();
    return shape;
  }

  /** The output sizes and PyTorch's {@code pool2d_shape_check}. */
  private static PoolGeometry geometry(Tensor input, int[] k, int[] s, int[] p, int[] d, boolean ceilMode) {
    int[] shape = input.shapeRef();
    int nd = shape.length;
    int channels = shape[Shape.wrapDim(-3, nd)];
    int h = shape[nd - 2];
    int w = shape[nd - 1];
    int outH = outputSize(h, k[0], p[0], s[0], d[0], ceilMode);
    int outW = outputSize(w, k[1], p[1], s[1], d[1], ceilMode);
    if (k[0] <= 0 || k[1] <= 0) {
      throw new IllegalStateException("kernel size should be greater than zero, but got kH: " + k[0] + " kW: " + k[1]);
    }
    if (s[0] <= 0 || s[1] <= 0) {
      throw new IllegalStateException("stride should be greater than zero, but got dH: " + s[0] + " dW: " + s[1]);
    }
    if (d[0] <= 0 || d[1] <= 0) {
      throw new IllegalStateException("dilation should be greater than zero, but got dilationH: " + d[0]
          + " dilationW: " + d[1]);
    }
    boolean validDims = shape[1] != 0 && shape[2] != 0;
    if (!((nd == 3 && shape[0] != 0 && validDims) || (nd == 4 && validDims && shape[3] != 0))) {
      throw new IllegalStateException("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for "
          + "input, but got:" + Shape.str(shape));
    }
    if (k[1] / 2 < p[1] || k[0] / 2 < p[0]) {
      throw new IllegalStateException("pad should be smaller than or equal to half of kernel size, but got padW = "
          + p[1] + ", padH = " + p[0] + ", kW = " + k[1] + ", kH = " + k[0]);
    }
    if (outW < 1 || outH < 1) {
      throw new IllegalStateException("Given input size: (" + channels + "x" + h + "x" + w + "). Calculated output "
          + "size: (" + channels + "x" + outH + "x" + outW + "). Output size is too small");
    }
    int planes = (int) (input.numel() / ((long) h * w));
    return new PoolGeometry(planes, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], outH, outW);
  }

  /**
   * PyTorch's {@code pooling_output_shape}: in ceil mode the last window must start inside the input or the
   * left padding.
   */
  private static int outputSize(int in, int kernel, int pad, int stride, int dilation, boolean ceilMode) {
    if (stride == 0) {
      throw new IllegalStateException("stride should not be zero");
    }
    if (pad < 0) {
      throw new IllegalStateException("pad must be non-negative, but got pad: " + pad);
    }
    if (pad > ((kernel - 1) * dilation + 1) / 2) {
      throw new IllegalStateException("pad should be at most half of effective kernel size, but got pad=" + pad
          + ", kernel_size=" + kernel + " and dilation=" + dilation);
    }
    long span = (long) in + 2L * pad - (long) dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
    long out = Math.floorDiv(span, stride) + 1;
    if (ceilMode && (out - 1) * stride >= (long) in + pad) {
      out--;
    }
    return (int) out;
  }
}
