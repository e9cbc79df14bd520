package org.optim4j.optim.functional;

import java.util.Arrays;
import java.util.List;
import org.optim4j.optim.internal.AdadeltaStep;
import org.optim4j.optim.internal.AdagradDoubleKernels;
import org.optim4j.optim.internal.AdagradFloatKernels;
import org.optim4j.optim.internal.AdagradStep;
import org.optim4j.optim.internal.AdamaxStep;
import org.optim4j.optim.internal.Hyper;
import org.optim4j.optim.internal.RmspropStep;
import org.optim4j.optim.internal.RpropStep;
import org.optim4j.optim.internal.ScalarTensors;
import org.optim4j.optim.internal.TensorArrays;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The bodies of {@link Functional#adamax}, {@link Functional#adadelta}, {@link Functional#adagrad},
 * {@link Functional#rmsprop} and {@link Functional#rprop}: PyTorch's single-tensor paths, one parameter at a
 * time. Each computes its scalars once per parameter in double precision (a tensor {@code lr} through
 * {@code Hyper}, rounding as PyTorch's 0-dim tensor arithmetic does) and runs the rule's kernel over the
 * parameter's elements, float32 or float64, through the same {@code *Step} helpers of
 * {@code org.optim4j.optim.internal} as the optimizers' multi-tensor path.
 */
final class ClassicRules {
  private ClassicRules() {}

  static void adamax(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expInfs,
      List<Tensor> stateSteps, double eps, double beta1, double beta2, Object lr, double weightDecay,
      boolean maximize) {
    checkLengths("adamax", params.size(), grads.size(), expAvgs.size(), expInfs.size(), stateSteps.size());
    Hyper.of(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = dense("Adamax", grads.get(i));
      Tensor expAvg = expAvgs.get(i);
      Tensor expInf = expInfs.get(i);
      TensorArrays.checkParam("Adamax", param, new String[] {"grad", "exp_avg", "exp_inf"}, grad, expAvg, expInf);
      double negClr = AdamaxStep.negClr(ScalarTensors.increment(stateSteps.get(i)), lr, beta1);
      DType dt = param.dtype();
      Object p = TensorArrays.array(param, dt);
      Object g = TensorArrays.array(grad, dt);
      Object m = TensorArrays.array(expAvg, dt);
      Object u = TensorArrays.array(expInf, dt);
      TensorArrays.forRange((int) param.numel(), (from, to) -> AdamaxStep.kernel(p, g, m, u, from, to, maximize,
          weightDecay, beta1, beta2, eps, negClr));
      store(param, p, expAvg, m, expInf, u);
    }
  }

  static void adadelta(List<Tensor> params, List<Tensor> grads, List<Tensor> squareAvgs, List<Tensor> accDeltas,
      List<Tensor> stateSteps, Object lr, double rho, double eps, double weightDecay, boolean maximize) {
    checkLengths("adadelta", params.size(), grads.size(), squareAvgs.size(), accDeltas.size(), stateSteps.size());
    double lrValue = Hyper.valueOf(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = dense("Adadelta", grads.get(i));
      Tensor squareAvg = squareAvgs.get(i);
      Tensor accDelta = accDeltas.get(i);
      TensorArrays.checkParam("Adadelta", param, new String[] {"grad", "square_avg", "acc_delta"}, grad, squareAvg,
          accDelta);
      ScalarTensors.increment(stateSteps.get(i));
      DType dt = param.dtype();
      Object p = TensorArrays.array(param, dt);
      Object g = TensorArrays.array(grad, dt);
      Object v = TensorArrays.array(squareAvg, dt);
      Object u = TensorArrays.array(accDelta, dt);
      TensorArrays.forRange((int) param.numel(), (from, to) -> AdadeltaStep.kernel(p, g, v, u, from, to, maximize,
          weightDecay, rho, eps, lrValue));
      store(param, p, squareAvg, v, accDelta, u);
    }
  }

  static void adagrad(List<Tensor> params, List<Tensor> grads, List<Tensor> stateSums, List<Tensor> stateSteps,
      Object lr, double weightDecay, double lrDecay, double eps, boolean maximize) {
    checkLengths("adagrad", params.size(), grads.size(), stateSums.size(), stateSteps.size());
    Hyper.of(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      Tensor stateSum = stateSums.get(i);
      TensorArrays.checkParam("Adagrad", param, new String[] {"grad", "sum"}, grad, stateSum);
      double step = ScalarTensors.increment(stateSteps.get(i));
      if (weightDecay != 0 && grad.isSparse()) {
        throw new IllegalStateException("weight_decay option is not compatible with sparse gradients");
      }
      double negClr = AdagradStep.negClr(step, lr, lrDecay);
      if (grad.isSparse()) {
        sparseAdagrad(param, grad, stateSum, eps, negClr, maximize);
        continue;
      }
      DType dt = param.dtype();
      Object p = TensorArrays.array(param, dt);
      Object g = TensorArrays.array(grad, dt);
      Object sum = TensorArrays.array(stateSum, dt);
      TensorArrays.forRange((int) param.numel(), (from, to) -> AdagradStep.kernel(p, g, sum, from, to, maximize,
          weightDecay, eps, negClr));
      TensorArrays.store(param, p);
      TensorArrays.store(stateSum, sum);
    }
  }

  /** PyTorch's sparse branch: coalesce, then update only the elements the gradient names. */
  private static void sparseAdagrad(Tensor param, Tensor grad, Tensor stateSum, double eps, double negClr,
      boolean maximize) {
    Tensor coalesced = grad.coalesce();
    Tensor values = coalesced.values();
    int[] offsets = offsets(coalesced);
    int nnz = offsets.length;
    int rowLength = nnz == 0 ? 0 : (int) (values.numel() / nnz);
    if (param.dtype() == DType.FLOAT32) {
      float[] p = TensorArrays.floats(param);
      float[] v = values.dtype() == DType.FLOAT32 ? TensorArrays.floats(values) : values.toFloatArray();
      float[] s = TensorArrays.floats(stateSum);
      TensorArrays.forRange(nnz, (from, to) -> AdagradFloatKernels.sparseStep(p, v, offsets, rowLength, s, from, to,
          maximize, (float) eps, (float) negClr));
      TensorArrays.store(param, p);
      TensorArrays.store(stateSum, s);
    } else {
      double[] p = TensorArrays.doubles(param);
      double[] v = values.dtype() == DType.FLOAT64 ? TensorArrays.doubles(values) : values.toDoubleArray();
      double[] s = TensorArrays.doubles(stateSum);
      TensorArrays.forRange(nnz, (from, to) -> AdagradDoubleKernels.sparseStep(p, v, offsets, rowLength, s, from,
          to, maximize, eps, negClr));
      TensorArrays.store(param, p);
      TensorArrays.store(stateSum, s);
    }
  }

  /** The row-major offset of the first element of each entry of a coalesced sparse tensor. */
  private static int[] offsets(Tensor sparse) {
    Tensor indices = sparse.indices();
    int sparseDim = indices.size(0);
    int nnz = indices.size(1);
    long[] idx = indices.toLongArray();
    int[] shape = sparse.shape();
    long rowLength = 1;
    for (int d = sparseDim; d < shape.length; d++) {
      rowLength *= shape[d];
    }
    int[] offsets = new int[nnz];
    for (int j = 0; j < nnz; j++) {
      long linear = 0;
      for (int d = 0; d < sparseDim; d++) {
        linear = linear * shape[d] + idx[d * nnz + j];
      }
      offsets[j] = (int) (linear * rowLength);
    }
    return offsets;
  }

  static void rmsprop(List<Tensor> params, List<Tensor> grads, List<Tensor> squareAvgs, List<Tensor> gradAvgs,
      List<Tensor> momentumBufferList, List<Tensor> stateSteps, Object lr, double alpha, double eps,
      double weightDecay, double momentum, boolean centered, boolean maximize) {
    boolean withMomentum = momentum > 0;
    checkLengths("rmsprop", params.size(), grads.size(), squareAvgs.size(), stateSteps.size(),
        centered ? gradAvgs.size() : params.size(), withMomentum ? momentumBufferList.size() : params.size());
    double lrValue = Hyper.valueOf(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = dense("RMSprop", grads.get(i));
      Tensor squareAvg = squareAvgs.get(i);
      Tensor gradAvg = centered ? gradAvgs.get(i) : null;
      Tensor buf = withMomentum ? momentumBufferList.get(i) : null;
      TensorArrays.checkParam("RMSprop", param, new String[] {"grad", "square_avg", "grad_avg", "momentum_buffer"},
          grad, squareAvg, gradAvg, buf);
      ScalarTensors.increment(stateSteps.get(i));
      DType dt = param.dtype();
      Object p = TensorArrays.array(param, dt);
      Object g = TensorArrays.array(grad, dt);
      Object v = TensorArrays.array(squareAvg, dt);
      Object ga = gradAvg == null ? null : TensorArrays.array(gradAvg, dt);
      Object b = buf == null ? null : TensorArrays.array(buf, dt);
      TensorArrays.forRange((int) param.numel(), (from, to) -> RmspropStep.kernel(p, g, v, ga, b, from, to, maximize,
          weightDecay, alpha, eps, momentum, lrValue));
      TensorArrays.store(param, p);
      TensorArrays.store(squareAvg, v);
      if (ga != null) {
        TensorArrays.store(gradAvg, ga);
      }
      if (b != null) {
        TensorArrays.store(buf, b);
      }
    }
  }

  static void rprop(List<Tensor> params, List<Tensor> grads, List<Tensor> prevs, List<Tensor> stepSizes,
      List<Tensor> stateSteps, double stepSizeMin, double stepSizeMax, double etaminus, double etaplus,
      boolean maximize) {
    checkLengths("rprop", params.size(), grads.size(), prevs.size(), stepSizes.size(), stateSteps.size());
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = dense("Rprop", grads.get(i));
      Tensor prev = prevs.get(i);
      Tensor stepSize = stepSizes.get(i);
      TensorArrays.checkParam("Rprop", param, new String[] {"grad", "prev", "step_size"}, grad, prev, stepSize);
      ScalarTensors.increment(stateSteps.get(i));
      DType dt = param.dtype();
      Object p = TensorArrays.array(param, dt);
      Object g = TensorArrays.array(grad, dt);
      Object pr = TensorArrays.array(prev, dt);
      Object size = TensorArrays.array(stepSize, dt);
      TensorArrays.forRange((int) param.numel(), (from, to) -> RpropStep.kernel(p, g, pr, size, from, to, maximize,
          etaminus, etaplus, stepSizeMin, stepSizeMax));
      store(param, p, prev, pr, stepSize, size);
    }
  }

  /** {@code grad}, or PyTorch's error for a sparse gradient of an optimizer without a sparse path. */
  private static Tensor dense(String optimizer, Tensor grad) {
    if (grad.isSparse()) {
      throw new IllegalStateException(optimizer + " does not support sparse gradients");
    }
    return grad;
  }

  private static void store(Tensor a, Object av, Tensor b, Object bv, Tensor c, Object cv) {
    TensorArrays.store(a, av);
    TensorArrays.store(b, bv);
    TensorArrays.store(c, cv);
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
