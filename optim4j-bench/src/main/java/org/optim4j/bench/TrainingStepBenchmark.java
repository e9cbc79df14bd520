package org.optim4j.bench;

import java.util.ArrayList;
import java.util.List;
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
import org.optim4j.data.MNIST;
import org.optim4j.nn.Loss;
import org.optim4j.nn.Sequential;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.Optimizers;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.internal.Parallel;
import org.optim4j.train.Models;

/**
 * Time of one training step of a seed model at batch 100: {@code zeroGrad}, forward, cross-entropy,
 * backward and an SGD(lr=0.1, momentum=0.9, weight_decay=5e-4) step, the model in training mode (the MLP's
 * dropout active). The models are those of {@code optim4j train --model mlp|cnn} ({@link Models#create}).
 *
 * <p>The batches are the embedded MNIST training subset (10 000 images) cut into 100 fixed batches of
 * 100, taken in turn, so the model keeps training on real data; loading and shuffling are not timed (see
 * {@link DataLoaderBenchmark}). An epoch of the full MNIST is 600 such steps. Run, for example,
 * <pre>
 * java -jar optim4j-bench/target/benchmarks.jar TrainingStepBenchmark
 * java -jar optim4j-bench/target/benchmarks.jar TrainingStepBenchmark -p model=mlp -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class TrainingStepBenchmark {
  private static final int BATCH = 100;

  /** {@code mlp} or {@code cnn}, as the command line names them. */
  @Param({"mlp", "cnn"})
  public String model;

  /** Threads for {@link Parallel#setThreads}; 0 keeps the default (every available processor). */
  @Param({"0"})
  public int threads;

  private Sequential net;
  private Loss lossFn;
  private Optimizer optimizer;
  private final List<Tensor> inputs = new ArrayList<>();
  private final List<Tensor> targets = new ArrayList<>();
  private int next;

  /** Builds the model, its loss and optimizer, and cuts the embedded training subset into batches. */
  @Setup(Level.Trial)
  public void setUp() {
    if (threads > 0) {
      Parallel.setThreads(threads);
    }
    net = Models.create(model, new Generator(0), new Generator(1));
    net.train();
    lossFn = Models.loss(Models.spec(model).task());
    optimizer = Optimizers.create("SGD", net.parameters(), Map.of("lr", 0.1, "momentum", 0.9,
        "weight_decay", 5e-4));
    MNIST train = MNIST.embedded(true);
    for (int b = 0; b + BATCH <= train.size(); b += BATCH) {
      inputs.add(train.images().narrow(0, b, BATCH).contiguous());
      targets.add(train.targets().narrow(0, b, BATCH).contiguous());
    }
  }

  /** One step on the next batch; returns the loss. */
  @Benchmark
  public Tensor step() {
    Tensor x = inputs.get(next);
    Tensor y = targets.get(next);
    next = (next + 1) % inputs.size();
    optimizer.zeroGrad();
    Tensor loss = lossFn.apply(net.apply(x), y);
    loss.backward();
    optimizer.step();
    return loss;
  }
}
