package org.optim4j.optim.swa_utils;

import org.optim4j.tensor.Tensor;

/**
 * An averaging function over one tensor, PyTorch's {@code avg_fn} of {@link AveragedModel}: given the
 * averaged value, the model's current value and the number of models averaged so far, it returns the new
 * averaged value, which {@link AveragedModel#updateParameters} copies into the averaged tensor.
 *
 * <pre>{@code
 * AvgFn ema = (averaged, current, numAveraged) -> averaged.mul(0.99).add(current.mul(0.01));
 * AveragedModel ema = new AveragedModel(model, AveragedModel.options().avgFn(ema));
 * }</pre>
 *
 * <p>{@link SwaUtils#getSwaAvgFn()} and {@link SwaUtils#getEmaAvgFn(double)} give PyTorch's two.
 */
@FunctionalInterface
public interface AvgFn {
  /**
   * The new averaged value; it must not modify its arguments.
   *
   * @param averaged the averaged tensor (a detached alias)
   * @param current the model's tensor (detached)
   * @param numAveraged the number of models averaged so far, the averaged model's 0-dim int64 {@code
   *     n_averaged} (at least 1 when this is called)
   * @return a tensor of the averaged tensor's shape
   */
  Tensor apply(Tensor averaged, Tensor current, Tensor numAveraged);
}
