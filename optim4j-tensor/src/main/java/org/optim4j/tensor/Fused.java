package org.optim4j.tensor;

import org.optim4j.tensor.internal.ElementwiseDoubleKernels;
import org.optim4j.tensor.internal.ElementwiseFloatKernels;
import org.optim4j.tensor.internal.Parallel;

/**
 * Forward computation of the fused multi-operand updates optimizers use ({@code add} with alpha,
 * {@code addcmul}, {@code addcdiv}, {@code lerp}, {@code clamp}), with PyTorch's float32 rounding.
 */
final class Fused {
  static final int ADD_SCALED = 0;
  static final int ADDCMUL = 1;
  static final int ADDCDIV = 2;
  static final int LERP = 3;
  static final int LERP_TENSOR = 4;
  static final int CLAMP = 5;

  private Fused() {}

  /**
   * Writes {@code kind(a, b, c, value)} into {@code out} (contiguous, of the result dtype and broadcast
   * shape). For {@link #CLAMP}, {@code value} is the lower and {@code value2} the upper bound.
   */
  static void into(int kind, Tensor a, Tensor b, Tensor c, double value, double value2, Tensor out) {
    DType rt = out.dtype();
    Pointwise.checkArithmetic(rt);
    int[] shape = out.shapeRef();
    int n = out.numelInt();
    if (n == 0) {
      return;
    }
    Tensor ac = Pointwise.prepare(a, rt, shape);
    Tensor bc = b == null ? null : Pointwise.prepare(b, rt, shape);
    Tensor cc = c == null ? null : Pointwise.prepare(c, rt, shape);
    int ao = ac.offset();
    int bo = bc == null ? 0 : bc.offset();
    int co = cc == null ? 0 : cc.offset();
    int oo = out.offset();
    if (rt == DType.FLOAT32) {
      float[] x = ac.storage().f;
      float[] y = bc == null ? null : bc.storage().f;
      float[] w = cc == null ? null : cc.storage().f;
      float[] z = out.storage().f;
      float v = (float) value;
      float v2 = (float) value2;
      Parallel.forRange(n, Pointwise.GRAIN, (from, to) -> {
        int len = to - from;
        switch (kind) {
          case ADD_SCALED:
            ElementwiseFloatKernels.addScaled(x, ao + from, y, bo + from, v, z, oo + from, len);
            break;
          case ADDCMUL:
            ElementwiseFloatKernels.addcmul(x, ao + from, y, bo + from, w, co + from, v, z, oo + from, len);
            break;
          case ADDCDIV:
            ElementwiseFloatKernels.addcdiv(x, ao + from, y, bo + from, w, co + from, v, z, oo + from, len);
            break;
          case LERP:
            ElementwiseFloatKernels.lerp(x, ao + from, y, bo + from, v, z, oo + from, len);
            break;
          case LERP_TENSOR:
            ElementwiseFloatKernels.lerp(x, ao + from, y, bo + from, w, co + from, z, oo + from, len);
            break;
          default:
            ElementwiseFloatKernels.clamp(x, ao + from, v, v2, z, oo + from, len);
        }
      });
    } else if (rt == DType.FLOAT64) {
      double[] x = ac.storage().d;
      double[] y = bc == null ? null : bc.storage().d;
      double[] w = cc == null ? null : cc.storage().d;
      double[] z = out.storage().d;
      Parallel.forRange(n, Pointwise.GRAIN, (from, to) -> {
        int len = to - from;
        switch (kind) {
          case ADD_SCALED:
            ElementwiseDoubleKernels.addScaled(x, ao + from, y, bo + from, value, z, oo + from, len);
            break;
          case ADDCMUL:
            ElementwiseDoubleKernels.addcmul(x, ao + from, y, bo + from, w, co + from, value, z, oo + from, len);
            break;
          case ADDCDIV:
            ElementwiseDoubleKernels.addcdiv(x, ao + from, y, bo + from, w, co + from, value, z, oo + from, len);
            break;
          case LERP:
            ElementwiseDoubleKernels.lerp(x, ao + from, y, bo + from, value, z, oo + from, len);
            break;
          case LERP_TENSOR:
            ElementwiseDoubleKernels.lerp(x, ao + from, y, bo + from, w, co + from, z, oo + from, len);
            break;
          default:
            ElementwiseDoubleKernels.clamp(x, ao + from, value, value2, z, oo + from, len);
        }
      });
    } else {
      Storage x = ac.storage();
      Storage z = out.storage();
      for (int i = 0; i < n; i++) {
        double xi = x.get(ao + i);
        double r;
        switch (kind) {
          case ADD_SCALED:
            r = xi + value * bc.storage().get(bo + i);
            break;
          case CLAMP:
            r = Math.min(Math.max(xi, value), value2);
            break;
          default:
            throw new UnsupportedOperationException("operation needs a floating-point tensor, got " + rt);
        }
        z.set(oo + i, r);
      }
    }
  }
}
