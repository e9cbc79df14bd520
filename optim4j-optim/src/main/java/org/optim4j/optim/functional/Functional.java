package org.optim4j.optim.functional;

import java.util.List;
import org.optim4j.optim.internal.AdamStep;
import org.optim4j.optim.internal.Hyper;
import org.optim4j.optim.internal.ScalarTensors;
import org.optim4j.optim.internal.SgdStep;
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
    DType dt = param.dtype();
    Object p = TensorArrays.array(param, dt);
    Object g = TensorArrays.array(grad, dt);
    Object b = buf == null ? null : TensorArrays.array(buf, dt);
    TensorArrays.forRange((int) param.numel(), (from, to) -> SgdStep.kernel(p, g, b, from, to, maximize, weightDecay,
        momentum, dampening, nesterov, init, lr));
    TensorArrays.store(param, p);
    if (b != null) {
      TensorArrays.store(buf, b);
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
    Hyper.of(lr, "lr");
    Hyper.of(beta1, "beta1");
    Hyper.of(beta2, "beta2");
    double[] c = new double[AdamStep.SCALARS];
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
      double step = ScalarTensors.increment(stateSteps.get(i));
      DType dt = param.dtype();
      AdamStep.scalars(step, lr, beta1, beta2, dt, weightDecay, decoupledWeightDecay, c);

      Object p = TensorArrays.array(param, dt);
      Object g = TensorArrays.array(grad, dt);
      Object m = TensorArrays.array(expAvg, dt);
      Object v = TensorArrays.array(expAvgSq, dt);
      Object vMax = maxExpAvgSq == null ? null : TensorArrays.array(maxExpAvgSq, dt);
      TensorArrays.forRange((int) param.numel(), (from, to) -> AdamStep.kernel(p, g, m, v, vMax, from, to, maximize,
          weightDecay, decoupledWeightDecay, eps, c));
      TensorArrays.store(param, p);
      TensorArrays.store(expAvg, m);
      TensorArrays.store(expAvgSq, v);
      if (vMax != null) {
        TensorArrays.store(maxExpAvgSq, vMax);
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

  /**
   * Adamax: PyTorch's {@code adamax} (single-tensor path). Each {@code stateSteps} entry is the parameter's
   * 0-dim {@code step} tensor, incremented here before use; {@code lr} is a Number or a one-element tensor.
   *
   * @throws IllegalStateException for a sparse gradient
   */
  public static void adamax(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expInfs,
      List<Tensor> stateSteps, double eps, double beta1, double beta2, Object lr, double weightDecay,
      boolean maximize) {
    ClassicRules.adamax(params, grads, expAvgs, expInfs, stateSteps, eps, beta1, beta2, lr, weightDecay, maximize);
  }

  /**
   * Adadelta: PyTorch's {@code adadelta} (single-tensor path); {@code stateSteps} counts the steps (the rule
   * does not use it); {@code lr} is a Number or a one-element tensor.
   *
   * @throws IllegalStateException for a sparse gradient
   */
  public static void adadelta(List<Tensor> params, List<Tensor> grads, List<Tensor> squareAvgs,
      List<Tensor> accDeltas, List<Tensor> stateSteps, Object lr, double rho, double eps, double weightDecay,
      boolean maximize) {
    ClassicRules.adadelta(params, grads, squareAvgs, accDeltas, stateSteps, lr, rho, eps, weightDecay, maximize);
  }

  /**
   * Adagrad: PyTorch's {@code adagrad} (single-tensor path), dense or sparse COO gradients (a sparse gradient
   * updates only the elements it names, as PyTorch's {@code _make_sparse} branch); {@code lr} is a Number or a
   * one-element tensor.
   *
   * @throws IllegalStateException for a sparse gradient with a non-zero weight decay (after incrementing that
   *     parameter's step, as PyTorch)
   */
  public static void adagrad(List<Tensor> params, List<Tensor> grads, List<Tensor> stateSums,
      List<Tensor> stateSteps, Object lr, double weightDecay, double lrDecay, double eps, boolean maximize) {
    ClassicRules.adagrad(params, grads, stateSums, stateSteps, lr, weightDecay, lrDecay, eps, maximize);
  }

  /**
   * RMSprop: PyTorch's {@code rmsprop} (single-tensor path). {@code gradAvgs} has one entry per parameter when
   * {@code centered}, {@code momentumBufferList} one when {@code momentum > 0} (neither is read otherwise);
   * {@code lr} is a Number or a one-element tensor.
   *
   * @throws IllegalStateException for a sparse gradient
   */
  public static void rmsprop(List<Tensor> params, List<Tensor> grads, List<Tensor> squareAvgs, List<Tensor> gradAvgs,
      List<Tensor> momentumBufferList, List<Tensor> stateSteps, Object lr, double alpha, double eps,
      double weightDecay, double momentum, boolean centered, boolean maximize) {
    ClassicRules.rmsprop(params, grads, squareAvgs, gradAvgs, momentumBufferList, stateSteps, lr, alpha, eps,
        weightDecay, momentum, centered, maximize);
  }

  /**
   * Rprop: PyTorch's {@code rprop} (single-tensor path): {@code stepSizes} holds each parameter's per-element
   * step sizes (PyTorch's state {@code step_size}), {@code prevs} the previous (masked) gradients.
   *
   * @throws IllegalStateException for a sparse gradient
   */
  public static void rprop(List<Tensor> params, List<Tensor> grads, List<Tensor> prevs, List<Tensor> stepSizes,
      List<Tensor> stateSteps, double stepSizeMin, double stepSizeMax, double etaminus, double etaplus,
      boolean maximize) {
    ClassicRules.rprop(params, grads, prevs, stepSizes, stateSteps, stepSizeMin, stepSizeMax, etaminus, etaplus,
        maximize);
  }

  /**
   * ASGD: PyTorch's {@code asgd} (single-tensor path). Each parameter has its averaged iterate ({@code axs}),
   * its 0-dim {@code mu} and {@code eta} tensors (read, then overwritten with the next step's values, rounded
   * to float32 as PyTorch stores them) and its 0-dim {@code step} tensor (incremented here before use);
   * {@code lr} is a Number or a one-element tensor and enters only the new η.
   *
   * @throws IllegalStateException for a sparse gradient
   */
  public static void asgd(List<Tensor> params, List<Tensor> grads, List<Tensor> axs, List<Tensor> mus,
      List<Tensor> etas, List<Tensor> stateSteps, double lambd, Object lr, double t0, double alpha,
      double weightDecay, boolean maximize) {
    AveragingRules.asgd(params, grads, axs, mus, etas, stateSteps, lambd, lr, t0, alpha, weightDecay, maximize);
  }

  /**
   * NAdam: PyTorch's {@code nadam} (single-tensor path). Each {@code muProducts} entry is the parameter's 0-dim
   * running product of the momentum schedule, multiplied here in its own dtype (float32 as PyTorch creates
   * it); each {@code stateSteps} entry is the 0-dim {@code step} tensor, incremented here before use;
   * {@code lr} is a Number or a one-element tensor.
   *
   * @throws IllegalStateException for a sparse gradient
   */
  public static void nadam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
      List<Tensor> muProducts, List<Tensor> stateSteps, double beta1, double beta2, Object lr, double weightDecay,
      double momentumDecay, double eps, boolean maximize, boolean decoupledWeightDecay) {
    AveragingRules.nadam(params, grads, expAvgs, expAvgSqs, muProducts, stateSteps, beta1, beta2, lr, weightDecay,
        momentumDecay, eps, maximize, decoupledWeightDecay);
  }

  /**
   * RAdam: PyTorch's {@code radam} (single-tensor path), with the rectified adaptive step while ρ_t &gt; 5 and
   * the un-adapted one before. Each {@code stateSteps} entry is the 0-dim {@code step} tensor, incremented here
   * before use; {@code lr} is a Number or a one-element tensor.
   *
   * @throws IllegalStateException for a sparse gradient
   */
  public static void radam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs, List<Tensor> expAvgSqs,
      List<Tensor> stateSteps, double beta1, double beta2, Object lr, double weightDecay, double eps,
      boolean maximize, boolean decoupledWeightDecay) {
    AveragingRules.radam(params, grads, expAvgs, expAvgSqs, stateSteps, beta1, beta2, lr, weightDecay, eps, maximize,
        decoupledWeightDecay);
  }

  /**
   * SparseAdam: PyTorch's {@code _functional.sparse_adam}. Each gradient must be a sparse COO tensor; it is
   * coalesced, and only the entries it holds are updated (an empty gradient changes nothing). Each
   * {@code stateSteps} entry is the parameter's step count, already incremented by the caller as PyTorch's
   * {@code SparseAdam.step} does; {@code lr} is a Number or a one-element tensor.
   *
   * @throws IllegalStateException for a dense gradient
   */
  public static void sparseAdam(List<Tensor> params, List<Tensor> grads, List<Tensor> expAvgs,
      List<Tensor> expAvgSqs, List<? extends Number> stateSteps, double eps, double beta1, double beta2, Object lr,
      boolean maximize) {
    AveragingRules.sparseAdam(params, grads, expAvgs, expAvgSqs, stateSteps, eps, beta1, beta2, lr, maximize);
  }

  /**
   * Adafactor: PyTorch's {@code adafactor} (single-tensor path). Each parameter has {@code rowVars} and
   * {@code colVars} entries when its gradient has two or more dimensions, a {@code variances} entry otherwise
   * (the other entries are null); each {@code stateSteps} entry is its 0-dim {@code step} tensor, incremented here
   * before use. {@code eps1} null means the machine epsilon of the first parameter's dtype; {@code lr} is a Number
   * or a one-element tensor.
   *
   * @throws IllegalStateException for a sparse gradient
   */
  public static void adafactor(List<Tensor> params, List<Tensor> grads, List<Tensor> rowVars, List<Tensor> colVars,
      List<Tensor> variances, List<Tensor> stateSteps, double d, Object lr, double beta2Decay, double weightDecay,
      Double eps1, double eps2, boolean maximize) {
    MatrixRules.adafactor(params, grads, rowVars, colVars, variances, stateSteps, d, lr, beta2Decay, weightDecay,
        eps1, eps2, maximize);
  }

  /**
   * Muon: PyTorch's {@code muon} (single-tensor path): momentum, the bfloat16 Newton–Schulz orthogonalisation of
   * each 2-D update (bit for bit as PyTorch's CPU kernels), decoupled weight decay and the adjusted learning rate
   * ({@code adjustLrFn}: null, {@code "original"}, {@code "match_rms_adamw"} or {@code "spectral_unclamped"});
   * {@code lr} is a Number or a one-element tensor.
   *
   * @throws IllegalArgumentException with PyTorch's message for a gradient that is not 2-D, {@code nsSteps >= 100}
   *     or coefficients that are not three
   * @throws IllegalStateException for a sparse gradient
   */
  public static void muon(List<Tensor> params, List<Tensor> grads, List<Tensor> momentumBufs, Object lr,
      double weightDecay, double momentum, boolean nesterov, List<? extends Number> nsCoefficients, int nsSteps,
      double eps, String adjustLrFn) {
    MatrixRules.muon(params, grads, momentumBufs, lr, weightDecay, momentum, nesterov, nsCoefficients, nsSteps, eps,
        adjustLrFn);
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
