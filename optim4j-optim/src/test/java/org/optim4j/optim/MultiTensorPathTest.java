package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.optim4j.optim.internal.Bf16StateKernels;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * The default multi-tensor path against the per-tensor reference path ({@code foreach=False}): for every
 * element-wise optimizer and every option that changes its kernel, in float32, float64 and a mixed group, the
 * parameters and every state value must be bit-identical after each of several steps. The parameters have
 * different sizes (two of them larger than a thread's grain, so that the static split spans segments), and
 * some gradients are missing at some steps, so that the parameters' step counts differ.
 *
 * <p>Each last step, when every parameter has its state, must also allocate (almost) nothing: that is only
 * true of the multi-tensor path, so a configuration that silently took the per-tensor path fails. (Not with
 * the Vector API's bfloat16 kernels, which allocate until C2 compiles them.)
 */
class MultiTensorPathTest {
  private static final int[][] SHAPES = {{70_000}, {3, 5}, {40_001}, {1}, {2, 3, 4}};
  private static final int STEPS = 8;
  /** Bytes a step of the multi-tensor path may allocate: room for the measurement itself only. */
  private static final long MAX_BYTES_LAST_STEP = 1024;

  static Stream<Arguments> configurations() {
    List<Arguments> cases = new ArrayList<>();
    add(cases, "SGD", opts("lr", 0.01));
    add(cases, "SGD", opts("lr", 0.01, "momentum", 0.9));
    add(cases, "SGD", opts("lr", 0.01, "momentum", 0.9, "dampening", 0.1, "weight_decay", 0.01));
    add(cases, "SGD", opts("lr", 0.01, "momentum", 0.9, "nesterov", true, "weight_decay", 0.01, "maximize", true));
    add(cases, "SGD", opts("lr", 0.01, "weight_decay", 0.01, "maximize", true));
    add(cases, "Adam", opts("lr", 0.01));
    add(cases, "Adam", opts("lr", 0.01, "amsgrad", true));
    add(cases, "Adam", opts("lr", 0.01, "weight_decay", 0.1));
    add(cases, "Adam", opts("lr", 0.01, "weight_decay", 0.1, "decoupled_weight_decay", true, "maximize", true));
    add(cases, "Adam", opts("lr", 0.01, "betas", List.of(0.5, 0.6), "amsgrad", true, "maximize", true, "eps", 1e-3));
    add(cases, "AdamW", opts("lr", 0.01));
    add(cases, "AdamW", opts("lr", 0.01, "amsgrad", true, "weight_decay", 0.1, "maximize", true));
    add(cases, "Adamax", opts("lr", 0.01));
    add(cases, "Adamax", opts("lr", 0.01, "weight_decay", 0.1, "maximize", true));
    add(cases, "Adadelta", opts("lr", 1.0));
    add(cases, "Adadelta", opts("lr", 1.0, "weight_decay", 0.1, "maximize", true, "rho", 0.5));
    add(cases, "Adagrad", opts("lr", 0.1));
    add(cases, "Adagrad", opts("lr", 0.1, "lr_decay", 0.01, "weight_decay", 0.1, "initial_accumulator_value", 0.1,
        "maximize", true));
    add(cases, "RMSprop", opts("lr", 0.01));
    add(cases, "RMSprop", opts("lr", 0.01, "centered", true));
    add(cases, "RMSprop", opts("lr", 0.01, "momentum", 0.9));
    add(cases, "RMSprop", opts("lr", 0.01, "centered", true, "momentum", 0.9, "weight_decay", 0.1,
        "maximize", true));
    add(cases, "Rprop", opts("lr", 0.01));
    add(cases, "Rprop", opts("lr", 0.01, "etas", List.of(0.4, 1.5), "step_sizes", List.of(1e-4, 0.02),
        "maximize", true));
    add(cases, "ASGD", opts("lr", 0.01));
    add(cases, "ASGD", opts("lr", 0.01, "t0", 2.0, "lambd", 0.01, "weight_decay", 0.1, "maximize", true));
    add(cases, "NAdam", opts("lr", 0.01));
    add(cases, "NAdam", opts("lr", 0.01, "weight_decay", 0.1, "momentum_decay", 0.01));
    add(cases, "NAdam", opts("lr", 0.01, "weight_decay", 0.1, "decoupled_weight_decay", true, "maximize", true));
    add(cases, "RAdam", opts("lr", 0.01, "betas", List.of(0.9, 0.9)));
    add(cases, "RAdam", opts("lr", 0.01, "betas", List.of(0.9, 0.9), "weight_decay", 0.1));
    add(cases, "RAdam", opts("lr", 0.01, "betas", List.of(0.9, 0.9), "weight_decay", 0.1,
        "decoupled_weight_decay", true, "maximize", true));
    // bfloat16 state (an optim4j extension) for float32 parameters: the per-tensor path decodes, runs the float32
    // kernel and rounds back; the multi-tensor path runs the bfloat16-state kernels
    addBf16(cases, "Adam", opts("lr", 0.01, "state_dtype", "bfloat16"));
    addBf16(cases, "Adam", opts("lr", 0.01, "state_dtype", "bfloat16", "amsgrad", true, "maximize", true));
    addBf16(cases, "Adam", opts("lr", 0.01, "state_dtype", "bfloat16", "weight_decay", 0.1));
    addBf16(cases, "AdamW", opts("lr", 0.01, "state_dtype", "bfloat16"));
    addBf16(cases, "AdamW", opts("lr", 0.01, "state_dtype", "bfloat16", "amsgrad", true, "betas", List.of(0.3, 0.4)));
    addBf16(cases, "SGD", opts("lr", 0.01, "state_dtype", "bfloat16", "momentum", 0.9));
    addBf16(cases, "SGD", opts("lr", 0.01, "state_dtype", "bfloat16", "momentum", 0.9, "dampening", 0.1,
        "weight_decay", 0.01, "maximize", true));
    addBf16(cases, "SGD", opts("lr", 0.01, "state_dtype", "bfloat16", "momentum", 0.9, "nesterov", true));
    return cases.stream();
  }

  private static void add(List<Arguments> cases, String name, Map<String, Object> options) {
    for (String dtypes : new String[] {"float32", "float64", "mixed"}) {
      cases.add(Arguments.of(name, options, dtypes));
    }
  }

  private static void addBf16(List<Arguments> cases, String name, Map<String, Object> options) {
    cases.add(Arguments.of(name, options, "float32"));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("configurations")
  void multiTensorAndPerTensorPathsAgreeBitForBit(String name, Map<String, Object> options, String dtypes) {
    List<Tensor> fastParams = params(dtypes);
    List<Tensor> referenceParams = new ArrayList<>();
    for (Tensor p : fastParams) {
      referenceParams.add(p.detach().clone().requiresGrad_(true));
    }
    Map<String, Object> reference = new LinkedHashMap<>(options);
    reference.put("foreach", false);
    Optimizer fast = Optimizers.create(name, fastParams, options);
    Optimizer slow = Optimizers.create(name, referenceParams, reference);
    Generator g = new Generator(7);
    long lastStepBytes = 0;
    for (int step = 0; step < STEPS; step++) {
      for (int i = 0; i < fastParams.size(); i++) {
        Tensor grad = Tensor.randn(g, fastParams.get(i).dtype(), fastParams.get(i).shape());
        boolean missing = (i == 1 && step % 3 == 0) || (i == 3 && step == 2);
        fastParams.get(i).setGrad(missing ? null : grad);
        referenceParams.get(i).setGrad(missing ? null : grad.clone());
      }
      AllocationMeter meter = AllocationMeter.start();
      fast.step();
      lastStepBytes = meter.stop();
      slow.step();
      for (int i = 0; i < fastParams.size(); i++) {
        String where = name + " " + options + " " + dtypes + ", step " + step + ", param " + i;
        assertBitsEqual(referenceParams.get(i), fastParams.get(i), where);
        assertStateEqual(slow.state(referenceParams.get(i)), fast.state(fastParams.get(i)), where);
      }
    }
    // Vector API code allocates its vectors until C2 has compiled it, which eight steps do not give it time to do;
    // StepAllocationTest checks the bfloat16 kernels after warm-up.
    boolean coldVectorCode = options.containsKey("state_dtype") && !(Bf16StateKernels.INSTANCE
        instanceof Bf16StateKernels.Plain);
    assertTrue(coldVectorCode || lastStepBytes < MAX_BYTES_LAST_STEP,
        name + " " + options + " allocated " + lastStepBytes + " bytes: not the multi-tensor path");
  }

  private static List<Tensor> params(String dtypes) {
    Generator g = new Generator(3);
    List<Tensor> params = new ArrayList<>();
    for (int i = 0; i < SHAPES.length; i++) {
      DType dt = dtypes.equals("float64") || (dtypes.equals("mixed") && i % 2 == 1) ? DType.FLOAT64 : DType.FLOAT32;
      params.add(Tensor.randn(g, dt, SHAPES[i]).requiresGrad_(true));
    }
    return params;
  }

  private static void assertStateEqual(Map<String, Object> expected, Map<String, Object> actual, String where) {
    assertEquals(expected.keySet(), actual.keySet(), where + ": state keys");
    for (Map.Entry<String, Object> e : expected.entrySet()) {
      Object a = actual.get(e.getKey());
      if (e.getValue() instanceof Tensor t) {
        assertEquals(t.dtype(), ((Tensor) a).dtype(), where + ": dtype of " + e.getKey());
        assertBitsEqual(t, (Tensor) a, where + ": " + e.getKey());
      } else {
        assertEquals(e.getValue(), a, where + ": " + e.getKey());
      }
    }
  }

  /** Bitwise equality: {@code Arrays.equals} on doubles compares the bits (−0 differs from 0). */
  private static void assertBitsEqual(Tensor expected, Tensor actual, String where) {
    assertArrayEquals(expected.shape(), actual.shape(), where + ": shape");
    assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), where);
  }

  private static Map<String, Object> opts(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
