package org.optim4j.tensor;

import static org.optim4j.tensor.internal.KernelOps.*;

import org.optim4j.tensor.internal.ElementwiseDoubleKernels;
import org.optim4j.tensor.internal.ElementwiseFloatKernels;
import org.optim4j.tensor.internal.Parallel;

/**
 * Forward element-wise computation: type promotion, broadcasting, and dispatch to the per-dtype kernels
 * (no autograd here). Operands are brought to the result dtype and to contiguous memory first; a
 * one-element operand is passed to the kernel as a scalar.
 */
final class Pointwise {
  /** Elements per thread below which a kernel runs on the calling thread. */
  static final int GRAIN = 1 << 15;
  /** Comparison codes. */
  static final int EQ = 0;
  static final int NE = 1;
  static final int GT = 2;
  static final int LT = 3;
  static final int GE = 4;
  static final int LE = 5;

  private Pointwise() {}

  /** PyTorch's result type of a binary operation between two tensors. */
  static DType resultType(Tensor a, Tensor b) {
    DType da = a.dtype();
    DType db = b.dtype();
    if (da == db) {
      return da;
    }
    boolean aDim = a.dim() > 0;
    boolean bDim = b.dim() > 0;
    if (aDim != bDim) {
      DType dimensioned = aDim ? da : db;
      DType zeroDim = aDim ? db : da;
      if (zeroDim.category() <= dimensioned.category()) {
        return dimensioned;
      }
    }
    return DType.promote(da, db);
  }

  /** PyTorch's result type of a tensor combined with a Python float scalar. */
  static DType resultTypeWithScalar(Tensor a) {
    return a.dtype().isFloatingPoint() ? a.dtype() : DType.FLOAT32;
  }

  static void checkArithmetic(DType dtype) {
    if (dtype == DType.BFLOAT16) {
      throw new UnsupportedOperationException(
          "bfloat16 is a storage-only dtype in optim4j: convert with to(DType.FLOAT32) before computing");
    }
  }

  /** {@code a op b} with broadcasting. */
  static Tensor binary(int op, Tensor a, Tensor b) {
    DType rt = resultType(a, b);
    if (op == DIV && !rt.isFloatingPoint()) {
      rt = DType.FLOAT32;
    }
    checkArithmetic(rt);
    int[] shape = Shape.broadcast(a.shapeRef(), b.shapeRef());
    Tensor out = Tensor.empty(rt, shape);
    into(op, a, b, out);
    return out;
  }

  /** Writes {@code a op b} into the contiguous {@code out}, whose shape is the broadcast shape. */
  static void into(int op, Tensor a, Tensor b, Tensor out) {
    DType rt = out.dtype();
    int[] shape = out.shapeRef();
    int n = out.numelInt();
    if (n == 0) {
      return;
    }
    if (b.numelInt() == 1 && a.numelInt() == n) {
      scalarInto(op, prepare(a, rt, shape), b.item(), out);
    } else if (a.numelInt() == 1 && b.numelInt() == n) {
      scalarInto(reversed(op), prepare(b, rt, shape), a.item(), out);
    } else {
      Tensor ac = prepare(a, rt, shape);
      Tensor bc = prepare(b, rt, shape);
      int ao = ac.offset();
      int bo = bc.offset();
      int oo = out.offset();
      switch (rt) {
        case FLOAT32: {
          float[] x = ac.storage().f;
          float[] y = bc.storage().f;
          float[] z = out.storage().f;
          Parallel.forRange(n, GRAIN, (from, to) ->
              ElementwiseFloatKernels.binary(op, x, ao + from, y, bo + from, z, oo + from, to - from));
          break;
        }
        case FLOAT64: {
          double[] x = ac.storage().d;
          double[] y = bc.storage().d;
          double[] z = out.storage().d;
          Parallel.forRange(n, GRAIN, (from, to) ->
              ElementwiseDoubleKernels.binary(op, x, ao + from, y, bo + from, z, oo + from, to - from));
          break;
        }
        default:
          generic(op, ac, bc, out);
      }
    }
  }

  private static int reversed(int op) {
    switch (op) {
      case SUB:
        return RSUB;
      case DIV:
        return RDIV;
      case POW:
        return RPOW;
      case ADD:
      case MUL:
      case MAXIMUM:
      case MINIMUM:
        return op;
      default:
        throw new IllegalArgumentException("no reversed form of op " + op);
    }
  }

  /** {@code a op s} for a Python-float scalar {@code s}. */
  static Tensor binaryScalar(int op, Tensor a, double s) {
    DType rt = resultTypeWithScalar(a);
    checkArithmetic(rt);
    Tensor out = Tensor.empty(rt, a.shapeRef());
    scalarInto(op, prepare(a, rt, a.shapeRef()), s, out);
    return out;
  }

  /** Writes {@code a op s} into {@code out}; {@code a} is contiguous, of out's dtype and size. */
  static void scalarInto(int op, Tensor a, double s, Tensor out) {
    int n = out.numelInt();
    int ao = a.offset();
    int oo = out.offset();
    switch (out.dtype()) {
      case FLOAT32: {
        float[] x = a.storage().f;
        float[] z = out.storage().f;
        float fs = (float) s;
        Parallel.forRange(n, GRAIN, (from, to) ->
            ElementwiseFloatKernels.binaryScalar(op, x, ao + from, fs, z, oo + from, to - from));
        break;
      }
      case FLOAT64: {
        double[] x = a.storage().d;
        double[] z = out.storage().d;
        Parallel.forRange(n, GRAIN, (from, to) ->
            ElementwiseDoubleKernels.binaryScalar(op, x, ao + from, s, z, oo + from, to - from));
        break;
      }
      default: {
        Storage x = a.storage();
        Storage z = out.storage();
        for (int i = 0; i < n; i++) {
          z.set(oo + i, apply(op, x.get(ao + i), s));
        }
      }
    }
  }

  /** {@code op(a)}. */
  static Tensor unary(int op, Tensor a) {
    DType rt = a.dtype().isFloatingPoint() || op == NEG || op == ABS || op == SIGN || op == RELU ? a.dtype()
        : DType.FLOAT32;
    checkArithmetic(rt);
    Tensor out = Tensor.empty(rt, a.shapeRef());
    unaryInto(op, prepare(a, rt, a.shapeRef()), out);
    return out;
  }

  static void unaryInto(int op, Tensor a, Tensor out) {
    int n = out.numelInt();
    int ao = a.offset();
    int oo = out.offset();
    switch (out.dtype()) {
      case FLOAT32: {
        float[] x = a.storage().f;
        float[] z = out.storage().f;
        Parallel.forRange(n, GRAIN, (from, to) ->
            ElementwiseFloatKernels.unary(op, x, ao + from, z, oo + from, to - from));
        break;
      }
      case FLOAT64: {
        double[] x = a.storage().d;
        double[] z = out.storage().d;
        Parallel.forRange(n, GRAIN, (from, to) ->
            ElementwiseDoubleKernels.unary(op, x, ao + from, z, oo + from, to - from));
        break;
      }
      default: {
        Storage x = a.storage();
        Storage z = out.storage();
        for (int i = 0; i < n; i++) {
          z.set(oo + i, applyUnary(op, x.get(ao + i)));
        }
      }
    }
  }

  /**
   * ReLU's backward, PyTorch's {@code threshold_backward(g, out, 0)}: 0 where {@code out <= 0}, else
   * {@code g} ({@code g} and {@code out} of one shape).
   */
  static Tensor reluBackward(Tensor g, Tensor out) {
    DType rt = g.dtype();
    if (rt != out.dtype() || !rt.isFloatingPoint() || rt == DType.BFLOAT16) {
      return Tensor.where(out.le(0), Tensor.zeros(rt), g);
    }
    Tensor gc = prepare(g, rt, out.shapeRef());
    Tensor oc = prepare(out, rt, out.shapeRef());
    Tensor res = Tensor.empty(rt, out.shapeRef());
    int n = res.numelInt();
    int go = gc.offset();
    int xo = oc.offset();
    if (rt == DType.FLOAT32) {
      float[] gg = gc.storage().f;
      float[] xx = oc.storage().f;
      float[] z = res.storage().f;
      Parallel.forRange(n, GRAIN, (from, to) ->
          ElementwiseFloatKernels.reluBackward(gg, go + from, xx, xo + from, z, from, to - from));
    } else {
      double[] gg = gc.storage().d;
      double[] xx = oc.storage().d;
      double[] z = res.storage().d;
      Parallel.forRange(n, GRAIN, (from, to) ->
          ElementwiseDoubleKernels.reluBackward(gg, go + from, xx, xo + from, z, from, to - from));
    }
    return res;
  }

  /** Element-wise comparison giving a bool tensor. */
  static Tensor compare(int cmp, Tensor a, Tensor b) {
    DType rt = resultType(a, b);
    int[] shape = Shape.broadcast(a.shapeRef(), b.shapeRef());
    Tensor ac = prepare(a, rt, shape);
    Tensor bc = prepare(b, rt, shape);
    Tensor out = Tensor.empty(DType.BOOL, shape);
    int n = out.numelInt();
    boolean[] z = out.storage().b;
    Storage x = ac.storage();
    Storage y = bc.storage();
    int ao = ac.offset();
    int bo = bc.offset();
    for (int i = 0; i < n; i++) {
      z[i] = compare(cmp, x.get(ao + i), y.get(bo + i));
    }
    return out;
  }

  static boolean compare(int cmp, double x, double y) {
    switch (cmp) {
      case EQ:
        return x == y;
      case NE:
        return x != y;
      case GT:
        return x > y;
      case LT:
        return x < y;
      case GE:
        return x >= y;
      default:
        return x <= y;
    }
  }

  /**
   * {@code t} as a contiguous tensor of the given dtype and (broadcast) shape, without copying when it
   * already is one.
   */
  static Tensor prepare(Tensor t, DType dtype, int[] shape) {
    Tensor r = t;
    if (r.dtype() != dtype) {
      r = r.convert(dtype);
    }
    if (!Shape.same(r.shapeRef(), shape)) {
      r = r.expandView(shape);
    }
    return r.isContiguous() ? r : r.contiguousCopy();
  }

  private static void generic(int op, Tensor a, Tensor b, Tensor out) {
    Storage x = a.storage();
    Storage y = b.storage();
    Storage z = out.storage();
    int n = out.numelInt();
    for (int i = 0; i < n; i++) {
      z.set(out.offset() + i, apply(op, x.get(a.offset() + i), y.get(b.offset() + i)));
    }
  }

  static double apply(int op, double x, double y) {
    switch (op) {
      case ADD:
        return x + y;
      case SUB:
        return x - y;
      case MUL:
        return x * y;
      case DIV:
        return x / y;
      case POW:
        return Math.pow(x, y);
      case MAXIMUM:
        return Math.max(x, y);
      case MINIMUM:
        return Math.min(x, y);
      case RSUB:
        return y - x;
      case RDIV:
        return y / x;
      case RPOW:
        return Math.pow(y, x);
      default:
        throw new IllegalArgumentException("binary op " + op);
    }
  }

  static double applyUnary(int op, double x) {
    switch (op) {
      case NEG:
        return -x;
      case ABS:
        return Math.abs(x);
      case SIGN:
        return Math.signum(x);
      case RELU:
        return Math.max(x, 0);
      case SQRT:
        return Math.sqrt(x);
      case RSQRT:
        return 1 / Math.sqrt(x);
      case EXP:
        return Math.exp(x);
      case LOG:
        return Math.log(x);
      case SIGMOID:
        return 1 / (1 + Math.exp(-x));
      case TANH:
        return Math.tanh(x);
      case SQUARE:
        return x * x;
      case RECIPROCAL:
        return 1 / x;
      default:
        throw new IllegalArgumentException("unary op " + op);
    }
  }
}
