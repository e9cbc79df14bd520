package org.optim4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.optim4j.tensor.internal.Gemm;
import org.optim4j.tensor.internal.Parallel;

/**
 * Throughput of {@link Gemm} (the backend in use, pure Java by default) on square products
 * {@code C ← A·B} of size n×n×n, in float32 and float64.
 *
 * <p>One operation is one product of {@code 2n³} floating-point operations, so
 * <pre>
 * GFLOP/s = ops/s × 2·n³ / 10⁹      (n = 256: × 0.0336,  n = 512: × 0.268,  n = 1024: × 2.147)
 * </pre>
 * Run, for example,
 * <pre>
 * java -jar optim4j-bench/target/benchmarks.jar GemmBenchmark -f 1 -wi 2 -i 3 -p size=1024
 * java -jar optim4j-bench/target/benchmarks.jar GemmBenchmark -p size=1024 -p threads=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GemmBenchmark {
  /** n: the product is n×n times n×n. */
  @Param({"256", "512", "1024"})
  public int size;

  /** Threads for {@link Parallel#setThreads}; 0 keeps the default (every available processor). */
  @Param({"0"})
  public int threads;

  private float[] a32;
  private float[] b32;
  private float[] c32;
  private double[] a64;
  private double[] b64;
  private double[] c64;

  /** Fills A and B with uniform values in [-1, 1) and sets the thread count. */
  @Setup
  public void setUp() {
    if (threads > 0) {
      Parallel.setThreads(threads);
    }
    SplittableRandom random = new SplittableRandom(42);
    int len = size * size;
    a32 = new float[len];
    b32 = new float[len];
    c32 = new float[len];
    a64 = new double[len];
    b64 = new double[len];
    c64 = new double[len];
    for (int i = 0; i < len; i++) {
      a64[i] = random.nextDouble(-1, 1);
      b64[i] = random.nextDouble(-1, 1);
      a32[i] = (float) a64[i];
      b32[i] = (float) b64[i];
    }
  }

  /** One float32 product; returns C so that it cannot be optimised away. */
  @Benchmark
  public float[] float32() {
    Gemm.gemm(false, false, size, size, size, 1f, a32, 0, size, b32, 0, size, 0f, c32, 0, size);
    return c32;
  }

  /** One float64 product; returns C so that it cannot be optimised away. */
  @Benchmark
  public double[] float64() {
    Gemm.gemm(false, false, size, size, size, 1.0, a64, 0, size, b64, 0, size, 0.0, c64, 0, size);
    return c64;
  }
}
