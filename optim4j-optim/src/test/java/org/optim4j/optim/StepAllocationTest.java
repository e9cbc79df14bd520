package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * Bytes allocated per {@code optimizer.step()} once the state exists, on the calling thread and on
 * {@code Parallel}'s workers, measured with {@code com.sun.management.ThreadMXBean}: every element-wise optimizer
 * (Adam and SGD with momentum also with bfloat16 state, RMSprop also centered with momentum), on one parameter of
 * 1 000 000 elements and on 200 of 5 000 (sizes that the workers share). The multi-tensor path allocates nothing;
 * the bound is the performance issue's (16 bytes per step, JMH's {@code gc.alloc.rate.norm} in
 * {@code OptimizerStepBenchmark}). Surefire runs this class with {@code -XX:-DoEscapeAnalysis}, so that an
 * allocation only the JIT's escape analysis removes (and only when the call is inlined, which a loaded machine may
 * not do) fails here rather than now and then; the run with {@code jdk.incubator.vector} repeats it with the
 * Vector API kernels (whose vectors need escape analysis).
 */
class StepAllocationTest {
  /** The bound per step. */
  private static final long MAX_BYTES_PER_STEP = 16;
  private static final int STEPS = 2_000;

  static Stream<Arguments> optimizers() {
    List<Arguments> cases = new ArrayList<>();
    for (int tensors : new int[] {1, 200}) {
      int elements = tensors == 1 ? 1_000_000 : 5_000;
      cases.add(Arguments.of("Adam", Map.of("lr", 1e-3), tensors, elements));
      cases.add(Arguments.of("AdamW", Map.of("lr", 1e-3), tensors, elements));
      cases.add(Arguments.of("SGD", Map.of("lr", 1e-3, "momentum", 0.9), tensors, elements));
      cases.add(Arguments.of("Adam", Map.of("lr", 1e-3, "state_dtype", "bfloat16"), tensors, elements));
      cases.add(Arguments.of("SGD", Map.of("lr", 1e-3, "momentum", 0.9, "state_dtype", "bfloat16"), tensors,
          elements));
      for (String other : new String[] {"Adamax", "Adadelta", "Adagrad", "RMSprop", "Rprop", "ASGD", "NAdam",
          "RAdam"}) {
        cases.add(Arguments.of(other, Map.of("lr", 1e-3), tensors, elements));
      }
      cases.add(Arguments.of("RMSprop", Map.of("lr", 1e-3, "centered", true, "momentum", 0.9), tensors, elements));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}x{3}")
  @MethodSource("optimizers")
  void stepAllocatesNothing(String name, Map<String, Object> options, int tensors, int elements) {
    Generator g = new Generator(0);
    List<Tensor> params = new ArrayList<>();
    for (int i = 0; i < tensors; i++) {
      Tensor p = Tensor.randn(g, DType.FLOAT32, elements).requiresGrad_(true);
      p.setGrad(Tensor.randn(g, DType.FLOAT32, elements));
      params.add(p);
    }
    Optimizer optimizer = Optimizers.create(name, params, options);
    // Warm up until a window of steps allocates nothing (or give up after many): code compiled late by C2 (the
    // Vector API kernels allocate their vectors until it is) must not make the test flaky.
    for (int window = 0; window < 40; window++) {
      AllocationMeter warm = AllocationMeter.start();
      for (int s = 0; s < STEPS / 4; s++) {
        optimizer.step();
      }
      if (warm.stop() == 0) {
        break;
      }
    }
    AllocationMeter meter = AllocationMeter.start();
    for (int s = 0; s < STEPS; s++) {
      optimizer.step();
    }
    double perStep = (double) meter.stop() / STEPS;
    System.out.printf("%s %s %dx%d: %.2f bytes per step%n", name, options, tensors, elements, perStep);
    assertTrue(perStep < MAX_BYTES_PER_STEP, name + " allocates " + perStep + " bytes per step");
  }
}
