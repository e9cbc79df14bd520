package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/**
 * The cross entropy between logits {@code (N, C, ...)} and class indices {@code (N, ...)} (int64) or
 * class probabilities (same shape as the logits), PyTorch's {@code torch.nn.CrossEntropyLoss}: {@code
 * log_softmax} over dimension 1 followed by the negative log likelihood. Defaults: no class weights,
 * {@code ignore_index = -100}, reduction {@code "mean"}, {@code label_smoothing = 0}.
 */
public class CrossEntropyLoss extends WeightedLoss {
  private final long ignoreIndex;
  private final double labelSmoothing;

  /** The loss with PyTorch's defaults. */
  public CrossEntropyLoss() {
    this(null, -100, "mean", 0.0);
  }

  /** The loss with the given reduction. */
  public CrossEntropyLoss(String reduction) {
    this(null, -100, reduction, 0.0);
  }

  /**
   * The loss with every option.
   *
   * @param weight per-class weights {@code (C)}, or null
   * @param ignoreIndex a target value that contributes nothing (index targets only)
   * @param reduction {@code "none"}, {@code "mean"} or {@code "sum"}
   * @param labelSmoothing in [0, 1]: mixes the target with the uniform distribution over classes
   */
  public CrossEntropyLoss(Tensor weight, long ignoreIndex, String reduction, double labelSmoothing) {
    super(weight, reduction);
    this.ignoreIndex = ignoreIndex;
    this.labelSmoothing = labelSmoothing;
  }

  /** The ignored target value. */
  public long ignoreIndex() {
    return ignoreIndex;
  }

  /** The label smoothing amount. */
  public double labelSmoothing() {
    return labelSmoothing;
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return F.crossEntropy(input, target, weight(), ignoreIndex, reduction(), labelSmoothing);
  }
}
