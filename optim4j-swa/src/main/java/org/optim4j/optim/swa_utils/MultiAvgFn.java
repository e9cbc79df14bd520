package org.optim4j.optim.swa_utils;

import java.util.List;
import org.optim4j.tensor.Tensor;

/**
 * An in-place averaging function over lists of tensors, PyTorch's {@code multi_avg_fn} of
 * {@link AveragedModel}: it updates every averaged tensor in place from the model's tensor at the same
 * index. {@link AveragedModel#updateParameters} calls it once per dtype, with the tensors of that dtype.
 *
 * <pre>{@code
 * AveragedModel ema = new AveragedModel(model,
 *     AveragedModel.options().multiAvgFn(SwaUtils.getEmaMultiAvgFn(0.999)).useBuffers(true));
 * }</pre>
 *
 * <p>{@link SwaUtils#getSwaMultiAvgFn()} and {@link SwaUtils#getEmaMultiAvgFn(double)} give PyTorch's two.
 */
@FunctionalInterface
public interface MultiAvgFn {
  /**
   * Updates each {@code averaged.get(i)} in place from {@code current.get(i)}.
   *
   * @param averaged the averaged tensors (detached aliases), all of one dtype
   * @param current the model's tensors (detached), as many as {@code averaged}
   * @param numAveraged the number of models averaged so far, the averaged model's 0-dim int64 {@code
   *     n_averaged} (at least 1 when this is called)
   */
  void update(List<Tensor> averaged, List<Tensor> current, Tensor numAveraged);
}
