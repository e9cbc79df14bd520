package org.optim4j.nn;

import org.optim4j.tensor.Tensor;

/**
 * Base of the loss modules, PyTorch's {@code _Loss}: a module with a {@code reduction} ({@code
 * "none"}, {@code "mean"} or {@code "sum"}, checked when the loss is computed) and a two-argument
 * {@link #forward(Tensor, Tensor)}.
 *
 * <pre>{@code
 * CrossEntropyLoss lossFn = new CrossEntropyLoss();
 * Tensor loss = lossFn.apply(model.apply(x), y);
 * }</pre>
 */
public abstract class Loss extends Module {
  private final String reduction;

  /** A loss with the given reduction. */
  protected Loss(String reduction) {
    this.reduction = reduction;
  }

  /** The reduction: {@code "none"}, {@code "mean"} or {@code "sum"}. */
  public String reduction() {
    return reduction;
  }

  /** The loss of {@code input} (predictions) against {@code target}. */
  public abstract Tensor forward(Tensor input, Tensor target);

  /** Computes the loss, PyTorch's {@code loss_fn(input, target)}. */
  public Tensor apply(Tensor input, Tensor target) {
    return forward(input, target);
  }
}
