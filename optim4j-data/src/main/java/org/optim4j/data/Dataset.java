package org.optim4j.data;

/**
 * An indexed collection of samples, PyTorch's map-style {@code torch.utils.data.Dataset}: {@link #size()}
 * is {@code __len__} and {@link #get(int)} is {@code __getitem__}.
 *
 * <p>A {@link DataLoader} with {@code prefetch > 0} calls {@link #get(int)} from a background thread, so
 * a dataset used that way must allow reads from a thread other than the one that created it (reads of
 * immutable state, as in {@link TensorDataset}, are fine).
 *
 * @param <T> the type of one sample, such as {@code List<Tensor>} (input, target)
 */
public interface Dataset<T> {
  /** The number of samples. */
  int size();

  /**
   * The sample at {@code index}, in {@code [0, size())}.
   *
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  T get(int index);
}
