package org.optim4j.nn;

import org.optim4j.tensor.Tensor;

/**
 * Base of losses with per-class weights, PyTorch's {@code _WeightedLoss}: the weight (or null) is
 * registered as the buffer {@code "weight"}, so it is in the state dict when present.
 */
public abstract class WeightedLoss extends Loss {

  /** A loss with per-class {@code weight} (or null) and the given reduction. */
  protected WeightedLoss(Tensor weight, String reduction) {
    super(reduction);
    registerBuffer("weight", weight);
  }

  /** The per-class weights, or null. */
  public Tensor weight() {
    return buffer("weight");
  }
}
