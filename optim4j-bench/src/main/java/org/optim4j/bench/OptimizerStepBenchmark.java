package org.optim4j.bench;

import java.util.Map;
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
import org.optim4j.tensor.internal.Parallel;

/**
 * Time of one {@code optimizer.step()} through the public API, with the optimizer's state already
 * created and the gradients fixed (see {@link OptimizerWorkload} for the options of each optimizer and the
 * bytes a step moves), over {@code elements} float32 values held as one tensor or as {@code tensors}
 * tensors of the same total size.
 *
 * <p>Achieved bandwidth = bytes per element × elements ÷ time per step; for example Adam (28 B/element)
 * at 16 000 000 elements and 10 ms/op moves 44.8 GB/s. Compare with the machine's STREAM triad ({@code
 * bench/compare-pytorch.sh} measures it). Run, for example,
 * <pre>
 * java -jar optim4j-bench/target/benchmarks.jar OptimizerStepBenchmark -p optimizer=Adam,SGD -p elements=16000000
 * java -jar optim4j-bench/target/benchmarks.jar OptimizerStepBenchmark -p elements=1000000 -p tensors=200 -prof gc
 * </pre>
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per step (on every thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class OptimizerStepBenchmark {
  /** PyTorch's class name; SGD runs with momentum 0.9. */
  @Param({"Adam", "AdamW", "SGD", "Adagrad", "RMSprop"})
  public String optimizer;

  /** float32 values in all. */
  @Param({"10000", "100000", "1000000", "16000000"})
  public int elements;

  /** How many parameter tensors hold them. */
  @Param({"1", "200"})
  public int tensors;

  /** Threads for {@link Parallel#setThreads}; 0 keeps the default (every available processor). */
  @Param({"0"})
  public int threads;

  private OptimizerWorkload workload;

  /** Builds the parameters, gradients and optimizer, and steps twice so that the state exists. */
  @Setup(Level.Trial)
  public void setUp() {
    if (threads > 0) {
      Parallel.setThreads(threads);
    }
    workload = new OptimizerWorkload(optimizer, elements, tensors, Map.of(), 2);
  }

  /** One step over every parameter. */
  @Benchmark
  public void step() {
    workload.step();
  }
}
