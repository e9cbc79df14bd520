package org.optim4j.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * Iterates over a {@link Dataset} in mini-batches, PyTorch's {@code torch.utils.data.DataLoader} with a
 * {@code SequentialSampler} or, when shuffling, a {@code RandomSampler}.
 *
 * <pre>{@code
 * DataLoader loader = new DataLoader(new TensorDataset(inputs, targets),
 *     DataLoader.options().batchSize(100).shuffle(true).generator(new Generator(0)));
 * for (int epoch = 0; epoch < 10; epoch++) {
 *   for (List<Tensor> batch : loader) {     // each for-loop is one epoch
 *     Tensor x = batch.get(0), y = batch.get(1);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Without shuffling, samples come in index order. With shuffling, each epoch (each call
 * to {@link #iterator()}) draws {@code Tensor.randperm(generator, size)} from the loader's generator, as
 * PyTorch's {@code RandomSampler} does with a {@code generator}: deterministic for a seed, different from
 * one epoch to the next. Batch {@code b} holds the samples at positions {@code [b·batchSize,
 * (b+1)·batchSize)} of that order; the last batch is smaller, or dropped with {@code dropLast}.
 *
 * <p><b>Collation.</b> By default a batch is PyTorch's {@code default_collate} for samples that are lists
 * of tensors: field {@code k} of the batch is {@code Tensor.stack} of field {@code k} of its samples. For a
 * {@link TensorDataset} (and so {@link MNIST}) the same batch is made by one {@link Tensor#indexSelect}
 * per tensor instead of a stack of per-sample views. Another sample type takes an explicit {@code
 * collateFn}.
 *
 * <p><b>Prefetch.</b> With {@code prefetch(k)}, {@code k > 0}, each iterator makes its batches on a
 * background daemon thread, at most {@code k} ahead of the consumer. The order is drawn on the calling
 * thread before the thread starts and batches are handed over first-in first-out, so prefetching changes
 * neither the order nor the content of the batches, nor the generator's stream. An exception raised while
 * making a batch is rethrown by {@code next()} at that batch. An iterator abandoned before its end stops
 * its thread once it is garbage-collected.
 *
 * <p><b>Resuming.</b> {@link #orderState()} is the generator state at the start of the current epoch;
 * saved with a checkpoint and given back to {@link #loadOrderState(long[])}, it makes the next epoch
 * replay that epoch's order, and the epochs after it follow as in the original run. {@link
 * #iterator(int)} starts an epoch at a given batch, to skip the batches already trained on.
 *
 * <p><b>Differences.</b> There are no worker processes, samplers, {@code pin_memory} or {@code timeout};
 * {@code prefetch} stands in for {@code num_workers}/{@code prefetch_factor}. When shuffling without a
 * generator, the loader seeds its own generator once, at construction, from {@link
 * Generator#defaultGenerator()} (PyTorch reseeds a fresh one from the global stream every epoch); both are
 * reproducible after {@link Tensor#manualSeed}. Not thread-safe, like PyTorch's; the dataset must allow
 * reads from the prefetch thread.
 */
public final class DataLoader implements Iterable<List<Tensor>> {
  private final Dataset<?> dataset;
  private final Epoch.Batcher batcher;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean dropLast;
  private final int prefetch;
  private final Generator generator;
  private long[] epochStartState;

  /**
   * The options of a {@link DataLoader}, with PyTorch's defaults: {@code batchSize} 1, {@code shuffle}
   * false, {@code dropLast} false, no {@code generator}, and {@code prefetch} 0 (no background thread).
   * The loader copies them, so an options object can be reused.
   */
  public static final class Options {
    private int batchSize = 1;
    private boolean shuffle;
    private boolean dropLast;
    private Generator generator;
    private int prefetch;

    private Options() {}

    /** Samples per batch, PyTorch's {@code batch_size} (default 1); returns this. */
    public Options batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Whether to reshuffle the samples at every epoch (default false); returns this. */
    public Options shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** Whether to drop the last, incomplete batch (default false), PyTorch's {@code drop_last}; returns this. */
    public Options dropLast(boolean dropLast) {
      this.dropLast = dropLast;
      return this;
    }

    /**
     * The generator the shuffling order is drawn from (default: one seeded from the default generator);
     * the loader uses it, and {@link DataLoader#loadOrderState} sets its state. Returns this.
     */
    public Options generator(Generator generator) {
      this.generator = generator;
      return this;
    }

    /** How many batches a background thread may make ahead of the consumer (default 0: none); returns this. */
    public Options prefetch(int prefetch) {
      this.prefetch = prefetch;
      return this;
    }
  }

  /** New options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  /**
   * A loader of {@code dataset} with the default collation (stacking each field).
   *
   * @throws IllegalArgumentException if {@code batchSize < 1} or {@code prefetch < 0}
   */
  public DataLoader(Dataset<? extends List<Tensor>> dataset, Options options) {
    this(dataset, fastPathOrStack(dataset), options);
  }

  /**
   * A loader of {@code dataset} with the given batch size and shuffling and the other options' defaults.
   *
   * @throws IllegalArgumentException if {@code batchSize < 1}
   */
  public DataLoader(Dataset<? extends List<Tensor>> dataset, int batchSize, boolean shuffle) {
    this(dataset, options().batchSize(batchSize).shuffle(shuffle));
  }

  /**
   * A loader of {@code dataset} whose batches are made by {@code collateFn} from the list of samples,
   * PyTorch's {@code collate_fn}.
   *
   * @throws IllegalArgumentException if {@code batchSize < 1} or {@code prefetch < 0}
   */
  public <T> DataLoader(Dataset<T> dataset, Function<? super List<T>, List<Tensor>> collateFn,
      Options options) {
    this(dataset, collating(dataset, Objects.requireNonNull(collateFn, "collateFn must not be null")),
        options);
  }

  private DataLoader(Dataset<?> dataset, Epoch.Batcher batcher, Options options) {
    Objects.requireNonNull(options, "options must not be null");
    if (options.batchSize < 1) {
      throw new IllegalArgumentException(
          "batch_size should be a positive integer value, but got batch_size=" + options.batchSize);
    }
    if (options.prefetch < 0) {
      throw new IllegalArgumentException(
          "prefetch should be a non-negative integer value, but got prefetch=" + options.prefetch);
    }
    this.dataset = dataset;
    this.batcher = batcher;
    this.batchSize = options.batchSize;
    this.shuffle = options.shuffle;
    this.dropLast = options.dropLast;
    this.prefetch = options.prefetch;
    Generator g = options.generator;
    if (shuffle && g == null) {
      g = new Generator(Generator.defaultGenerator().nextLong());
    }
    this.generator = shuffle ? g : null;
  }

  private static Epoch.Batcher fastPathOrStack(Dataset<? extends List<Tensor>> dataset) {
    Objects.requireNonNull(dataset, "dataset must not be null");
    if (dataset instanceof TensorDataset) {
      List<Tensor> tensors = ((TensorDataset) dataset).tensors();
      return indices -> {
        Tensor index = Tensor.of(indices);
        List<Tensor> batch = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
          batch.add(t.indexSelect(0, index));
        }
        return List.copyOf(batch);
      };
    }
    return collating(dataset, DataLoader::defaultCollate);
  }

  private static <T> Epoch.Batcher collating(Dataset<T> dataset,
      Function<? super List<T>, List<Tensor>> collateFn) {
    Objects.requireNonNull(dataset, "dataset must not be null");
    return indices -> {
      List<T> samples = new ArrayList<>(indices.length);
      for (long i : indices) {
        samples.add(dataset.get((int) i));
      }
      return collateFn.apply(samples);
    };
  }

  /**
   * PyTorch's {@code default_collate} for samples that are lists of tensors: field {@code k} of the batch
   * is {@code Tensor.stack} along a new first dimension of field {@code k} of every sample.
   *
   * @throws IllegalArgumentException if there are no samples or they have different numbers of fields
   * @throws IllegalStateException if the tensors of a field differ in shape ({@code Tensor.stack}'s error)
   */
  public static List<Tensor> defaultCollate(List<? extends List<Tensor>> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("cannot collate an empty batch");
    }
    int fields = samples.get(0).size();
    List<Tensor> batch = new ArrayList<>(fields);
    for (int k = 0; k < fields; k++) {
      List<Tensor> column = new ArrayList<>(samples.size());
      for (List<Tensor> sample : samples) {
        if (sample.size() != fields) {
          throw new IllegalArgumentException("each element in list of batch should be of equal size");
        }
        column.add(sample.get(k));
      }
      batch.add(Tensor.stack(column, 0));
    }
    return List.copyOf(batch);
  }

  /** The dataset this loader iterates over. */
  public Dataset<?> dataset() {
    return dataset;
  }

  /** Samples per batch. */
  public int batchSize() {
    return batchSize;
  }

  /** Whether each epoch draws a new random order. */
  public boolean shuffle() {
    return shuffle;
  }

  /** Whether the last, incomplete batch is dropped. */
  public boolean dropLast() {
    return dropLast;
  }

  /** How many batches a background thread may make ahead (0: no thread). */
  public int prefetch() {
    return prefetch;
  }

  /** The number of batches in an epoch, PyTorch's {@code len(loader)}. */
  public int size() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** Starts an epoch: draws its order and returns its batches, as {@code iter(loader)}. */
  @Override
  public Iterator<List<Tensor>> iterator() {
    return iterator(0);
  }

  /**
   * Starts an epoch like {@link #iterator()} — drawing the whole order — but returns its batches from
   * {@code firstBatch} on, without making the ones before it.
   *
   * @throws IndexOutOfBoundsException if {@code firstBatch} is not in {@code [0, size()]}
   */
  public Iterator<List<Tensor>> iterator(int firstBatch) {
    int batches = size();
    if (firstBatch < 0 || firstBatch > batches) {
      throw new IndexOutOfBoundsException(
          "firstBatch " + firstBatch + " is out of range for " + batches + " batches");
    }
    long[] order = drawOrder();
    Epoch epoch = new Epoch(batcher, order, batchSize, firstBatch, batches);
    return prefetch == 0 ? new SequentialIterator(epoch) : new PrefetchIterator(epoch, prefetch);
  }

  /**
   * The data-order state to save with a checkpoint: a copy of the generator state at the start of the
   * current epoch (the last {@link #iterator()} call), or, before the first epoch and right after {@link
   * #loadOrderState}, the state the next epoch will start from. Empty when the loader does not shuffle.
   */
  public long[] orderState() {
    if (!shuffle) {
      return new long[0];
    }
    return epochStartState != null ? epochStartState.clone() : generator.getState();
  }

  /**
   * Restores a state from {@link #orderState()}: the next epoch replays the order of the epoch it was
   * saved in, and later epochs follow as in the original run. This sets the state of the loader's
   * generator.
   *
   * @throws IllegalArgumentException if the state is not one that {@link #orderState()} returns for this
   *     loader (empty when not shuffling, a generator state otherwise)
   */
  public void loadOrderState(long[] state) {
    Objects.requireNonNull(state, "state must not be null");
    if (!shuffle) {
      if (state.length != 0) {
        throw new IllegalArgumentException("this loader does not shuffle; its order state is empty");
      }
      return;
    }
    generator.setState(state);
    epochStartState = null;
  }

  private long[] drawOrder() {
    int n = dataset.size();
    if (!shuffle) {
      long[] order = new long[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      return order;
    }
    epochStartState = generator.getState();
    return Tensor.randperm(generator, n).toLongArray();
  }

  private static final class SequentialIterator implements Iterator<List<Tensor>> {
    private final Epoch epoch;
    private int next;

    SequentialIterator(Epoch epoch) {
      this.epoch = epoch;
      this.next = epoch.first();
    }

    @Override
    public boolean hasNext() {
      return next < epoch.end();
    }

    @Override
    public List<Tensor> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return epoch.batch(next++);
    }
  }
}
