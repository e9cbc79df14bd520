package org.optim4j.bench;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.optim4j.data.DataLoader;
import org.optim4j.data.MNIST;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * Batches per second of a shuffled {@link DataLoader} over the MNIST training subset embedded in
 * optim4j-data (10 000 images, normalised at load time), batch 100: one operation is one {@code next()};
 * every 100th draws the next epoch's order ({@code randperm}), as a training loop's epochs do.
 *
 * <p>A training step of the seed MLP takes milliseconds (see {@link TrainingStepBenchmark}), so a loader
 * making tens of thousands of batches per second costs a few per cent of an epoch at most. Run, for
 * example,
 * <pre>
 * java -jar optim4j-bench/target/benchmarks.jar DataLoaderBenchmark
 * java -jar optim4j-bench/target/benchmarks.jar DataLoaderBenchmark -p prefetch=0 -prof gc
 * </pre>
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per batch (the batch itself is
 * 100 × 784 × 4 + 100 × 8 = 314 400 bytes of data).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataLoaderBenchmark {
  /** Batches a background thread makes ahead ({@code DataLoader.Options.prefetch}); 0: none. */
  @Param({"0", "2"})
  public int prefetch;

  private DataLoader loader;
  private Iterator<List<Tensor>> batches;

  /** Loads the embedded training subset and starts the first epoch. */
  @Setup(Level.Trial)
  public void setUp() {
    loader = new DataLoader(MNIST.embedded(true), DataLoader.options().batchSize(100).shuffle(true)
        .generator(new Generator(2)).prefetch(prefetch));
    batches = loader.iterator();
  }

  /** The next batch, starting a new epoch when the current one is over. */
  @Benchmark
  public List<Tensor> nextBatch() {
    if (!batches.hasNext()) {
      batches = loader.iterator();
    }
    return batches.next();
  }
}
