package org.optim4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

class DataLoaderTest {
  private static final int N = 23;

  /** Sample i is ([i, 100 + i], i): the input row and the target both name the index. */
  private static TensorDataset indexed(int n) {
    float[] x = new float[2 * n];
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = 100 + i;
      y[i] = i;
    }
    return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y));
  }

  /** The same samples through the generic path: a plain Dataset, collated by stacking. */
  private static Dataset<List<Tensor>> plain(TensorDataset ds) {
    return new Dataset<>() {
      @Override
      public int size() {
        return ds.size();
      }

      @Override
      public List<Tensor> get(int index) {
        return ds.get(index);
      }
    };
  }

  /** The targets of each batch of one epoch. */
  private static List<long[]> epoch(Iterator<List<Tensor>> batches) {
    List<long[]> out = new ArrayList<>();
    while (batches.hasNext()) {
      out.add(batches.next().get(1).toLongArray());
    }
    return out;
  }

  private static long[] flat(List<long[]> batches) {
    return batches.stream().flatMapToLong(Arrays::stream).toArray();
  }

  private static DataLoader shuffled(long seed, int prefetch) {
    return new DataLoader(indexed(N),
        DataLoader.options().batchSize(5).shuffle(true).generator(new Generator(seed)).prefetch(prefetch));
  }

  @Test
  void sequentialBatchesAreInIndexOrderWithASmallerLastBatch() {
    DataLoader loader = new DataLoader(indexed(N), 5, false);
    assertEquals(5, loader.size());
    List<List<Tensor>> batches = new ArrayList<>();
    loader.forEach(batches::add);
    assertEquals(5, batches.size());
    assertArrayEquals(new int[] {5, 2}, batches.get(0).get(0).shape());
    assertArrayEquals(new int[] {5}, batches.get(0).get(1).shape());
    assertArrayEquals(new int[] {3, 2}, batches.get(4).get(0).shape());
    assertArrayEquals(new float[] {20, 120, 21, 121, 22, 122}, batches.get(4).get(0).toFloatArray());
    long[] expected = new long[N];
    Arrays.setAll(expected, i -> i);
    assertArrayEquals(expected, flat(epoch(loader.iterator())));
  }

  @Test
  void shuffledEpochsCoverEveryIndexOnceAndFollowRandperm() {
    DataLoader loader = shuffled(3, 0);
    Generator reference = new Generator(3);
    List<long[]> seen = new ArrayList<>();
    for (int e = 0; e < 3; e++) {
      long[] order = flat(epoch(loader.iterator()));
      // PyTorch's RandomSampler: one randperm(n, generator) per epoch from the same generator.
      assertArrayEquals(Tensor.randperm(reference, N).toLongArray(), order);
      long[] sorted = order.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < N; i++) {
        assertEquals(i, sorted[i]);
      }
      seen.add(order);
    }
    assertFalse(Arrays.equals(seen.get(0), seen.get(1)), "epochs must differ");
    assertFalse(Arrays.equals(seen.get(1), seen.get(2)), "epochs must differ");
  }

  @Test
  void inputsAndTargetsStayPaired() {
    for (List<Tensor> batch : shuffled(11, 0)) {
      float[] x = batch.get(0).toFloatArray();
      long[] y = batch.get(1).toLongArray();
      for (int r = 0; r < y.length; r++) {
        assertEquals(y[r], x[2 * r]);
        assertEquals(100 + y[r], x[2 * r + 1]);
      }
    }
  }

  @Test
  void shuffleIsDeterministicForASeed() {
    DataLoader a = shuffled(42, 0);
    DataLoader b = shuffled(42, 0);
    for (int e = 0; e < 3; e++) {
      assertArrayEquals(flat(epoch(a.iterator())), flat(epoch(b.iterator())));
    }
    assertFalse(Arrays.equals(flat(epoch(shuffled(42, 0).iterator())), flat(epoch(shuffled(43, 0).iterator()))));
  }

  @Test
  void shuffleWithoutAGeneratorIsSeededFromTheDefaultGenerator() {
    Tensor.manualSeed(5);
    DataLoader a = new DataLoader(indexed(N), 4, true);
    Tensor.manualSeed(5);
    DataLoader b = new DataLoader(indexed(N), 4, true);
    assertArrayEquals(flat(epoch(a.iterator())), flat(epoch(b.iterator())));
  }

  @Test
  void dropLastDropsTheIncompleteBatch() {
    DataLoader loader = new DataLoader(indexed(N),
        DataLoader.options().batchSize(5).dropLast(true).shuffle(true).generator(new Generator(1)));
    assertEquals(4, loader.size());
    List<long[]> batches = epoch(loader.iterator());
    assertEquals(4, batches.size());
    for (long[] b : batches) {
      assertEquals(5, b.length);
    }
    long[] order = Tensor.randperm(new Generator(1), N).toLongArray();
    assertArrayEquals(Arrays.copyOf(order, 20), flat(batches));
    DataLoader exact = new DataLoader(indexed(20), DataLoader.options().batchSize(5).dropLast(true));
    assertEquals(4, exact.size());
    assertEquals(4, epoch(exact.iterator()).size());
  }

  @Test
  void fastPathEqualsStackingSamples() {
    TensorDataset ds = indexed(N);
    DataLoader.Options options = DataLoader.options().batchSize(4).shuffle(true);
    DataLoader fast = new DataLoader(ds, options.generator(new Generator(9)));
    DataLoader stacked = new DataLoader(plain(ds), options.generator(new Generator(9)));
    Iterator<List<Tensor>> f = fast.iterator();
    Iterator<List<Tensor>> s = stacked.iterator();
    while (f.hasNext()) {
      List<Tensor> fb = f.next();
      List<Tensor> sb = s.next();
      for (int k = 0; k < 2; k++) {
        assertArrayEquals(sb.get(k).shape(), fb.get(k).shape());
        assertEquals(sb.get(k).dtype(), fb.get(k).dtype());
        assertArrayEquals(sb.get(k).toDoubleArray(), fb.get(k).toDoubleArray());
      }
    }
    assertFalse(s.hasNext());
  }

  @Test
  void customCollateFunction() {
    Dataset<Integer> numbers = new Dataset<>() {
      @Override
      public int size() {
        return 7;
      }

      @Override
      public Integer get(int index) {
        return index * index;
      }
    };
    DataLoader loader = new DataLoader(numbers, samples -> {
      long[] v = samples.stream().mapToLong(Integer::longValue).toArray();
      return List.of(Tensor.of(v));
    }, DataLoader.options().batchSize(3));
    List<long[]> batches = new ArrayList<>();
    loader.forEach(b -> batches.add(b.get(0).toLongArray()));
    assertArrayEquals(new long[] {0, 1, 4}, batches.get(0));
    assertArrayEquals(new long[] {36}, batches.get(2));
  }

  @Test
  void prefetchGivesTheSameBatchesAsNoPrefetch() {
    for (int prefetch : new int[] {1, 3}) {
      DataLoader ahead = shuffled(7, prefetch);
      DataLoader again = shuffled(7, 0);
      for (int e = 0; e < 3; e++) {
        Iterator<List<Tensor>> a = ahead.iterator();
        Iterator<List<Tensor>> b = again.iterator();
        while (b.hasNext()) {
          assertTrue(a.hasNext());
          List<Tensor> x = a.next();
          List<Tensor> y = b.next();
          assertArrayEquals(y.get(0).toFloatArray(), x.get(0).toFloatArray());
          assertArrayEquals(y.get(1).toLongArray(), x.get(1).toLongArray());
        }
        assertFalse(a.hasNext());
        assertThrows(NoSuchElementException.class, a::next);
      }
    }
  }

  @Test
  void prefetchRethrowsAFailureAtItsBatch() {
    TensorDataset ds = indexed(10);
    Dataset<List<Tensor>> failing = new Dataset<>() {
      @Override
      public int size() {
        return 10;
      }

      @Override
      public List<Tensor> get(int index) {
        if (index == 7) {
          throw new IllegalStateException("sample 7 is broken");
        }
        return ds.get(index);
      }
    };
    DataLoader loader = new DataLoader(failing, DataLoader.options().batchSize(2).prefetch(2));
    Iterator<List<Tensor>> it = loader.iterator();
    for (int b = 0; b < 3; b++) {
      it.next();
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
    assertEquals("sample 7 is broken", e.getMessage());
    assertFalse(it.hasNext());
  }

  @Test
  void restoringTheOrderStateReplaysTheEpoch() {
    DataLoader original = shuffled(21, 0);
    epoch(original.iterator());
    Iterator<List<Tensor>> second = original.iterator();
    long[] saved = original.orderState();
    List<long[]> secondEpoch = epoch(second);
    List<long[]> thirdEpoch = epoch(original.iterator());

    DataLoader resumed = shuffled(999, 2);
    resumed.loadOrderState(saved);
    assertArrayEquals(saved, resumed.orderState());
    assertArrayEquals(flat(secondEpoch), flat(epoch(resumed.iterator())));
    assertArrayEquals(flat(thirdEpoch), flat(epoch(resumed.iterator())));

    DataLoader midEpoch = shuffled(999, 0);
    midEpoch.loadOrderState(saved);
    List<long[]> tail = epoch(midEpoch.iterator(2));
    assertEquals(secondEpoch.size() - 2, tail.size());
    for (int b = 0; b < tail.size(); b++) {
      assertArrayEquals(secondEpoch.get(b + 2), tail.get(b));
    }
  }

  @Test
  void orderStateBeforeTheFirstEpochIsTheStartOfTheFirstEpoch() {
    DataLoader loader = shuffled(4, 0);
    long[] before = loader.orderState();
    List<long[]> first = epoch(loader.iterator());
    assertArrayEquals(before, loader.orderState());
    epoch(loader.iterator());
    assertNotEquals(Arrays.toString(before), Arrays.toString(loader.orderState()));
    loader.loadOrderState(before);
    assertArrayEquals(flat(first), flat(epoch(loader.iterator())));
  }

  @Test
  void sequentialLoaderHasAnEmptyOrderState() {
    DataLoader loader = new DataLoader(indexed(N), 5, false);
    assertEquals(0, loader.orderState().length);
    loader.loadOrderState(new long[0]);
    assertThrows(IllegalArgumentException.class, () -> loader.loadOrderState(new long[7]));
  }

  @Test
  void optionsAreValidatedWithPyTorchsMessages() {
    TensorDataset ds = indexed(N);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DataLoader(ds, DataLoader.options().batchSize(0)));
    assertEquals("batch_size should be a positive integer value, but got batch_size=0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DataLoader(ds, DataLoader.options().prefetch(-1)));
    DataLoader loader = new DataLoader(ds, 5, false);
    assertThrows(IndexOutOfBoundsException.class, () -> loader.iterator(6));
    assertFalse(loader.iterator(5).hasNext());
    assertSame(ds, loader.dataset());
  }

  @Test
  void defaultCollateStacksEachField() {
    List<Tensor> batch = DataLoader.defaultCollate(List.of(
        List.of(Tensor.of(new float[] {1, 2}), Tensor.scalar(3)),
        List.of(Tensor.of(new float[] {4, 5}), Tensor.scalar(6))));
    assertArrayEquals(new int[] {2, 2}, batch.get(0).shape());
    assertArrayEquals(new float[] {1, 2, 4, 5}, batch.get(0).toFloatArray());
    assertArrayEquals(new float[] {3, 6}, batch.get(1).toFloatArray());
    assertThrows(IllegalArgumentException.class, () -> DataLoader.defaultCollate(List.of()));
  }

  @Test
  void embeddedMnistBatches() {
    DataLoader loader = new DataLoader(MNIST.embedded(false),
        DataLoader.options().batchSize(100).shuffle(true).generator(new Generator(0)).prefetch(2));
    assertEquals(20, loader.size());
    int seen = 0;
    for (List<Tensor> batch : loader) {
      assertArrayEquals(new int[] {100, 1, 28, 28}, batch.get(0).shape());
      seen += batch.get(1).size(0);
    }
    assertEquals(2_000, seen);
  }
}
