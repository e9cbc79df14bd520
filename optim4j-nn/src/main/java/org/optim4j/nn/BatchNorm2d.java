package org.optim4j.nn;

import org.optim4j.tensor.Tensor;

/**
 * Batch normalisation of {@code (N, C, H, W)} inputs over the channel dimension, PyTorch's {@code
 * torch.nn.BatchNorm2d}; see {@link BatchNorm} for the algorithm, buffers and defaults.
 */
public class BatchNorm2d extends BatchNorm {

  /** A layer with PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
  public BatchNorm2d(int numFeatures) {
    this(numFeatures, 1e-5, 0.1, true, true, true);
  }

  /**
   * A layer with the given options and a bias when affine.
   *
   * @param momentum the running-average factor, or null for a cumulative average
   */
  public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
    this(numFeatures, eps, momentum, affine, trackRunningStats, true);
  }

  /**
   * A layer with every option.
   *
   * @param momentum the running-average factor, or null for a cumulative average
   * @param bias whether there is a learnable bias (when affine)
   */
  public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
      boolean bias) {
    super(numFeatures, eps, momentum, affine, trackRunningStats, bias);
  }

  /**
   * Requires a 4D input.
   *
   * @throws IllegalArgumentException {@code expected 4D input (got <d>D input)}
   */
  @Override
  protected void checkInputDim(Tensor input) {
    if (input.dim() != 4) {
      throw new IllegalArgumentException("expected 4D input (got " + input.dim() + "D input)");
    }
  }
}
