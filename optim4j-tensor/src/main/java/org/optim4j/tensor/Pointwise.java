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

  /**
   * Writes {@code a op b} into the contiguous {@code out}, whose shape is the broadcast shape. A
   * one-element operand is a scalar; float operands of the arithmetic operations are read in place
   * through their broadcast strides ({@link Runs}); anything else is first made contiguous.
   */
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
    } else if ((rt == DType.FLOAT32 || rt == DType.FLOAT64) && op != POW && !Shape.same(a.shapeRef(), b.shapeRef())
        && Runs.applies(a, b, out)) {
      broadcastInto(op, converted(a, rt), converted(b, rt), out);
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

  /** {@code t} in dtype {@code dtype}: itself, or a converted copy. */
  private static Tensor converted(Tensor t, DType dtype) {
    return t.dtype() == dtype ? t : t.convert(dtype);
  }

  /**
   * {@code a op b} through broadcast strides, one innermost run at a time: a run where both operands
   * advance is the element-wise kernel, a run where one of them stays put (broadcast along it) is the
   * scalar kernel with that element, so no expanded operand is ever copied. Runs are split across threads.
   */
  private static void broadcastInto(int op, Tensor a, Tensor b, Tensor out) {
    Runs runs = new Runs(out.shapeRef(), a, b);
    int len = runs.length();
    int oo = out.offset();
    boolean f32 = out.dtype() == DType.FLOAT32;
    float[] xf = f32 ? a.storage().f : null;
    float[] yf = f32 ? b.storage().f : null;
    float[] zf = f32 ? out.storage().f : null;
    double[] xd = f32 ? null : a.storage().d;
    double[] yd = f32 ? null : b.storage().d;
    double[] zd = f32 ? null : out.storage().d;
    int aStep = runs.innerStep(0);
    int bStep = runs.innerStep(1);
    Parallel.forRange(runs.count(), Math.max(1, GRAIN / len), (from, to) -> {
      int[] at = runs.start(from);
      for (int r = from; r < to; r++) {
        int ao = at[0];
        int bo = at[1];
        int o = oo + r * len;
        if (f32) {
          if (aStep == 1 && bStep == 1) {
            ElementwiseFloatKernels.binary(op, xf, ao, yf, bo, zf, o, len);
          } else if (aStep == 1) {
            ElementwiseFloatKernels.binaryScalar(op, xf, ao, yf[bo], zf, o, len);
          } else if (bStep == 1) {
            ElementwiseFloatKernels.binaryScalar(reversed(op), yf, bo, xf[ao], zf, o, len);
          } else {
            ElementwiseFloatKernels.binary(op, xf, ao, yf, bo, zf, o, 1);
            ElementwiseFloatKernels.fill(zf, o + 1, len - 1, zf[o]);
          }
        } else if (aStep == 1 && bStep == 1) {
          ElementwiseDoubleKernels.binary(op, xd, ao, yd, bo, zd, o, len);
        } else if (aStep == 1) {
          ElementwiseDoubleKernels.binaryScalar(op, xd, ao, yd[bo], zd, o, len);
        } else if (bStep == 1) {
          ElementwiseDoubleKernels.binaryScalar(reversed(op), yd, bo, xd[ao], zd, o, len);
        } else {
          ElementwiseDoubleKernels.binary(op, xd, ao, yd, bo, zd, o, 1);
          ElementwiseDoubleKernels.fill(zd, o + 1, len - 1, zd[o]);
        }
        runs.advance(at);
      }
    });
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

  /**
   * Element-wise comparison giving a bool tensor, in the promoted dtype. Float32, float64 and int64
   * operands of equal shape, or against a one-element operand, go through typed loops; the rest through
   * a generic loop over contiguous copies.
   */
  static Tensor compare(int cmp, Tensor a, Tensor b) {
    DType rt = resultType(a, b);
    int[] shape = Shape.broadcast(a.shapeRef(), b.shapeRef());
    Tensor out = Tensor.empty(DType.BOOL, shape);
    int n = out.numelInt();
    boolean[] z = out.storage().b;
    boolean typed = rt == DType.FLOAT32 || rt == DType.FLOAT64 || rt == DType.INT64;
    if (n > 0 && typed && (b.numelInt() == 1 || Shape.same(a.shapeRef(), b.shapeRef()))) {
      Tensor ac = prepare(a, rt, shape);
      Tensor bc = b.numelInt() == 1 ? converted(b, rt) : prepare(b, rt, shape);
      int ao = ac.offset();
      int bo = bc.offset();
      boolean scalar = b.numelInt() == 1 && n != 1;
      switch (rt) {
        case FLOAT32:
          if (scalar) {
            ElementwiseFloatKernels.compareScalar(cmp, ac.storage().f, ao, bc.storage().f[bo], z, 0, n);
          } else {
            ElementwiseFloatKernels.compare(cmp, ac.storage().f, ao, bc.storage().f, bo, z, 0, n);
          }
          break;
        case FLOAT64:
          if (scalar) {
            ElementwiseDoubleKernels.compareScalar(cmp, ac.storage().d, ao, bc.storage().d[bo], z, 0, n);
          } else {
            ElementwiseDoubleKernels.compare(cmp, ac.storage().d, ao, bc.storage().d, bo, z, 0, n);
          }
          break;
        default:
          compareLongs(cmp, ac.storage().l, ao, bc.storage().l, bo, scalar, z, n);
      }
      return out;
    }
    Tensor ac = prepare(a, rt, shape);
    Tensor bc = prepare(b, rt, shape);
    Storage x = ac.storage();
    Storage y = bc.storage();
    int ao = ac.offset();
    int bo = bc.offset();
    for (int i = 0; i < n; i++) {
      z[i] = compare(cmp, x.get(ao + i), y.get(bo + i));
    }
    return out;
  }

  /** {@code out[i] = a[ao + i] cmp b[bo + (scalar ? 0 : i)]} over int64 values, compared exactly. */
  private static void compareLongs(int cmp, long[] a, int ao, long[] b, int bo, boolean scalar, boolean[] out,
      int n) {
    int step = scalar ? 0 : 1;
    for (int i = 0; i < n; i++) {
      long x = a[ao + i];
      long y = b[bo + i * step];
      out[i] = cmp == EQ ? x == y : cmp == NE ? x != y : cmp == GT ? x > y : cmp == LT ? x < y : cmp == GE ? x >= y
          : x <= y;
    }
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
