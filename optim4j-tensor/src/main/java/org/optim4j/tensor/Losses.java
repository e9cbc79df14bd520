package org.optim4j.tensor;

import org.optim4j.tensor.internal.LossDoubleKernels;
import org.optim4j.tensor.internal.LossFloatKernels;

/**
 * The losses of {@link NnOps}: NLL (dedicated op, {@link Op#NLL_LOSS} / {@link Op#NLL_LOSS2D}), squared
 * error ({@link Op#MSE_LOSS}), and the compositions PyTorch also builds from other ops (cross entropy,
 * L1). Checks and messages follow {@code LossNLL.cpp}, {@code LossNLL2d.cpp} and {@code Loss.cpp}.
 */
final class Losses {
  static final int NONE = 0;
  static final int MEAN = 1;
  static final int SUM = 2;

  /** The non-tensor arguments of an NLL loss, kept for its backward. */
  record NllParams(int reduction, long ignoreIndex, int batch, int classes, int map, double totalWeight) {}

  private Losses() {}

  /** PyTorch's {@code _Reduction.get_enum}. */
  static int reduction(String reduction) {
    if ("none".equals(reduction)) {
      return NONE;
    }
    if ("mean".equals(reduction) || "elementwise_mean".equals(reduction)) {
      return MEAN;
    }
    if ("sum".equals(reduction)) {
      return SUM;
    }
    throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
  }

  /** {@code nll_loss_nd}: [C], [N, C] and [N, C, d1, ...] inputs. */
  static Tensor nll(Tensor input, Tensor target, Tensor weight, long ignoreIndex, int reduction) {
    int nd = input.dim();
    int[] is = input.shapeRef();
    int[] ts = target.shapeRef();
    if (nd < 1) {
      throw new IllegalArgumentException("Expected 1 or more dimensions (got " + nd + ")");
    }
    if (nd != 1) {
      if (ts.length == 0) {
        throw new IndexOutOfBoundsException("dimension specified as 0 but tensor has no dimensions");
      }
      if (is[0] != ts[0]) {
        throw new IllegalArgumentException("Expected input batch_size (" + is[0] + ") to match target batch_size ("
            + ts[0] + ").");
      }
    }
    int classes = nd == 1 ? is[0] : is[1];
    int batch = nd == 1 ? 1 : is[0];
    int map = 1;
    int[] noneShape;
    Op op;
    if (nd <= 2) {
      if (ts.length > 1) {
        throw new IllegalStateException("0D or 1D target tensor expected, multi-target not supported");
      }
      if (!(nd == 1 && ts.length == 0) && is[0] != (ts.length == 0 ? 1 : ts[0])) {
        throw new IllegalStateException("size mismatch (got input: " + Shape.str(is) + ", target: " + Shape.str(ts)
            + ")");
      }
      if (weight != null && (weight.dim() != 1 || weight.numel() != classes)) {
        throw new IllegalStateException("weight tensor should be defined either for all " + classes + " classes or "
            + "no classes but got weight tensor of shape: " + Shape.str(weight.shapeRef()));
      }
      noneShape = nd == 2 ? new int[] {batch} : new int[0];
      op = Op.NLL_LOSS;
    } else {
      if (nd == 4) {
        if (ts.length != 3) {
          throw new IllegalStateException("only batches of spatial targets supported (3D tensors) but got targets of "
              + "dimension: " + ts.length);
        }
      } else if (!Shape.same(java.util.Arrays.copyOfRange(ts, 1, ts.length), java.util.Arrays.copyOfRange(is, 2, nd))) {
        int[] expected = java.util.Arrays.copyOfRange(is, 1, nd);
        expected[0] = is[0];
        throw new IllegalStateException("Expected target size " + Shape.str(expected) + ", got " + Shape.str(ts));
      }
      if (weight != null && weight.numel() != classes) {
        throw new IllegalStateException("weight tensor should be defined either for all or no classes");
      }
      if (nd == 4 && (is[2] != ts[1] || is[3] != ts[2])) {
        throw new IllegalStateException("size mismatch (got input: " + Shape.str(is) + " , target: " + Shape.str(ts));
      }
      for (int i = 2; i < nd; i++) {
        map *= is[i];
      }
      noneShape = ts.clone();
      op = Op.NLL_LOSS2D;
    }
    if (target.dtype() != DType.INT64) {
      throw new IllegalStateException("expected scalar type Long but found " + NnOps.legacyName(target.dtype()));
    }
    NnOps.checkFloating(input.dtype(), "nll_loss_out_frame");
    if (weight != null && weight.dtype() != input.dtype()) {
      throw new IllegalStateException("expected scalar type " + NnOps.legacyName(input.dtype()) + " but found "
          + NnOps.legacyName(weight.dtype()));
    }
    int effective = reduction == NONE && nd == 1 ? SUM : reduction;
    Tensor x = NnOps.dense(input);
    Tensor t = NnOps.dense(target);
    Tensor w = weight == null ? null : NnOps.dense(weight).detach();
    DType dtype = input.dtype();
    Tensor out;
    double totalWeight = 0;
    if (effective == NONE) {
      out = Tensor.empty(dtype, noneShape);
      if (dtype == DType.FLOAT32) {
        LossFloatKernels.nllNone(x.storage().f, x.offset(), t.storage().l, t.offset(),
            w == null ? null : w.storage().f, w == null ? 0 : w.offset(), batch, classes, map, ignoreIndex,
            out.storage().f);
      } else {
        LossDoubleKernels.nllNone(x.storage().d, x.offset(), t.storage().l, t.offset(),
            w == null ? null : w.storage().d, w == null ? 0 : w.offset(), batch, classes, map, ignoreIndex,
            out.storage().d);
      }
    } else {
      out = Tensor.empty(dtype, new int[0]);
      if (dtype == DType.FLOAT32) {
        float[] result = new float[2];
        LossFloatKernels.nllReduced(x.storage().f, x.offset(), t.storage().l, t.offset(),
            w == null ? null : w.storage().f, w == null ? 0 : w.offset(), batch, classes, map, ignoreIndex,
            effective == MEAN, result);
        out.storage().f[0] = result[0];
        totalWeight = result[1];
      } else {
        double[] result = new double[2];
        LossDoubleKernels.nllReduced(x.storage().d, x.offset(), t.storage().l, t.offset(),
            w == null ? null : w.storage().d, w == null ? 0 : w.offset(), batch, classes, map, ignoreIndex,
            effective == MEAN, result);
        out.storage().d[0] = result[0];
        totalWeight = result[1];
      }
    }
    NllParams params = new NllParams(effective, ignoreIndex, batch, classes, map, totalWeight);
    return Autograd.record1(op, out, params, input, t, w);
  }

  /** The gradient of the NLL input for the upstream gradient g. */
  static Tensor nllBackward(NllParams p, Tensor g, Tensor target, Tensor weight, int[] inputShape) {
    Tensor gc = NnOps.dense(g);
    Tensor gx = Tensor.zeros(g.dtype(), inputShape);
    boolean none = p.reduction() == NONE;
    boolean mean = p.reduction() == MEAN;
    if (gx.dtype() == DType.FLOAT32) {
      LossFloatKernels.nllBackward(gc.storage().f, gc.offset(), none, mean, (float) p.totalWeight(),
          target.storage().l, target.offset(), weight == null ? null : weight.storage().f,
          weight == null ? 0 : weight.offset(), p.batch(), p.classes(), p.map(), p.ignoreIndex(), gx.storage().f);
    } else {
      LossDoubleKernels.nllBackward(gc.storage().d, gc.offset(), none, mean, p.totalWeight(),
          target.storage().l, target.offset(), weight == null ? null : weight.storage().d,
          weight == null ? 0 : weight.offset(), p.batch(), p.classes(), p.map(), p.ignoreIndex(), gx.storage().d);
    }
    return gx;
  }

  /** {@code cross_entropy_loss}: class indices (optionally label-smoothed) or class probabilities. */
  static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, int reduction,
      double labelSmoothing) {
    if (Shape.same(input.shapeRef(), target.shapeRef())) {
      if (!target.dtype().isFloatingPoint()) {
        throw new IllegalStateException("Expected floating point type for target with class probabilities, got "
            + NnOps.legacyName(target.dtype()));
      }
      if (ignoreIndex >= 0) {
        throw new IllegalStateException("ignore_index is not supported for floating point target");
      }
      return probabilityTarget(input, target, weight, reduction, labelSmoothing);
    }
    int classDim = input.dim() == 1 ? 0 : 1;
    if (labelSmoothing > 0) {
      checkSmoothing(labelSmoothing);
      return labelSmoothed(input, target, weight, ignoreIndex, reduction, labelSmoothing, classDim);
    }
    return nll(input.logSoftmax(classDim), target, weight, ignoreIndex, reduction);
  }

  private static void checkSmoothing(double labelSmoothing) {
    if (labelSmoothing > 1) {
      throw new IllegalStateException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
    }
  }

  /** The weight as a tensor broadcasting along the class dimension of an input of {@code dims} dimensions. */
  private static Tensor classView(Tensor weight, int dims, int classDim) {
    int[] shape = new int[dims];
    java.util.Arrays.fill(shape, 1);
    shape[classDim] = weight.size(0);
    return weight.detach().reshape(shape);
  }

  private static Tensor labelSmoothed(Tensor input, Tensor target, Tensor weight, long ignoreIndex, int reduction,
      double labelSmoothing, int classDim) {
    Tensor logp = input.logSoftmax(classDim);
    Tensor nllLoss = nll(logp, target, weight, ignoreIndex, reduction);
    int classes = logp.size(classDim);
    Tensor smooth = weight == null ? logp.sum(classDim, false).neg()
        : logp.mul(classView(weight, logp.dim(), classDim)).sum(classDim, false).neg();
    Tensor ignored = target.eq(ignoreIndex);
    smooth = Tensor.where(ignored, Tensor.zeros(smooth.dtype()), smooth);
    Tensor ret;
    if (reduction == MEAN) {
      long[] t = target.toLongArray();
      int kept = 0;
      for (long v : t) {
        kept += v == ignoreIndex ? 0 : 1;
      }
      long[] keptTargets = new long[kept];
      for (int i = 0, j = 0; i < t.length; i++) {
        if (t[i] != ignoreIndex) {
          keptTargets[j++] = t[i];
        }
      }
      Tensor denominator = weight == null ? Tensor.scalar(kept, DType.INT64)
          : weight.detach().indexSelect(0, Tensor.of(keptTargets)).sum();
      ret = smooth.sum().div(denominator);
    } else if (reduction == SUM) {
      ret = smooth.sum();
    } else {
      ret = smooth;
    }
    return nllLoss.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / classes));
  }

  private static Tensor probabilityTarget(Tensor input, Tensor target, Tensor weight, int reduction,
      double labelSmoothing) {
    int classDim = input.dim() == 1 ? 0 : 1;
    int classes = input.size(classDim);
    if (weight != null && (weight.dim() != 1 || weight.numel() != classes)) {
      throw new IllegalStateException("cross_entropy: weight tensor should be defined either for all " + classes
          + " classes or no classes but got weight tensor of shape: " + Shape.str(weight.shapeRef()));
    }
    Tensor logp = input.logSoftmax(classDim);
    Tensor t = target;
    if (labelSmoothing > 0) {
      checkSmoothing(labelSmoothing);
      t = target.mul(1 - labelSmoothing).add(labelSmoothing / classes);
    }
    Tensor product = logp.mul(t);
    if (weight != null) {
      product = product.mul(input.dim() > 1 ? classView(weight, input.dim(), classDim) : weight.detach());
    }
    if (reduction == MEAN) {
      Tensor total = product.sum().neg();
      return input.numel() == 0 ? total.mul(Double.NaN) : total.div((double) (input.numel() / classes));
    }
    return reduction == SUM ? product.sum().neg() : product.sum(classDim, false).neg();
  }

  /** {@code mse_loss} of broadcast operands. */
  @SuppressWarnings("try")
  static Tensor mse(Tensor input, Tensor target, String reduction) {
    int[] shape = Shape.broadcast(input.shapeRef(), target.shapeRef());
    int red = reduction(reduction);
    Tensor a = input.expand(shape);
    Tensor b = target.expand(shape);
    DType dtype = Pointwise.resultType(a, b);
    a = a.to(dtype);
    b = b.to(dtype);
    NnOps.checkFloating(dtype, "mse_cpu");
    Tensor ac = NnOps.dense(a);
    Tensor bc = NnOps.dense(b);
    Tensor squares = Tensor.empty(dtype, shape);
    int n = squares.numelInt();
    if (dtype == DType.FLOAT32) {
      LossFloatKernels.squaredError(ac.storage().f, ac.offset(), bc.storage().f, bc.offset(), squares.storage().f, n);
    } else {
      LossDoubleKernels.squaredError(ac.storage().d, ac.offset(), bc.storage().d, bc.offset(), squares.storage().d,
          n);
    }
    Tensor out;
    try (GradMode.Scope ignored = GradMode.noGrad()) {
      out = red == NONE ? squares : red == MEAN ? squares.mean() : squares.sum();
    }
    return Autograd.record2(Op.MSE_LOSS, out, red, a, b, a, b);
  }

  /** The gradient of {@link #mse} with respect to {@code a} (swap the operands for {@code b}). */
  static Tensor mseBackward(int reduction, Tensor g, Tensor a, Tensor b) {
    Tensor ac = NnOps.dense(a);
    Tensor bc = NnOps.dense(b);
    Tensor gc = NnOps.dense(g);
    Tensor out = Tensor.empty(a.dtype(), a.shapeRef());
    int n = out.numelInt();
    double norm = reduction == MEAN ? 2.0 / n : 2.0;
    boolean scalar = reduction != NONE;
    if (out.dtype() == DType.FLOAT32) {
      LossFloatKernels.squaredErrorBackward(norm, ac.storage().f, ac.offset(), bc.storage().f, bc.offset(),
          gc.storage().f, gc.offset(), scalar, out.storage().f, n);
    } else {
      LossDoubleKernels.squaredErrorBackward(norm, ac.storage().d, ac.offset(), bc.storage().d, bc.offset(),
          gc.storage().d, gc.offset(), scalar, out.storage().d, n);
    }
    return out;
  }

  /** {@code l1_loss}: {@code |input − target|}, then the reduction (a composition, as in PyTorch). */
  static Tensor l1(Tensor input, Tensor target, String reduction) {
    int[] shape = Shape.broadcast(input.shapeRef(), target.shapeRef());
    int red = reduction(reduction);
    Tensor d = input.expand(shape).sub(target.expand(shape)).abs();
    return red == NONE ? d : red == MEAN ? d.mean() : d.sum();
  }
}
