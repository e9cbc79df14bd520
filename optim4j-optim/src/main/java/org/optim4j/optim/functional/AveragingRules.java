package org.optim4j.optim.functional;

import java.util.Arrays;
import java.util.List;
import org.optim4j.optim.internal.AsgdStep;
import org.optim4j.optim.internal.Hyper;
import org.optim4j.optim.internal.NAdamStep;
import org.optim4j.optim.internal.RAdamStep;
import org.optim4j.optim.internal.ScalarTensors;
import org.optim4j.optim.internal.SparseAdamDoubleKernels;
import org.optim4j.optim.internal.SparseAdamFloatKernels;
import org.optim4j.optim.internal.TensorArrays;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.internal.Parallel;

/**
 * The bodies of {@link Functional#asgd}, {@link Functional#nadam}, {@link Functional#radam} and
 * {@link Functional#sparseAdam}: PyTorch's single-tensor paths, with each parameter's scalars computed once
 * in double precision (as PyTorch computes them in Python) and the element-wise work done by the kernels of
 * {@code org.optim4j.optim.internal}.
 */
final class AveragingRules {
  private AveragingRules() {}

  static void asgd(List<Tensor> params, List<Tensor> grads, List<Tensor> axs, List<Tensor> mus, List<Tensor> etas,
      List<Tensor> stateSteps, double lambd, Object lr, double t0, double alpha, double weightDecay,
      boolean maximize) {
    checkLengths("asgd", params.size(), grads.size(), axs.size(), mus.size(), etas.size(), stateSteps.size());
    Hyper.of(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      rejectSparse("ASGD", grad);
      Tensor ax = axs.get(i);
      Tensor mu = mus.get(i);
      Tensor eta = etas.get(i);
      TensorArrays.checkParam("ASGD", param, new String[] {"grad", "ax"}, grad, ax);
      double step = ScalarTensors.increment(stateSteps.get(i));
      double etaValue = ScalarTensors.get(eta);
      double muValue = ScalarTensors.get(mu);
      DType dt = param.dtype();
      Object p = TensorArrays.array(param, dt);
      Object g = TensorArrays.array(grad, dt);
      Object a = TensorArrays.array(ax, dt);
      TensorArrays.forRange((int) param.numel(), (from, to) -> AsgdStep.kernel(p, g, a, from, to, maximize,
          weightDecay, lambd, etaValue, muValue));
      TensorArrays.store(param, p);
      TensorArrays.store(ax, a);
      AsgdStep.next(eta, mu, step, lr, lambd, t0, alpha);
    }
  }

  static void nadam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
      List<Tensor> muProducts, List<Tensor> stateSteps, double beta1, double beta2, Object lr, double weightDecay,
      double momentumDecay, double eps, boolean maximize, boolean decoupledWeightDecay) {
    checkLengths("nadam", params.size(), grads.size(), expAvgs.size(), expAvgSqs.size(), muProducts.size(),
        stateSteps.size());
    Hyper.of(lr, "lr");
    double[] c = new double[NAdamStep.SCALARS];
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      rejectSparse("NAdam", grad);
      Tensor expAvg = expAvgs.get(i);
      Tensor expAvgSq = expAvgSqs.get(i);
      TensorArrays.checkParam("NAdam", param, new String[] {"grad", "exp_avg", "exp_avg_sq"}, grad, expAvg, expAvgSq);
      double step = ScalarTensors.increment(stateSteps.get(i));
      NAdamStep.scalars(step, muProducts.get(i), lr, beta1, beta2, weightDecay, momentumDecay, decoupledWeightDecay,
          c);
      DType dt = param.dtype();
      Object p = TensorArrays.array(param, dt);
      Object g = TensorArrays.array(grad, dt);
      Object m = TensorArrays.array(expAvg, dt);
      Object v = TensorArrays.array(expAvgSq, dt);
      TensorArrays.forRange((int) param.numel(), (from, to) -> NAdamStep.kernel(p, g, m, v, from, to, maximize,
          weightDecay, decoupledWeightDecay, beta1, beta2, eps, c));
      TensorArrays.store(param, p);
      TensorArrays.store(expAvg, m);
      TensorArrays.store(expAvgSq, v);
    }
  }

  static void radam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
      List<Tensor> stateSteps, double beta1, double beta2, Object lr, double weightDecay, double eps,
      boolean maximize, boolean decoupledWeightDecay) {
    checkLengths("radam", params.size(), grads.size(), expAvgs.size(), expAvgSqs.size(), stateSteps.size());
    Hyper.of(lr, "lr");
    double[] c = new double[RAdamStep.SCALARS];
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      rejectSparse("RAdam", grad);
      Tensor expAvg = expAvgs.get(i);
      Tensor expAvgSq = expAvgSqs.get(i);
      TensorArrays.checkParam("RAdam", param, new String[] {"grad", "exp_avg", "exp_avg_sq"}, grad, expAvg, expAvgSq);
      double step = ScalarTensors.increment(stateSteps.get(i));
      RAdamStep.scalars(step, lr, beta1, beta2, weightDecay, decoupledWeightDecay, c);
      DType dt = param.dtype();
      Object p = TensorArrays.array(param, dt);
      Object g = TensorArrays.array(grad, dt);
      Object m = TensorArrays.array(expAvg, dt);
      Object v = TensorArrays.array(expAvgSq, dt);
      TensorArrays.forRange((int) param.numel(), (from, to) -> RAdamStep.kernel(p, g, m, v, from, to, maximize,
          weightDecay, decoupledWeightDecay, beta1, beta2, eps, c));
      TensorArrays.store(param, p);
      TensorArrays.store(expAvg, m);
      TensorArrays.store(expAvgSq, v);
    }
  }

  static void sparseAdam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
      List<? extends Number> stateSteps, double eps, double beta1, double beta2, Object lr, boolean maximize) {
    checkLengths("sparse_adam", params.size(), grads.size(), expAvgs.size(), expAvgSqs.size(), stateSteps.size());
    Hyper lrH = Hyper.of(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      if (!grad.isSparse()) {
        throw new IllegalStateException("SparseAdam does not support dense gradients, please consider Adam instead");
      }
      Tensor expAvg = expAvgs.get(i);
      Tensor expAvgSq = expAvgSqs.get(i);
      TensorArrays.checkParam("SparseAdam", param, new String[] {"grad", "exp_avg", "exp_avg_sq"}, grad, expAvg,
          expAvgSq);
      Tensor coalesced = grad.coalesce();
      Tensor values = coalesced.values();
      if (values.numel() == 0) {
        continue;
      }
      double step = stateSteps.get(i).doubleValue();
      double biasCorrection1 = 1 - Math.pow(beta1, step);
      double biasCorrection2 = 1 - Math.pow(beta2, step);
      double negStepSize = lrH.mul(Hyper.of(Math.sqrt(biasCorrection2))).div(Hyper.of(biasCorrection1)).neg()
          .value();
      double oneMinusBeta1 = 1 - beta1;
      double oneMinusBeta2 = 1 - beta2;

      int[] rowOffset = rowOffsets(coalesced, param.shape());
      int rows = rowOffset.length;
      int rowLength = (int) (values.numel() / rows);
      int grain = Math.max(1, TensorArrays.GRAIN / Math.max(1, rowLength));
      if (param.dtype() == DType.FLOAT32) {
        float[] p = TensorArrays.floats(param);
        float[] m = TensorArrays.floats(expAvg);
        float[] v = TensorArrays.floats(expAvgSq);
        float[] g = TensorArrays.floats(values);
        Parallel.forRange(rows, grain, (from, to) -> SparseAdamFloatKernels.step(p, m, v, g, rowOffset, rowLength,
            from, to, maximize, (float) oneMinusBeta1, (float) oneMinusBeta2, (float) eps, (float) negStepSize));
        TensorArrays.store(param, p);
        TensorArrays.store(expAvg, m);
        TensorArrays.store(expAvgSq, v);
      } else {
        double[] p = TensorArrays.doubles(param);
        double[] m = TensorArrays.doubles(expAvg);
        double[] v = TensorArrays.doubles(expAvgSq);
        double[] g = TensorArrays.doubles(values);
        Parallel.forRange(rows, grain, (from, to) -> SparseAdamDoubleKernels.step(p, m, v, g, rowOffset, rowLength,
            from, to, maximize, oneMinusBeta1, oneMinusBeta2, eps, negStepSize));
        TensorArrays.store(param, p);
        TensorArrays.store(expAvg, m);
        TensorArrays.store(expAvgSq, v);
      }
    }
  }

  /**
   * The row-major offset, in the parameter's elements, of each entry of a coalesced sparse tensor: its indices
   * over the sparse dimensions times the length of a row of values (the product of the dense dimensions).
   */
  private static int[] rowOffsets(Tensor coalesced, int[] shape) {
    Tensor indices = coalesced.indices();
    int sparseDims = indices.size(0);
    int nnz = indices.size(1);
    long[] idx = indices.toLongArray();
    long rowLength = 1;
    for (int d = sparseDims; d < shape.length; d++) {
      rowLength *= shape[d];
    }
    int[] offsets = new int[nnz];
    for (int j = 0; j < nnz; j++) {
      long linear = 0;
      for (int d = 0; d < sparseDims; d++) {
        linear = linear * shape[d] + idx[d * nnz + j];
      }
      offsets[j] = Math.toIntExact(linear * rowLength);
    }
    return offsets;
  }

  private static void rejectSparse(String optimizer, Tensor grad) {
    if (grad.isSparse()) {
      throw new IllegalStateException(optimizer + " does not support sparse gradients");
    }
  }

  private static void checkLengths(String fn, int... sizes) {
    for (int s : sizes) {
      if (s != sizes[0]) {
        throw new IllegalArgumentException(fn + ": the lists of parameters, gradients and state must have the same "
            + "length, got " + Arrays.toString(sizes));
      }
    }
  }
}
