/**
 * Benchmarks: the figures behind every claim of speed in optim4j.
 *
 * <ul>
 * <li>JMH benchmarks: {@link org.optim4j.bench.OptimizerStepBenchmark} (one {@code optimizer.step()} of
 *     Adam, AdamW, SGD with momentum, Adagrad and RMSprop over 10⁴ to 1.6·10⁷ float32 values as one tensor
 *     or 200), {@link org.optim4j.bench.TrainingStepBenchmark} (one training step of the seed MLP and CNN at
 *     batch 100), {@link org.optim4j.bench.DataLoaderBenchmark} (batches per second of a shuffled loader over
 *     the embedded MNIST) and {@link org.optim4j.bench.GemmBenchmark} (the matrix-product kernel).
 * <li>{@link org.optim4j.bench.Workloads}: a plain main that runs one workload and prints its time as a JSON
 *     line, for {@code bench/compare-pytorch.sh}, which alternates it with the same workloads in PyTorch.
 * </ul>
 *
 * <p>Build the runnable jar with {@code mvn -pl optim4j-bench -am package -DskipTests} and run {@code java
 * -jar optim4j-bench/target/benchmarks.jar [regexp] [JMH options]}, for example
 * <pre>
 * java -jar optim4j-bench/target/benchmarks.jar OptimizerStepBenchmark -p optimizer=Adam -p elements=16000000
 * java -jar optim4j-bench/target/benchmarks.jar TrainingStepBenchmark -prof gc
 * java -jar optim4j-bench/target/benchmarks.jar -l          (lists the benchmarks)
 * </pre>
 *
 * <p><b>Allocation.</b> JMH's GC profiler ({@code -prof gc}) adds, per benchmark, {@code gc.alloc.rate}
 * (MB/s) and {@code gc.alloc.rate.norm}: the bytes allocated per operation, on every thread of the JVM
 * (so the optimizer's worker threads count too); {@code gc.count} and {@code gc.time} say whether the
 * collector ran during the measurement. A step that allocates nothing shows {@code gc.alloc.rate.norm}
 * close to 0 (JMH's own bookkeeping leaves a few bytes per operation at most).
 *
 * <p>Role: measurement only. Allowed dependencies: every optim4j module, including optim4j-cli for the
 * seed models and the training loop ({@code org.optim4j.train}), and JMH; nothing depends on this package.
 */
package org.optim4j.bench;
