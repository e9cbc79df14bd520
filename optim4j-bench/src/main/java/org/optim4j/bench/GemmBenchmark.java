package org.optim4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.optim4j.blas.OpenBlasBackend;
import org.optim4j.tensor.internal.Gemm;
import org.optim4j.tensor.internal.Parallel;

/**
 * Throughput of {@link Gemm} with each backend, the pure-Java kernel and OpenBLAS (optim4j-blas), on square
 * products and on the products that training the seed models computes, in float32 and float64.
 *
 * <p>Besides ops/s (products per second), every benchmark reports the secondary result {@code gflops}: 10⁹
 * floating-point operations per second, counting {@code 2·m·n·k} per product. The shapes, batch 100:
 * <pre>
 * shape               C[m×n] ← op(A)·op(B)                   m      n      k
 * SQUARE_256          A·B                                   256    256    256
 * SQUARE_1024         A·B                                  1024   1024   1024
 * MLP_FC1_FORWARD     x·W₁ᵀ        Linear(784, 512)        100    512    784
 * MLP_FC1_GRAD_INPUT  g·W₁                                 100    784    512
 * MLP_FC1_GRAD_WEIGHT gᵀ·x                                 512    784    100
 * MLP_FC2_FORWARD     x·W₂ᵀ        Linear(512, 256)        100    256    512
 * MLP_FC2_GRAD_INPUT  g·W₂                                 100    512    256
 * MLP_FC2_GRAD_WEIGHT gᵀ·x                                 256    512    100
 * MLP_FC3_FORWARD     x·W₃ᵀ        Linear(256, 10)         100     10    256
 * MLP_FC3_GRAD_INPUT  g·W₃                                 100    256     10
 * MLP_FC3_GRAD_WEIGHT gᵀ·x                                  10    256    100
 * CNN_CONV1_FORWARD   W·cols       Conv2d(1, 32, 5), 28²    32  57600     25
 * CNN_CONV1_GRAD_WEIGHT g·colsᵀ                              32     25  57600
 * CNN_CONV2_FORWARD   W·cols       Conv2d(32, 64, 5), 8²    64   1600    800
 * CNN_CONV2_GRAD_WEIGHT g·colsᵀ                              64    800   1600
 * CNN_CONV2_GRAD_INPUT  Wᵀ·g                               800   1600     64
 * </pre>
 * The MLP is the seed lab's (Flatten, Linear(784, 512), ReLU, Dropout, Linear(512, 256), ReLU, Dropout,
 * Linear(256, 10)); its first layer's input gradient is not needed in training but measured all the same. The
 * CNN is the lecture's {@code Net}; im2col puts the whole batch of 100 images side by side in one column
 * matrix, so each convolution is one product per pass (the first layer needs no input gradient). Run, for
 * example,
 * <pre>
 * java -jar optim4j-bench/target/benchmarks.jar GemmBenchmark.float32 -p shape=SQUARE_1024
 * java -jar optim4j-bench/target/benchmarks.jar GemmBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1 -p threads=1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GemmBenchmark {
  /** A product {@code C[m×n] ← op(A)·op(B)} with the sizes and transposes of the table above. */
  public enum Shape {
    SQUARE_256(256, 256, 256, false, false),
    SQUARE_1024(1024, 1024, 1024, false, false),
    MLP_FC1_FORWARD(100, 512, 784, false, true),
    MLP_FC1_GRAD_INPUT(100, 784, 512, false, false),
    MLP_FC1_GRAD_WEIGHT(512, 784, 100, true, false),
    MLP_FC2_FORWARD(100, 256, 512, false, true),
    MLP_FC2_GRAD_INPUT(100, 512, 256, false, false),
    MLP_FC2_GRAD_WEIGHT(256, 512, 100, true, false),
    MLP_FC3_FORWARD(100, 10, 256, false, true),
    MLP_FC3_GRAD_INPUT(100, 256, 10, false, false),
    MLP_FC3_GRAD_WEIGHT(10, 256, 100, true, false),
    CNN_CONV1_FORWARD(32, 57600, 25, false, false),
    CNN_CONV1_GRAD_WEIGHT(32, 25, 57600, false, true),
    CNN_CONV2_FORWARD(64, 1600, 800, false, false),
    CNN_CONV2_GRAD_WEIGHT(64, 800, 1600, false, true),
    CNN_CONV2_GRAD_INPUT(800, 1600, 64, true, false);

    final int m;
    final int n;
    final int k;
    final boolean transA;
    final boolean transB;

    Shape(int m, int n, int k, boolean transA, boolean transB) {
      this.m = m;
      this.n = n;
      this.k = k;
      this.transA = transA;
      this.transB = transB;
    }

    int lda() {
      return transA ? m : k;
    }

    int ldb() {
      return transB ? k : n;
    }

    /** Floating-point operations of one product, in units of 10⁹. */
    double gigaFlop() {
      return 2.0 * m * n * k * 1e-9;
    }
  }

  /** The backend: {@code java} (the pure-Java kernel) or {@code native} (OpenBLAS; fails if it cannot load). */
  @Param({"java", "native"})
  public String backend;

  /** The product. */
  @Param
  public Shape shape;

  /** Threads for {@link Parallel#setThreads}; 0 keeps the default (every available processor). */
  @Param({"0"})
  public int threads;

  private float[] a32;
  private float[] b32;
  private float[] c32;
  private double[] a64;
  private double[] b64;
  private double[] c64;

  /** Floating-point operations done, reported per second as the secondary result {@code gflops}. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    /** 10⁹ floating-point operations done so far in the iteration. */
    public double gflops;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      gflops = 0;
    }
  }

  /** Installs the backend, sets the thread count and fills A and B with uniform values in [-1, 1). */
  @Setup
  public void setUp() {
    Gemm.setBackend("native".equals(backend) ? new OpenBlasBackend() : Gemm.javaBackend());
    if (threads > 0) {
      Parallel.setThreads(threads);
    }
    SplittableRandom random = new SplittableRandom(42);
    a64 = new double[shape.m * shape.k];
    b64 = new double[shape.k * shape.n];
    c64 = new double[shape.m * shape.n];
    a32 = new float[a64.length];
    b32 = new float[b64.length];
    c32 = new float[c64.length];
    for (int i = 0; i < a64.length; i++) {
      a64[i] = random.nextDouble(-1, 1);
      a32[i] = (float) a64[i];
    }
    for (int i = 0; i < b64.length; i++) {
      b64[i] = random.nextDouble(-1, 1);
      b32[i] = (float) b64[i];
    }
  }

  /** One float32 product; returns C so that it cannot be optimised away. */
  @Benchmark
  public float[] float32(Flops flops) {
    Shape s = shape;
    Gemm.gemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a32, 0, s.lda(), b32, 0, s.ldb(), 0f, c32, 0, s.n);
    flops.gflops += s.gigaFlop();
    return c32;
  }

  /** One float64 product; returns C so that it cannot be optimised away. */
  @Benchmark
  public double[] float64(Flops flops) {
    Shape s = shape;
    Gemm.gemm(s.transA, s.transB, s.m, s.n, s.k, 1.0, a64, 0, s.lda(), b64, 0, s.ldb(), 0.0, c64, 0, s.n);
    flops.gflops += s.gigaFlop();
    return c64;
  }
}
