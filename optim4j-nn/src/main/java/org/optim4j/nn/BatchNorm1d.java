package org.optim4j.nn;

import org.optim4j.tensor.Tensor;

/**
 * Batch normalisation of {@code (N, C)} or {@code (N, C, L)} inputs over the channel dimension, PyTorch's {@code
 * torch.nn.BatchNorm1d}; see {@link BatchNorm} for the algorithm, buffers and defaults.
 */
public class BatchNorm1d extends BatchNorm {

  /** A layer with PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
  public BatchNorm1d(int numFeatures) {
    this(numFeatures, 1e-5, 0.1, true, true, true);
  }

  /**
   * A layer with the given options and a bias when affine.
   *
   * @param momentum the running-average factor, or null for a cumulative average
   */
  public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
    this(numFeatures, eps, momentum, affine, trackRunningStats, true);
  }

  /**
   * A layer with every option.
   *
   * @param momentum the running-average factor, or null for a cumulative average
   * @param bias whether there is a learnable bias (when affine)
   */
  public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
      boolean bias) {
    super(numFeatures, eps, momentum, affine, trackRunningStats, bias);
  }

  /**
   * Requires a 2D or 3D input.
   *
   * @throws IllegalArgumentException {@code expected 2D or 3D input (got <d>D input)}
   */
  @Override
  protected void checkInputDim(Tensor input) {
    if (input.dim() != 2 && input.dim() != 3) {
      throw new IllegalArgumentException("expected 2D or 3D input (got " + input.dim() + "D input)");
    }
  }
}
