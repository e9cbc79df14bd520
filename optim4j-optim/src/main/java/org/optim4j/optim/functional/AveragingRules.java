package org.optim4j.optim.functional;

import java.util.Arrays;
import java.util.List;
import org.optim4j.optim.internal.Hyper;
import org.optim4j.optim.internal.AsgdDoubleKernels;
import org.optim4j.optim.internal.AsgdFloatKernels;
import org.optim4j.optim.internal.NAdamDoubleKernels;
import org.optim4j.optim.internal.NAdamFloatKernels;
import org.optim4j.optim.internal.RAdamDoubleKernels;
import org.optim4j.optim.internal.RAdamFloatKernels;
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
    Hyper lrH = Hyper.of(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      rejectSparse("ASGD", grad);
      Tensor ax = axs.get(i);
      Tensor mu = mus.get(i);
      Tensor eta = etas.get(i);
      TensorArrays.checkParam("ASGD", param, new String[] {"grad", "ax"}, grad, ax);
      Tensor stepT = stateSteps.get(i);
      stepT.add_(1);

      double etaValue = eta.item();
      double muValue = mu.item();
      boolean decay = weightDecay != 0;
      double decayFactor = 1 - lambd * etaValue;
      boolean copyAverage = muValue == 1;

      int n = (int) param.numel();
      if (param.dtype() == DType.FLOAT32) {
        float[] p = TensorArrays.floats(param);
        float[] g = TensorArrays.floats(grad);
        float[] a = TensorArrays.floats(ax);
        TensorArrays.forRange(n, (from, to) -> AsgdFloatKernels.step(p, g, a, from, to, maximize, decay,
            (float) weightDecay, (float) decayFactor, (float) -etaValue, copyAverage, (float) muValue));
        TensorArrays.store(param, p);
        TensorArrays.store(ax, a);
      } else {
        double[] p = TensorArrays.doubles(param);
        double[] g = TensorArrays.doubles(grad);
        double[] a = TensorArrays.doubles(ax);
        TensorArrays.forRange(n, (from, to) -> AsgdDoubleKernels.step(p, g, a, from, to, maximize, decay,
            weightDecay, decayFactor, -etaValue, copyAverage, muValue));
        TensorArrays.store(param, p);
        TensorArrays.store(ax, a);
      }

      // eta = lr / (1 + lambd·lr·t)^alpha and mu = 1 / max(1, t - t0), each stored through torch.as_tensor: a
      // Python float becomes a float32 tensor, a tensor lr keeps its dtype.
      double step = stepT.item();
      Hyper newEta = lrH.div(Hyper.of(lambd).mul(lrH).mul(Hyper.of(step)).neg().rsub(1).pow(alpha));
      eta.fill_(lr instanceof Tensor ? newEta.value() : (float) newEta.value());
      double sinceT0 = step - t0;
      mu.fill_((float) (1 / (sinceT0 > 1 ? sinceT0 : 1)));
    }
  }

  static void nadam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
      List<Tensor> muProducts, List<Tensor> stateSteps, double beta1, double beta2, Object lr, double weightDecay,
      double momentumDecay, double eps, boolean maximize, boolean decoupledWeightDecay) {
    checkLengths("nadam", params.size(), grads.size(), expAvgs.size(), expAvgSqs.size(), muProducts.size(),
        stateSteps.size());
    Hyper lrH = Hyper.of(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      rejectSparse("NAdam", grad);
      Tensor expAvg = expAvgs.get(i);
      Tensor expAvgSq = expAvgSqs.get(i);
      Tensor muProduct = muProducts.get(i);
      TensorArrays.checkParam("NAdam", param, new String[] {"grad", "exp_avg", "exp_avg_sq"}, grad, expAvg, expAvgSq);
      Tensor stepT = stateSteps.get(i);
      stepT.add_(1);
      double step = stepT.item();

      double biasCorrection2 = 1 - Math.pow(beta2, step);
      boolean decay = weightDecay != 0;
      double decayFactor = decay && decoupledWeightDecay ? lrH.mul(Hyper.of(weightDecay)).rsub(1).value() : 1;
      double mu = beta1 * (1.0 - 0.5 * Math.pow(0.96, step * momentumDecay));
      double muNext = beta1 * (1.0 - 0.5 * Math.pow(0.96, (step + 1) * momentumDecay));
      // mu_product is a tensor (float32 unless a state dict made it the parameter's dtype): the product rounds
      // to its dtype, which is what keeps PyTorch's coefficients where they are.
      muProduct.mul_(mu);
      double muProductValue = muProduct.item();
      double gradCoef = lrH.neg().mul(Hyper.of(1.0 - mu)).div(Hyper.of(1.0 - muProductValue)).value();
      double muProductNext = muProductValue * muNext;
      double expAvgCoef = lrH.neg().mul(Hyper.of(muNext)).div(Hyper.of(1.0 - muProductNext)).value();
      double oneMinusBeta1 = 1 - beta1;
      double oneMinusBeta2 = 1 - beta2;

      int n = (int) param.numel();
      if (param.dtype() == DType.FLOAT32) {
        float[] p = TensorArrays.floats(param);
        float[] g = TensorArrays.floats(grad);
        float[] m = TensorArrays.floats(expAvg);
        float[] v = TensorArrays.floats(expAvgSq);
        TensorArrays.forRange(n, (from, to) -> NAdamFloatKernels.step(p, g, m, v, from, to, maximize, decay,
            decoupledWeightDecay, (float) weightDecay, (float) decayFactor, (float) oneMinusBeta1, (float) beta2,
            (float) oneMinusBeta2, (float) biasCorrection2, (float) eps, (float) gradCoef, (float) expAvgCoef));
        TensorArrays.store(param, p);
        TensorArrays.store(expAvg, m);
        TensorArrays.store(expAvgSq, v);
      } else {
        double[] p = TensorArrays.doubles(param);
        double[] g = TensorArrays.doubles(grad);
        double[] m = TensorArrays.doubles(expAvg);
        double[] v = TensorArrays.doubles(expAvgSq);
        TensorArrays.forRange(n, (from, to) -> NAdamDoubleKernels.step(p, g, m, v, from, to, maximize, decay,
            decoupledWeightDecay, weightDecay, decayFactor, oneMinusBeta1, beta2, oneMinusBeta2, biasCorrection2,
            eps, gradCoef, expAvgCoef));
        TensorArrays.store(param, p);
        TensorArrays.store(expAvg, m);
        TensorArrays.store(expAvgSq, v);
      }
    }
  }

  static void radam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
      List<Tensor> stateSteps, double beta1, double beta2, Object lr, double weightDecay, double eps,
      boolean maximize, boolean decoupledWeightDecay) {
    checkLengths("radam", params.size(), grads.size(), expAvgs.size(), expAvgSqs.size(), stateSteps.size());
    Hyper lrH = Hyper.of(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      rejectSparse("RAdam", grad);
      Tensor expAvg = expAvgs.get(i);
      Tensor expAvgSq = expAvgSqs.get(i);
      TensorArrays.checkParam("RAdam", param, new String[] {"grad", "exp_avg", "exp_avg_sq"}, grad, expAvg, expAvgSq);
      Tensor stepT = stateSteps.get(i);
      stepT.add_(1);
      double step = stepT.item();

      boolean decay = weightDecay != 0;
      double decayFactor = decay && decoupledWeightDecay ? lrH.mul(Hyper.of(weightDecay)).rsub(1).value() : 1;
      double biasCorrection1 = 1 - Math.pow(beta1, step);
      double biasCorrection2 = 1 - Math.pow(beta2, step);
      double rhoInf = 2 / (1 - beta2) - 1;
      double rhoT = rhoInf - 2 * step * Math.pow(beta2, step) / biasCorrection2;
      boolean rectify = rhoT > 5.0;
      double rect = rectify
          ? Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 1;
      double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
      double lrValue = lrH.value();
      double oneMinusBeta1 = 1 - beta1;
      double oneMinusBeta2 = 1 - beta2;

      int n = (int) param.numel();
      if (param.dtype() == DType.FLOAT32) {
        float[] p = TensorArrays.floats(param);
        float[] g = TensorArrays.floats(grad);
        float[] m = TensorArrays.floats(expAvg);
        float[] v = TensorArrays.floats(expAvgSq);
        TensorArrays.forRange(n, (from, to) -> RAdamFloatKernels.step(p, g, m, v, from, to, maximize, decay,
            decoupledWeightDecay, (float) weightDecay, (float) decayFactor, (float) oneMinusBeta1, (float) beta2,
            (float) oneMinusBeta2, (float) biasCorrection1, (float) lrValue, rectify, (float) biasCorrection2Sqrt,
            (float) eps, (float) rect));
        TensorArrays.store(param, p);
        TensorArrays.store(expAvg, m);
        TensorArrays.store(expAvgSq, v);
      } else {
        double[] p = TensorArrays.doubles(param);
        double[] g = TensorArrays.doubles(grad);
        double[] m = TensorArrays.doubles(expAvg);
        double[] v = TensorArrays.doubles(expAvgSq);
        TensorArrays.forRange(n, (from, to) -> RAdamDoubleKernels.step(p, g, m, v, from, to, maximize, decay,
            decoupledWeightDecay, weightDecay, decayFactor, oneMinusBeta1, beta2, oneMinusBeta2, biasCorrection1,
            lrValue, rectify, biasCorrection2Sqrt, eps, rect));
        TensorArrays.store(param, p);
        TensorArrays.store(expAvg, m);
        TensorArrays.store(expAvgSq, v);
      }
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
