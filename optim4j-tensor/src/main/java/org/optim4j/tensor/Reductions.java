package org.optim4j.tensor;

import java.util.Arrays;
import org.optim4j.tensor.internal.ElementwiseDoubleKernels;
import org.optim4j.tensor.internal.ElementwiseFloatKernels;
import org.optim4j.tensor.internal.Parallel;
import org.optim4j.tensor.internal.SoftmaxDoubleKernels;
import org.optim4j.tensor.internal.SoftmaxFloatKernels;

/**
 * Forward reductions. The reduced dimensions are moved last and made contiguous, so every reduction is a
 * loop over rows of a [kept, reduced] matrix. Floating sums accumulate in double precision and are rounded
 * once, which keeps float32 results within an ulp of PyTorch's pairwise sums.
 */
final class Reductions {
  private Reductions() {}

  /**
   * A tensor rearranged as rows: {@code rows} rows of {@code width} contiguous elements each. The
   * rearranged copy is made on first use; {@link #rowSums()} does without it when the reduced dimensions
   * lead a contiguous tensor (a bias gradient's sum over the batch), summing its columns in place.
   */
  private static final class Rows {
    private final Tensor source;
    private final boolean leading;
    private Tensor data;
    final int rows;
    final int width;
    final int[] keepShape;
    final int[] outShape;

    Rows(Tensor t, int[] dims, boolean keepdim) {
      int nd = t.dim();
      boolean[] reduce = new boolean[nd];
      for (int d : dims) {
        int w = Shape.wrapDim(d, nd);
        if (reduce[w] && nd > 0) {
          throw new IllegalStateException("dim " + w + " appears multiple times in the list of dims");
        }
        reduce[w] = nd > 0;
      }
      int[] perm = new int[nd];
      int k = 0;
      int kept = 1;
      int red = 1;
      keepShape = new int[nd];
      int outLen = 0;
      for (int i = 0; i < nd; i++) {
        if (!reduce[i]) {
          perm[k++] = i;
          kept *= t.shapeRef()[i];
          outLen++;
        }
      }
      for (int i = 0; i < nd; i++) {
        keepShape[i] = reduce[i] ? 1 : t.shapeRef()[i];
        if (reduce[i]) {
          perm[k++] = i;
          red *= t.shapeRef()[i];
        }
      }
      int[] out = new int[outLen];
      for (int i = 0, j = 0; i < nd; i++) {
        if (!reduce[i]) {
          out[j++] = t.shapeRef()[i];
        }
      }
      outShape = keepdim ? keepShape : out;
      rows = kept;
      width = red;
      int lead = 0;
      while (lead < nd && reduce[lead]) {
        lead++;
      }
      leading = lead > 0 && lead < nd && lead == nd - outLen && t.isContiguous() && t.dtype().isFloatingPoint()
          && t.dtype() != DType.BFLOAT16;
      Tensor p = t;
      if (!isIdentity(perm)) {
        p = t.viewOf(permuted(t.shapeRef(), perm), permuted(t.stridesRef(), perm), t.offset());
      }
      source = p;
    }

    /** The rows as a contiguous tensor (the source itself when it already is one). */
    Tensor data() {
      if (data == null) {
        data = source.isContiguous() ? source : source.contiguousCopy();
      }
      return data;
    }

    double[] rowSums() {
      if (leading) {
        return columnSums();
      }
      Tensor data = data();
      double[] sums = new double[rows];
      Storage s = data.storage();
      int o = data.offset();
      Parallel.forRange(rows, Math.max(1, Pointwise.GRAIN / Math.max(1, width)), (from, to) -> {
        for (int r = from; r < to; r++) {
          if (s.dtype == DType.FLOAT32) {
            sums[r] = ElementwiseFloatKernels.sum(s.f, o + r * width, 1, width);
          } else if (s.dtype == DType.FLOAT64) {
            sums[r] = ElementwiseDoubleKernels.sum(s.d, o + r * width, 1, width);
          } else {
            double acc = 0;
            for (int j = 0; j < width; j++) {
              acc += s.get(o + r * width + j);
            }
            sums[r] = acc;
          }
        }
      });
      return sums;
    }

    /**
     * The row sums when the reduced dimensions lead: the source is a contiguous [width, rows] matrix
     * whose columns are the rows. Each column is summed exactly as the row kernel
     * ({@code ElementwiseFloatKernels.sum}) sums a row, with eight partial sums over the positions
     * i ≡ 0 … 7 (mod 8), so the result does not depend on the layout; the partial sums are rows of
     * doubles updated a whole source row at a time, and the columns are split across threads.
     */
    private double[] columnSums() {
      double[] sums = new double[rows];
      Storage s = source.storage();
      int o = source.offset();
      int full = width - width % 8;
      Parallel.forRange(rows, Math.max(1, Pointwise.GRAIN / Math.max(1, width)), (from, to) -> {
        int n = to - from;
        double[][] partial = new double[8][n];
        for (int i = 0; i < full; i++) {
          double[] acc = partial[i & 7];
          int row = o + i * rows + from;
          if (s.dtype == DType.FLOAT32) {
            float[] a = s.f;
            for (int j = 0; j < n; j++) {
              acc[j] += a[row + j];
            }
          } else {
            double[] a = s.d;
            for (int j = 0; j < n; j++) {
              acc[j] += a[row + j];
            }
          }
        }
        for (int j = 0; j < n; j++) {
          sums[from + j] = ((partial[0][j] + partial[1][j]) + (partial[2][j] + partial[3][j]))
              + ((partial[4][j] + partial[5][j]) + (partial[6][j] + partial[7][j]));
        }
        for (int i = full; i < width; i++) {
          int row = o + i * rows + from;
          for (int j = 0; j < n; j++) {
            sums[from + j] += s.dtype == DType.FLOAT32 ? s.f[row + j] : s.d[row + j];
          }
        }
      });
      return sums;
    }

    double get(int r, int j) {
      Tensor data = data();
      return data.storage().get(data.offset() + r * width + j);
    }
  }

  private static boolean isIdentity(int[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  private static int[] permuted(int[] a, int[] perm) {
    int[] r = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      r[i] = a[perm[i]];
    }
    return r;
  }

  private static DType sumType(DType in) {
    return in.isFloatingPoint() ? in : DType.INT64;
  }

  private static Tensor fromRows(double[] values, DType dtype, int[] shape) {
    Tensor out = Tensor.empty(dtype, shape);
    Storage s = out.storage();
    for (int i = 0; i < values.length; i++) {
      s.set(i, values[i]);
    }
    return out;
  }

  static Tensor sum(Tensor t, int[] dims, boolean keepdim) {
    Pointwise.checkArithmetic(t.dtype());
    if (t.isSparse()) {
      return sum(t.toDense(), dims, keepdim);
    }
    Rows r = new Rows(t, dims, keepdim);
    Tensor out = fromRows(r.rowSums(), sumType(t.dtype()), r.outShape);
    return Autograd.record1(Op.SUM, out, r.keepShape, t);
  }

  static Tensor mean(Tensor t, int[] dims, boolean keepdim) {
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalStateException("mean(): could not infer output dtype. Input dtype must be either a floating "
          + "point or complex dtype. Got: " + t.dtype().tensorTypeName().replace("torch.", "").replace("Tensor", ""));
    }
    Pointwise.checkArithmetic(t.dtype());
    Rows r = new Rows(t, dims, keepdim);
    double[] sums = r.rowSums();
    for (int i = 0; i < sums.length; i++) {
      sums[i] /= r.width;
    }
    Tensor out = fromRows(sums, t.dtype(), r.outShape);
    return Autograd.record1(Op.MEAN, out, new Object[] {r.keepShape, r.width}, t);
  }

  static Tensor extremum(Tensor t, boolean max) {
    if (t.numel() == 0) {
      throw new IllegalStateException((max ? "max" : "min") + "(): Expected reduction dim to be specified for "
          + "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    }
    Rows r = new Rows(t, allDims(t), false);
    double best = r.get(0, 0);
    for (int j = 1; j < r.width; j++) {
      best = pick(best, r.get(0, j), max);
    }
    Tensor out = Tensor.scalar(best, t.dtype());
    return Autograd.record1(max ? Op.MAX_ALL : Op.MIN_ALL, out, null, t, t, out);
  }

  private static double pick(double best, double v, boolean max) {
    if (Double.isNaN(best)) {
      return best;
    }
    if (Double.isNaN(v)) {
      return v;
    }
    return max ? Math.max(best, v) : Math.min(best, v);
  }

  static ValuesAndIndices extremum(Tensor t, int dim, boolean keepdim, boolean max) {
    int d = Shape.wrapDim(dim, t.dim());
    if (t.dim() > 0 && t.shapeRef()[d] == 0) {
      throw new IndexOutOfBoundsException((max ? "max" : "min") + "(): Expected reduction dim " + d
          + " to have non-zero size.");
    }
    Rows r = new Rows(t, new int[] {d}, keepdim);
    double[] values = new double[r.rows];
    double[] indices = new double[r.rows];
    for (int i = 0; i < r.rows; i++) {
      double best = r.get(i, 0);
      int at = 0;
      for (int j = 1; j < r.width && !Double.isNaN(best); j++) {
        double v = r.get(i, j);
        if (Double.isNaN(v) || (max ? v > best : v < best)) {
          best = v;
          at = j;
        }
      }
      values[i] = best;
      indices[i] = at;
    }
    Tensor idx = fromRows(indices, DType.INT64, r.outShape);
    Tensor vals = fromRows(values, t.dtype(), r.outShape);
    vals = Autograd.record1(max ? Op.MAX_DIM : Op.MIN_DIM, vals, new Object[] {d, keepdim}, t, idx);
    return new ValuesAndIndices(vals, idx);
  }

  static Tensor norm(Tensor t, double p, int[] dims, boolean keepdim) {
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalStateException("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
          + t.dtype().tensorTypeName().replace("torch.", "").replace("Tensor", ""));
    }
    Rows r = new Rows(t, dims, keepdim);
    double[] out = new double[r.rows];
    for (int i = 0; i < r.rows; i++) {
      double acc = p == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : 0;
      for (int j = 0; j < r.width; j++) {
        double a = Math.abs(r.get(i, j));
        if (p == 2) {
          acc += a * a;
        } else if (p == 1) {
          acc += a;
        } else if (p == Double.POSITIVE_INFINITY) {
          acc = Double.isNaN(a) || Double.isNaN(acc) ? Double.NaN : Math.max(acc, a);
        } else if (p == Double.NEGATIVE_INFINITY) {
          acc = Double.isNaN(a) || Double.isNaN(acc) ? Double.NaN : Math.min(acc, a);
        } else if (p == 0) {
          acc += a != 0 ? 1 : 0;
        } else {
          acc += Math.pow(a, p);
        }
      }
      if (p == 2) {
        acc = Math.sqrt(acc);
      } else if (p != 1 && p != 0 && !Double.isInfinite(p)) {
        acc = Math.pow(acc, 1 / p);
      }
      out[i] = acc;
    }
    Tensor result = fromRows(out, t.dtype(), r.outShape);
    return Autograd.record1(Op.NORM, result, new Object[] {p, r.keepShape}, t, t, result);
  }

  static Tensor var(Tensor t, int[] dims, double correction, boolean keepdim) {
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalStateException("std and var only support floating point and complex dtypes");
    }
    Rows r = new Rows(t, dims, keepdim);
    double[] sums = r.rowSums();
    double[] out = new double[r.rows];
    double denom = Math.max(0, r.width - correction);
    for (int i = 0; i < r.rows; i++) {
      double mean = sums[i] / r.width;
      double acc = 0;
      for (int j = 0; j < r.width; j++) {
        double dv = r.get(i, j) - mean;
        acc += dv * dv;
      }
      out[i] = acc / denom;
    }
    Tensor result = fromRows(out, t.dtype(), r.outShape);
    return Autograd.record1(Op.VAR, result, new Object[] {r.keepShape, correction, r.width}, t, t);
  }

  static Tensor softmax(Tensor t, int dim, boolean log) {
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalStateException((log ? "log_softmax" : "softmax") + " not implemented for '"
          + t.dtype().tensorTypeName().replace("torch.", "").replace("Tensor", "") + "'");
    }
    Pointwise.checkArithmetic(t.dtype());
    int d = Shape.wrapDim(dim, t.dim());
    Rows r = new Rows(t, t.dim() == 0 ? new int[0] : new int[] {d}, true);
    Tensor rows = Tensor.empty(t.dtype(), new int[] {r.rows, r.width});
    Tensor in = r.data();
    int io = in.offset();
    int width = r.width;
    Parallel.forRange(r.rows, Math.max(1, 4096 / Math.max(1, width)), (from, to) -> {
      if (in.dtype() == DType.FLOAT32) {
        SoftmaxFloatKernels.forward(in.storage().f, io, rows.storage().f, 0, from, to, width, log);
      } else {
        SoftmaxDoubleKernels.forward(in.storage().d, io, rows.storage().d, 0, from, to, width, log);
      }
    });
    Tensor result = unrows(rows, t, d);
    return Autograd.record1(log ? Op.LOG_SOFTMAX : Op.SOFTMAX, result, d, t, result);
  }

  /**
   * The gradient of {@link #softmax} over dimension {@code d} from its output {@code out}: log-softmax's
   * {@code g − exp(out)·g.sum(d)} or softmax's {@code out·(g − (g·out).sum(d))}. Over the last dimension of
   * contiguous operands of one dtype it is one fused pass per row, rounded like the composition of
   * tensor operations used otherwise.
   */
  static Tensor softmaxBackward(Tensor g, Tensor out, int d, boolean log) {
    DType dtype = out.dtype();
    boolean fused = g.dtype() == dtype && (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) && out.dim() > 0
        && d == out.dim() - 1 && g.isContiguous() && out.isContiguous() && Shape.same(g.shapeRef(), out.shapeRef());
    if (!fused) {
      return log ? g.sub(out.exp().mul(g.sum(d, true))) : out.mul(g.sub(g.mul(out).sum(d, true)));
    }
    int width = out.shapeRef()[d];
    int rows = width == 0 ? 0 : out.numelInt() / width;
    Tensor gin = Tensor.empty(dtype, out.shapeRef());
    int go = g.offset();
    int oo = out.offset();
    Parallel.forRange(rows, Math.max(1, 4096 / Math.max(1, width)), (from, to) -> {
      if (dtype == DType.FLOAT32) {
        if (log) {
          SoftmaxFloatKernels.logBackward(g.storage().f, go, out.storage().f, oo, gin.storage().f, from, to, width);
        } else {
          SoftmaxFloatKernels.backward(g.storage().f, go, out.storage().f, oo, gin.storage().f, from, to, width);
        }
      } else if (log) {
        SoftmaxDoubleKernels.logBackward(g.storage().d, go, out.storage().d, oo, gin.storage().d, from, to, width);
      } else {
        SoftmaxDoubleKernels.backward(g.storage().d, go, out.storage().d, oo, gin.storage().d, from, to, width);
      }
    });
    return gin;
  }

  /** Undoes the {@link Rows} layout of a reduction over one kept dimension {@code d} into t's shape. */
  private static Tensor unrows(Tensor rows, Tensor t, int d) {
    int nd = t.dim();
    if (nd == 0) {
      return rows.reshape();
    }
    int[] permShape = new int[nd];
    int[] perm = new int[nd];
    for (int i = 0, k = 0; i < nd; i++) {
      if (i != d) {
        perm[k] = i;
        permShape[k++] = t.shapeRef()[i];
      }
    }
    perm[nd - 1] = d;
    permShape[nd - 1] = t.shapeRef()[d];
    if (d == nd - 1) {
      return new Tensor(rows.storage(), t.shapeRef().clone());
    }
    Tensor permuted = new Tensor(rows.storage(), permShape);
    int[] inverse = new int[nd];
    for (int i = 0; i < nd; i++) {
      inverse[perm[i]] = i;
    }
    int[] st = permuted.stridesRef();
    int[] ns = new int[nd];
    int[] nst = new int[nd];
    for (int i = 0; i < nd; i++) {
      ns[i] = permShape[inverse[i]];
      nst[i] = st[inverse[i]];
    }
    return permuted.viewOf(ns, nst, 0).contiguousCopy();
  }

  private static int[] allDims(Tensor t) {
    int[] d = new int[t.dim()];
    Arrays.setAll(d, i -> i);
    return d;
  }
}
