package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/**
 * The negative log likelihood of log-probabilities {@code (N, C, ...)} at int64 class indices
 * {@code (N, ...)}, PyTorch's {@code torch.nn.NLLLoss}. Defaults: no class weights, {@code
 * ignore_index = -100}, reduction {@code "mean"} (the weighted mean over non-ignored targets).
 */
public class NLLLoss extends WeightedLoss {
  private final long ignoreIndex;

  /** The loss with PyTorch's defaults. */
  public NLLLoss() {
    this(null, -100, "mean");
  }

  /** The loss with the given reduction. */
  public NLLLoss(String reduction) {
    this(null, -100, reduction);
  }

  /**
   * The loss with every option.
   *
   * @param weight per-class weights {@code (C)}, or null
   * @param ignoreIndex a target value that contributes nothing
   * @param reduction {@code "none"}, {@code "mean"} or {@code "sum"}
   */
  public NLLLoss(Tensor weight, long ignoreIndex, String reduction) {
    super(weight, reduction);
    this.ignoreIndex = ignoreIndex;
  }

  /** The ignored target value. */
  public long ignoreIndex() {
    return ignoreIndex;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return F.nllLoss(input, target, weight(), ignoreIndex, reduction());
  }
}
