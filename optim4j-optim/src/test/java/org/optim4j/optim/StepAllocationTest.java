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
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * Bytes allocated per {@code optimizer.step()} once the state exists, on the calling thread and on
 * {@code Parallel}'s workers, measured with {@code com.sun.management.ThreadMXBean}: the multi-tensor path
 * allocates nothing, so the bound only leaves room for the measurement itself.
 */
class StepAllocationTest {
  /** The bound per step: generous, yet far below what gathering lists or tensors per step costs. */
  private static final long MAX_BYTES_PER_STEP = 1024;
  private static final int STEPS = 2_000;

  static Stream<Arguments> optimizers() {
    List<Arguments> cases = new ArrayList<>();
    for (int tensors : new int[] {1, 200}) {
      cases.add(Arguments.of("Adam", Map.of("lr", 1e-3), tensors));
      cases.add(Arguments.of("AdamW", Map.of("lr", 1e-3), tensors));
      cases.add(Arguments.of("SGD", Map.of("lr", 1e-3, "momentum", 0.9), tensors));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} x{2}")
  @MethodSource("optimizers")
  void stepAllocatesNothing(String name, Map<String, Object> options, int tensors) {
    Generator g = new Generator(0);
    List<Tensor> params = new ArrayList<>();
    for (int i = 0; i < tensors; i++) {
      Tensor p = Tensor.randn(g, DType.FLOAT32, 1000).requiresGrad_(true);
      p.setGrad(Tensor.randn(g, DType.FLOAT32, 1000));
      params.add(p);
    }
    Optimizer optimizer = Optimizers.create(name, params, options);
    double perStep;
    try (var noGrad = GradMode.noGrad()) {
      for (int s = 0; s < STEPS; s++) {
        optimizer.step();
      }
      AllocationMeter meter = AllocationMeter.start();
      for (int s = 0; s < STEPS; s++) {
        optimizer.step();
      }
      perStep = (double) meter.stop() / STEPS;
    }
    System.out.printf("%s x%d: %.2f bytes per step%n", name, tensors, perStep);
    assertTrue(perStep < MAX_BYTES_PER_STEP, name + " allocates " + perStep + " bytes per step");
  }
}
