package org.optim4j.data;

import java.util.Arrays;
import java.util.List;
import org.optim4j.tensor.Tensor;

/**
 * One epoch of a {@link DataLoader}: its sample order and the batches {@code [first, end)} to make. It
 * holds everything a prefetch thread needs and nothing that refers to an iterator.
 */
final class Epoch {
  /** Makes the batch of the samples at {@code indices}. */
  @FunctionalInterface
  interface Batcher {
    List<Tensor> batch(long[] indices);
  }

  private final Batcher batcher;
  private final long[] order;
  private final int batchSize;
  private final int first;
  private final int end;

  Epoch(Batcher batcher, long[] order, int batchSize, int first, int end) {
    this.batcher = batcher;
    this.order = order;
    this.batchSize = batchSize;
    this.first = first;
    this.end = end;
  }

  /** The first batch to make. */
  int first() {
    return first;
  }

  /** One past the last batch to make. */
  int end() {
    return end;
  }

  /** Batch {@code b}: the samples at positions {@code [b·batchSize, (b+1)·batchSize)} of the order. */
  List<Tensor> batch(int b) {
    int from = b * batchSize;
    return batcher.batch(Arrays.copyOfRange(order, from, Math.min(from + batchSize, order.length)));
  }
}
