package org.optim4j.nn;

import java.util.Map;
import org.optim4j.nn.functional.F;
import org.optim4j.nn.init.Init;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * Batch normalisation over the channel dimension 1, the common part of {@link BatchNorm1d} and
 * {@link BatchNorm2d} (PyTorch's {@code _BatchNorm}).
 *
 * <pre>
 * y = (x − E[x]) / √(Var[x] + ε) · γ + β
 * </pre>
 *
 * <p>In training mode the statistics are the batch's (biased variance) and, with {@code
 * trackRunningStats}, the buffers are updated: {@code running ← (1 − m)·running + m·batch} with the
 * unbiased batch variance, where {@code m} is {@code momentum}, or {@code 1/num_batches_tracked} (a
 * cumulative average) when {@code momentum} is null. In evaluation mode the running statistics are
 * used (batch statistics when they are not tracked).
 *
 * <p>Options and defaults: {@code eps = 1e-5}, {@code momentum = 0.1}, {@code affine = true}
 * (parameters {@code weight} γ = 1 and {@code bias} β = 0), {@code trackRunningStats = true} (buffers
 * {@code running_mean} = 0, {@code running_var} = 1, {@code num_batches_tracked} = 0 as a 0-dim int64).
 */
public abstract class BatchNorm extends Module {
  private final int numFeatures;
  private final double eps;
  private Double momentum;
  private final boolean affine;
  private final boolean trackRunningStats;

  /**
   * A batch normalisation layer.
   *
   * @param numFeatures the number of channels C
   * @param eps added to the variance for numerical stability
   * @param momentum the running-average factor, or null for a cumulative average
   * @param affine whether there are learnable {@code weight} and {@code bias}
   * @param trackRunningStats whether running statistics are kept
   * @param bias whether there is a learnable {@code bias} (when {@code affine})
   */
  protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
      boolean bias) {
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    registerParameter("weight", affine ? new Parameter(Tensor.ones(numFeatures)) : null);
    registerParameter("bias", affine && bias ? new Parameter(Tensor.zeros(numFeatures)) : null);
    registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
    registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
    registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.scalar(0, DType.INT64) : null);
  }

  /** Resets the running statistics to mean 0, variance 1 and no batches tracked. */
  @SuppressWarnings("try")
  public void resetRunningStats() {
    if (trackRunningStats) {
      try (var noGrad = GradMode.noGrad()) {
        runningMean().zero_();
        runningVar().fill_(1);
        numBatchesTracked().zero_();
      }
    }
  }

  /** Resets the running statistics and sets γ = 1, β = 0. */
  public void resetParameters() {
    resetRunningStats();
    if (affine) {
      Init.ones_(weight());
      if (bias() != null) {
        Init.zeros_(bias());
      }
    }
  }

  /**
   * Checks the number of input dimensions.
   *
   * @throws IllegalArgumentException with PyTorch's message if it is wrong
   */
  protected abstract void checkInputDim(Tensor input);

  @Override
  @SuppressWarnings("try")
  public Tensor forward(Tensor input) {
    checkInputDim(input);
    double exponentialAverageFactor = momentum == null ? 0.0 : momentum;
    if (isTraining() && trackRunningStats && numBatchesTracked() != null) {
      try (var noGrad = GradMode.noGrad()) {
        numBatchesTracked().add_(1);
      }
      exponentialAverageFactor = momentum == null ? 1.0 / numBatchesTracked().item() : momentum;
    }
    boolean bnTraining = isTraining() || (runningMean() == null && runningVar() == null);
    boolean passStats = !isTraining() || trackRunningStats;
    return F.batchNorm(input, passStats ? runningMean() : null, passStats ? runningVar() : null, weight(), bias(),
        bnTraining, exponentialAverageFactor, eps);
  }

  /** Adds {@code num_batches_tracked} = 0 when the state dict lacks it, as PyTorch does for a dict without version. */
  @Override
  protected void upgradeStateDict(Map<String, Tensor> stateDict, String prefix) {
    if (trackRunningStats && !stateDict.containsKey(prefix + "num_batches_tracked")) {
      Tensor current = numBatchesTracked();
      stateDict.put(prefix + "num_batches_tracked", current != null ? current : Tensor.scalar(0, DType.INT64));
    }
  }

  /** γ {@code (C)}, or null without affine. */
  public Parameter weight() {
    return parameter("weight");
  }

  /** β {@code (C)}, or null. */
  public Parameter bias() {
    return parameter("bias");
  }

  /** The running mean {@code (C)}, or null when not tracked. */
  public Tensor runningMean() {
    return buffer("running_mean");
  }

  /** The running (unbiased) variance {@code (C)}, or null when not tracked. */
  public Tensor runningVar() {
    return buffer("running_var");
  }

  /** The number of training batches seen, a 0-dim int64 tensor, or null when not tracked. */
  public Tensor numBatchesTracked() {
    return buffer("num_batches_tracked");
  }

  /** The number of channels C. */
  public int numFeatures() {
    return numFeatures;
  }

  /** The ε added to the variance. */
  public double eps() {
    return eps;
  }

  /** The running-average factor, or null for a cumulative average. */
  public Double momentum() {
    return momentum;
  }
  /**
   * Sets the running-average factor, like assigning PyTorch's {@code bn.momentum}; null gives a cumulative
   * average.
   */
  public void setMomentum(Double momentum) {
    this.momentum = momentum;
  }


  /** Whether there are learnable affine parameters. */
  public boolean affine() {
    return affine;
  }

  /** Whether running statistics are tracked. */
  public boolean trackRunningStats() {
    return trackRunningStats;
  }

  /** {@code 10, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True}. */
  @Override
  public String extraRepr() {
    return numFeatures + ", eps=" + Repr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None"
        : Repr.pyFloat(momentum)) + ", affine=" + Repr.bool(affine) + ", bias=" + Repr.bool(bias() != null)
        + ", track_running_stats=" + Repr.bool(trackRunningStats);
  }
}
