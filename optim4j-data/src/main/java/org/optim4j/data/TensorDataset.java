package org.optim4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.optim4j.tensor.Tensor;

/**
 * A dataset of tensors that share their first dimension, PyTorch's {@code TensorDataset}: sample
 * {@code i} is the list of {@code t.select(0, i)} over the tensors, in order (views, not copies).
 *
 * <pre>{@code
 * TensorDataset ds = new TensorDataset(inputs, targets);   // inputs [N, ...], targets [N]
 * List<Tensor> sample = ds.get(3);                         // [inputs[3], targets[3]]
 * }</pre>
 *
 * <p>{@link #size()} and {@link #get(int)} are final: a {@link DataLoader} batches a {@code
 * TensorDataset} by one {@link Tensor#indexSelect} per tensor, which must give the same batches as
 * stacking the samples one by one.
 */
public class TensorDataset implements Dataset<List<Tensor>> {
  private final List<Tensor> tensors;

  /**
   * Creates a dataset over {@code tensors}.
   *
   * @throws IllegalArgumentException if no tensor is given, a tensor is 0-dim, or the first dimensions
   *     differ ({@code "Size mismatch between tensors"}, PyTorch's message)
   */
  public TensorDataset(Tensor... tensors) {
    this(Arrays.asList(Objects.requireNonNull(tensors, "tensors must not be null")));
  }

  /**
   * Creates a dataset over {@code tensors}.
   *
   * @throws IllegalArgumentException if no tensor is given, a tensor is 0-dim, or the first dimensions
   *     differ ({@code "Size mismatch between tensors"}, PyTorch's message)
   */
  public TensorDataset(List<Tensor> tensors) {
    Objects.requireNonNull(tensors, "tensors must not be null");
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("TensorDataset needs at least one tensor");
    }
    List<Tensor> copy = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      Objects.requireNonNull(t, "tensors must not contain null");
      if (t.dim() == 0) {
        throw new IllegalArgumentException("TensorDataset needs tensors of at least one dimension");
      }
      if (t.size(0) != tensors.get(0).size(0)) {
        throw new IllegalArgumentException("Size mismatch between tensors");
      }
      copy.add(t);
    }
    this.tensors = List.copyOf(copy);
  }

  /** The tensors, in the order given (unmodifiable). */
  public final List<Tensor> tensors() {
    return tensors;
  }

  /** The shared first dimension of the tensors. */
  @Override
  public final int size() {
    return tensors.get(0).size(0);
  }

  /**
   * The row {@code index} of every tensor; a negative index counts from the end, as in PyTorch.
   *
   * @throws IndexOutOfBoundsException if {@code index} is out of range
   */
  @Override
  public final List<Tensor> get(int index) {
    List<Tensor> sample = new ArrayList<>(tensors.size());
    for (Tensor t : tensors) {
      sample.add(t.select(0, index));
    }
    return List.copyOf(sample);
  }
}
