package org.optim4j.tensor;

import org.optim4j.tensor.internal.BatchNormDoubleKernels;
import org.optim4j.tensor.internal.BatchNormFloatKernels;

/**
 * {@code torch.nn.functional.batch_norm}: PyTorch's checks, the forward with the in-place update of the
 * running statistics, and the backward that the {@link Op#BATCH_NORM} rule runs. The arithmetic is in
 * {@link BatchNormFloatKernels}.
 */
final class BatchNorm {
  /** The non-tensor arguments of a batch normalization, kept for its backward. */
  record Params(boolean training, int batch, int channels, int inner) {}

  private BatchNorm() {}

  @SuppressWarnings("try")
  static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, double momentum, double eps) {
    int[] shape = input.shapeRef();
    Shape.wrapDim(1, shape.length);
    if (training) {
      long values = shape[0];
      for (int i = 2; i < shape.length; i++) {
        values *= shape[i];
      }
      if (values == 1) {
        throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
            + "torch.Size(" + Shape.str(shape) + ")");
      }
    }
    int channels = shape[1];
    checkFeatures("running_mean", runningMean, channels, training);
    checkFeatures("running_var", runningVar, channels, training);
    checkFeatures("weight", weight, channels, true);
    checkFeatures("bias", bias, channels, true);
    NnOps.checkFloating(input.dtype(), "batch_norm");
    for (Tensor t : new Tensor[] {weight, bias, runningMean, runningVar}) {
      if (t != null && t.dtype() != input.dtype()) {
        throw new IllegalStateException("mixed dtype (CPU): expect parameter to have scalar type of "
            + input.dtype().tensorTypeName().replace("torch.", "").replace("Tensor", ""));
      }
    }
    if (input.numel() == 0) {
      Tensor out = input.clone();
      out = weight == null ? out : out.mul(weight.select(0, 0));
      return bias == null ? out : out.add(bias.select(0, 0));
    }
    int batch = shape[0];
    int inner = (int) (input.numel() / ((long) batch * channels));
    int count = batch * inner;
    DType dtype = input.dtype();
    Tensor x = NnOps.dense(input);
    Tensor w = weight == null ? null : NnOps.dense(weight);
    Tensor b = bias == null ? null : NnOps.dense(bias);
    Tensor mean = Tensor.empty(dtype, new int[] {channels});
    Tensor invstd = Tensor.empty(dtype, new int[] {channels});
    Tensor forwardInvstd = invstd;
    if (training) {
      Tensor varSum = Tensor.empty(dtype, new int[] {channels});
      Tensor rm = runningMean == null ? null : NnOps.dense(runningMean);
      Tensor rv = runningVar == null ? null : NnOps.dense(runningVar);
      if (dtype == DType.FLOAT32) {
        BatchNormFloatKernels.stats(x.storage().f, x.offset(), batch, channels, inner, mean.storage().f,
            varSum.storage().f);
        BatchNormFloatKernels.invStd(varSum.storage().f, count, eps, invstd.storage().f);
        BatchNormFloatKernels.updateRunning(mean.storage().f, varSum.storage().f, count, momentum,
            rm == null ? null : rm.storage().f, rm == null ? 0 : rm.offset(), rv == null ? null : rv.storage().f,
            rv == null ? 0 : rv.offset());
      } else {
        BatchNormDoubleKernels.stats(x.storage().d, x.offset(), batch, channels, inner, mean.storage().d,
            varSum.storage().d);
        BatchNormDoubleKernels.invStd(varSum.storage().d, count, eps, invstd.storage().d);
        BatchNormDoubleKernels.updateRunning(mean.storage().d, varSum.storage().d, count, momentum,
            rm == null ? null : rm.storage().d, rm == null ? 0 : rm.offset(), rv == null ? null : rv.storage().d,
            rv == null ? 0 : rv.offset());
      }
      writeBack(runningMean, rm);
      writeBack(runningVar, rv);
    } else {
      try (GradMode.Scope ignored = GradMode.noGrad()) {
        mean = runningMean.contiguousCopy();
      }
      Tensor rv = NnOps.dense(runningVar);
      forwardInvstd = Tensor.empty(dtype, new int[] {channels});
      if (dtype == DType.FLOAT32) {
        BatchNormFloatKernels.evalInvStd(rv.storage().f, rv.offset(), eps, forwardInvstd.storage().f,
            invstd.storage().f);
      } else {
        BatchNormDoubleKernels.evalInvStd(rv.storage().d, rv.offset(), eps, forwardInvstd.storage().d,
            invstd.storage().d);
      }
    }
    Tensor out = Tensor.empty(dtype, shape);
    if (dtype == DType.FLOAT32) {
      BatchNormFloatKernels.transform(x.storage().f, x.offset(), batch, channels, inner, mean.storage().f,
          forwardInvstd.storage().f, w == null ? null : w.storage().f, w == null ? 0 : w.offset(),
          b == null ? null : b.storage().f, b == null ? 0 : b.offset(), out.storage().f);
    } else {
      BatchNormDoubleKernels.transform(x.storage().d, x.offset(), batch, channels, inner, mean.storage().d,
          forwardInvstd.storage().d, w == null ? null : w.storage().d, w == null ? 0 : w.offset(),
          b == null ? null : b.storage().d, b == null ? 0 : b.offset(), out.storage().d);
    }
    Params params = new Params(training, batch, channels, inner);
    return Autograd.record(Op.BATCH_NORM, out, params, new Tensor[] {input, weight, bias}, x, weight, mean, invstd);
  }

  /** The gradients of input, weight and bias (null where not needed) for the upstream gradient g. */
  static Tensor[] backward(Params p, Tensor g, Tensor x, Tensor weight, Tensor mean, Tensor invstd,
      boolean needsInput, boolean needsWeight, boolean needsBias) {
    Tensor gc = NnOps.dense(g);
    Tensor w = weight == null ? null : NnOps.dense(weight);
    DType dtype = x.dtype();
    Tensor gx = needsInput ? Tensor.empty(dtype, x.shapeRef()) : null;
    Tensor gw = needsWeight ? Tensor.empty(dtype, new int[] {p.channels()}) : null;
    Tensor gb = needsBias ? Tensor.empty(dtype, new int[] {p.channels()}) : null;
    if (dtype == DType.FLOAT32) {
      BatchNormFloatKernels.backward(x.storage().f, x.offset(), gc.storage().f, gc.offset(), p.batch(),
          p.channels(), p.inner(), mean.storage().f, invstd.storage().f, w == null ? null : w.storage().f,
          w == null ? 0 : w.offset(), p.training(), gx == null ? null : gx.storage().f,
          gw == null ? null : gw.storage().f, gb == null ? null : gb.storage().f);
    } else {
      BatchNormDoubleKernels.backward(x.storage().d, x.offset(), gc.storage().d, gc.offset(), p.batch(),
          p.channels(), p.inner(), mean.storage().d, invstd.storage().d, w == null ? null : w.storage().d,
          w == null ? 0 : w.offset(), p.training(), gx == null ? null : gx.storage().d,
          gw == null ? null : gw.storage().d, gb == null ? null : gb.storage().d);
    }
    return new Tensor[] {gx, gw, gb};
  }

  private static void checkFeatures(String name, Tensor t, int channels, boolean optional) {
    if (t == null) {
      if (!optional) {
        throw new IllegalStateException(name + " must be defined in evaluation mode");
      }
      return;
    }
    if (t.numel() != channels) {
      throw new IllegalStateException(name + " should contain " + channels + " elements not " + t.numel());
    }
  }

  /** Makes an in-place update of a running statistic visible: copies it back if it was computed in a copy. */
  @SuppressWarnings("try")
  private static void writeBack(Tensor running, Tensor updated) {
    if (running == null) {
      return;
    }
    if (updated == running) {
      running.storage().bumpVersion();
      return;
    }
    try (GradMode.Scope ignored = GradMode.noGrad()) {
      running.copy_(updated);
    }
  }
}
