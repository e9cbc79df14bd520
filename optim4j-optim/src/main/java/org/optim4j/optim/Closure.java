package org.optim4j.optim;

import org.optim4j.tensor.Tensor;

/**
 * Re-evaluates the model and returns the loss, PyTorch's {@code closure} argument of {@code step}: typically
 * {@code zeroGrad()}, a forward pass, {@code loss.backward()}, {@code return loss}.
 *
 * <p>{@link Optimizer#step(Closure)} runs it with gradient recording enabled, even though the update itself
 * runs under {@code GradMode.noGrad()}. Most optimizers call it once per step; LBFGS calls it several times.
 */
@FunctionalInterface
public interface Closure {
  /** Computes the loss (and, usually, its gradients). */
  Tensor call();
}
