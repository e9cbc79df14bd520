package org.optim4j.nn;

import org.optim4j.tensor.Tensor;

/**
 * Flattens the dimensions {@code startDim} to {@code endDim} into one, PyTorch's {@code
 * torch.nn.Flatten} (defaults 1 and -1: everything but the batch dimension).
 */
public class Flatten extends Module {
  private final int startDim;
  private final int endDim;

  /** Flattens all dimensions but the first. */
  public Flatten() {
    this(1, -1);
  }

  /** Flattens {@code startDim} to {@code endDim} (inclusive; negative counts from the end). */
  public Flatten(int startDim, int endDim) {
    this.startDim = startDim;
    this.endDim = endDim;
  }

  @Override
  public Tensor forward(Tensor input) {
    return input.flatten(startDim, endDim);
  }

  /** {@code start_dim=1, end_dim=-1}. */
  @Override
  public String extraRepr() {
    return "start_dim=" + startDim + ", end_dim=" + endDim;
  }
}
