package org.optim4j.optim.functional;

import java.util.List;
import org.optim4j.optim.internal.AdamDoubleKernels;
import org.optim4j.optim.internal.AdamFloatKernels;
import org.optim4j.optim.internal.SgdDoubleKernels;
import org.optim4j.optim.internal.SgdFloatKernels;
import org.optim4j.optim.internal.TensorArrays;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The optimizers' update rules over lists of tensors, PyTorch's functional API ({@code torch.optim.sgd},
 * {@code torch.optim.adam}, {@code torch.optim.adamw}): parameters, their gradients and their state tensors
 * in parallel lists, updated in place.
 *
 * <p>Like PyTorch's functions these do not switch grad mode: an optimizer's {@code step} calls them under
 * {@code GradMode.noGrad()}; a caller that updates leaves which require grad must do the same. Each runs
 * PyTorch's single-tensor path; parameters may be float32 or float64, one dtype per parameter.
 */
public final class Functional {
  private Functional() {}

  /**
   * SGD with optional momentum, Nesterov momentum, weight decay and maximisation: PyTorch's {@code sgd}.
   *
   * <p>{@code momentumBufferList} has one entry per parameter when {@code momentum != 0} (it is not read
   * otherwise): a null entry is a parameter's first step, for which a buffer is created and stored in the
   * list, as PyTorch does. Sparse gradients are applied as PyTorch applies them (momentum buffers then stay
   * sparse); weight decay with a sparse gradient fails as in PyTorch.
   *
   * @param lr the learning rate (a tensor learning rate enters as its value, as in PyTorch's {@code alpha=-lr})
   */
  public static void sgd(List<Tensor> params, List<Tensor> grads, List<Tensor> momentumBufferList,
      double weightDecay, double momentum, double lr, double dampening, boolean nesterov, boolean maximize) {
    checkLengths("sgd", params.size(), grads.size(), momentum != 0 ? momentumBufferList.size() : params.size());
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      Tensor buf = momentum != 0 ? momentumBufferList.get(i) : null;
      if (grad.isSparse() || (buf != null && buf.isSparse())) {
        buf = sparseSgd(param, grad, buf, weightDecay, momentum, lr, dampening, nesterov, maximize);
      } else {
        boolean init = momentum != 0 && buf == null;
        if (init) {
          buf = Tensor.zerosLike(param);
        }
        denseSgd(param, grad, buf, init, weightDecay, momentum, lr, dampening, nesterov, maximize);
      }
      if (momentum != 0) {
        momentumBufferList.set(i, buf);
      }
    }
  }

  private static void denseSgd(Tensor param, Tensor grad, Tensor buf, boolean init, double weightDecay,
      double momentum, double lr, double dampening, boolean nesterov, boolean maximize) {
    TensorArrays.checkParam("SGD", param, new String[] {"grad", "momentum_buffer"}, grad, buf);
    int n = (int) param.numel();
    boolean decay = weightDecay != 0;
    if (param.dtype() == DType.FLOAT32) {
      float[] p = TensorArrays.floats(param);
      float[] g = TensorArrays.floats(grad);
      float[] b = buf == null ? null : TensorArrays.floats(buf);
      TensorArrays.forRange(n, (from, to) -> SgdFloatKernels.step(p, g, b, from, to, maximize, decay,
          (float) weightDecay, (float) momentum, (float) (1 - dampening), nesterov, init, (float) -lr));
      TensorArrays.store(param, p);
      if (b != null) {
        TensorArrays.store(buf, b);
      }
    } else {
      double[] p = TensorArrays.doubles(param);
      double[] g = TensorArrays.doubles(grad);
      double[] b = buf == null ? null : TensorArrays.doubles(buf);
      TensorArrays.forRange(n, (from, to) -> SgdDoubleKernels.step(p, g, b, from, to, maximize, decay,
          weightDecay, momentum, 1 - dampening, nesterov, init, -lr));
      TensorArrays.store(param, p);
      if (b != null) {
        TensorArrays.store(buf, b);
      }
    }
  }

  /** PyTorch's single-tensor SGD with tensor operations, for sparse gradients or buffers; returns the buffer. */
  private static Tensor sparseSgd(Tensor param, Tensor grad, Tensor buf, double weightDecay, double momentum,
      double lr, double dampening, boolean nesterov, boolean maximize) {
    Tensor g = maximize ? grad.mul(-1.0) : grad;
    if (weightDecay != 0) {
      if (g.isSparse()) {
        throw new IllegalStateException("add(sparse, dense) is not supported. Use add(dense, sparse) instead.");
      }
      g = g.add(param, weightDecay);
    }
    if (momentum != 0) {
      if (buf == null) {
        buf = g.detach().clone();
      } else if (buf.isSparse()) {
        buf = buf.mul(momentum).add(g.mul(1 - dampening));
      } else {
        buf.mul_(momentum).add_(g, 1 - dampening);
      }
      g = nesterov ? g.add(buf.mul(momentum)) : buf;
    }
    param.add_(g, -lr);
    return buf;
  }

  /**
   * Adam: PyTorch's {@code adam} (single-tensor path).
   *
   * <p>Each {@code stateSteps} entry is the parameter's 0-dim {@code step} tensor, incremented here before
   * use. {@code maxExpAvgSqs} has one entry per parameter when {@code amsgrad} (it is not read otherwise).
   * {@code lr}, {@code beta1} and {@code beta2} are each a Number or a one-element tensor, like PyTorch's
   * {@code float | Tensor}: a tensor's arithmetic in the bias corrections rounds to its dtype, as in PyTorch.
   *
   * @throws IllegalStateException for a sparse gradient
   */
  public static void adam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
      List<Tensor> maxExpAvgSqs, List<Tensor> stateSteps, boolean amsgrad, Object beta1, Object beta2, Object lr,
      double weightDecay, double eps, boolean maximize, boolean decoupledWeightDecay) {
    checkLengths("adam", params.size(), grads.size(), expAvgs.size(), expAvgSqs.size(), stateSteps.size(),
        amsgrad ? maxExpAvgSqs.size() : params.size());
    Hyper lrH = Hyper.of(lr, "lr");
    Hyper beta1H = Hyper.of(beta1, "beta1");
    Hyper beta2H = Hyper.of(beta2, "beta2");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      if (grad.isSparse()) {
        throw new IllegalStateException("Adam does not support sparse gradients, please consider SparseAdam instead");
      }
      Tensor expAvg = expAvgs.get(i);
      Tensor expAvgSq = expAvgSqs.get(i);
      Tensor maxExpAvgSq = amsgrad ? maxExpAvgSqs.get(i) : null;
      TensorArrays.checkParam("Adam", param, new String[] {"grad", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}, grad,
          expAvg, expAvgSq, maxExpAvgSq);
      Tensor stepT = stateSteps.get(i);
      stepT.add_(1);
      double step = stepT.item();

      DType dt = param.dtype();
      boolean decay = weightDecay != 0;
      double decayFactor = decay && decoupledWeightDecay ? lrH.mul(Hyper.of(weightDecay)).rsub(1).value() : 1;
      double oneMinusBeta1 = beta1H.to(dt).rsub(1).value();
      double oneMinusBeta2 = beta2H.rsub(1).value();
      Hyper biasCorrection1 = beta1H.pow(step).rsub(1);
      Hyper biasCorrection2 = beta2H.pow(step).rsub(1);
      double negStepSize = lrH.div(biasCorrection1).neg().value();
      double biasCorrection2Sqrt = biasCorrection2.sqrt().value();
      double b2 = beta2H.value();

      int n = (int) param.numel();
      if (dt == DType.FLOAT32) {
        float[] p = TensorArrays.floats(param);
        float[] g = TensorArrays.floats(grad);
        float[] m = TensorArrays.floats(expAvg);
        float[] v = TensorArrays.floats(expAvgSq);
        float[] vMax = maxExpAvgSq == null ? null : TensorArrays.floats(maxExpAvgSq);
        TensorArrays.forRange(n, (from, to) -> AdamFloatKernels.step(p, g, m, v, vMax, from, to, maximize, decay,
            decoupledWeightDecay, (float) weightDecay, (float) decayFactor, (float) oneMinusBeta1, (float) b2,
            (float) oneMinusBeta2, (float) biasCorrection2Sqrt, (float) eps, (float) negStepSize));
        TensorArrays.store(param, p);
        TensorArrays.store(expAvg, m);
        TensorArrays.store(expAvgSq, v);
        if (vMax != null) {
          TensorArrays.store(maxExpAvgSq, vMax);
        }
      } else {
        double[] p = TensorArrays.doubles(param);
        double[] g = TensorArrays.doubles(grad);
        double[] m = TensorArrays.doubles(expAvg);
        double[] v = TensorArrays.doubles(expAvgSq);
        double[] vMax = maxExpAvgSq == null ? null : TensorArrays.doubles(maxExpAvgSq);
        TensorArrays.forRange(n, (from, to) -> AdamDoubleKernels.step(p, g, m, v, vMax, from, to, maximize, decay,
            decoupledWeightDecay, weightDecay, decayFactor, oneMinusBeta1, b2, oneMinusBeta2, biasCorrection2Sqrt,
            eps, negStepSize));
        TensorArrays.store(param, p);
        TensorArrays.store(expAvg, m);
        TensorArrays.store(expAvgSq, v);
        if (vMax != null) {
          TensorArrays.store(maxExpAvgSq, vMax);
        }
      }
    }
  }

  /**
   * AdamW: PyTorch's {@code adamw}, which is {@link #adam} with decoupled weight decay
   * ({@code param *= 1 - lr * weightDecay} before the moments are updated).
   */
  public static void adamw(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
      List<Tensor> maxExpAvgSqs, List<Tensor> stateSteps, boolean amsgrad, Object beta1, Object beta2, Object lr,
      double weightDecay, double eps, boolean maximize) {
    adam(params, grads, expAvgs, expAvgSqs, maxExpAvgSqs, stateSteps, amsgrad, beta1, beta2, lr, weightDecay, eps,
        maximize, true);
  }

  private static void checkLengths(String fn, int... sizes) {
    for (int s : sizes) {
      if (s != sizes[0]) {
        throw new IllegalArgumentException(fn + ": the lists of parameters, gradients and state must have the same "
            + "length, got " + java.util.Arrays.toString(sizes));
      }
    }
  }
}
