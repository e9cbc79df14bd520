package org.optim4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.Optimizers;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * One optimizer over float32 parameters whose gradients are fixed, with its state already created: the
 * workload of {@link OptimizerStepBenchmark} and of {@link Workloads}' {@code optim} runs, and the same as
 * {@code bench/torch_workloads.py optim} builds in PyTorch.
 *
 * <p>{@code elements} values are split into {@code tensors} parameters of (nearly) equal length; parameters
 * and gradients are drawn from N(0, 1) with a fixed seed (the gradients scaled by 10⁻³). The optimizer is
 * made through the public API ({@link Optimizers#create}) with these keyword arguments, the same in the
 * Python runner:
 *
 * <table>
 * <caption>Optimizers and their options</caption>
 * <tr><th>name</th><th>options</th><th>bytes moved per element and step</th></tr>
 * <tr><td>Adam</td><td>PyTorch's defaults (lr 0.001)</td><td>28 (read θ, g, m, v; write θ, m, v)</td></tr>
 * <tr><td>AdamW</td><td>PyTorch's defaults (lr 0.001, weight_decay 0.01)</td><td>28</td></tr>
 * <tr><td>SGD</td><td>lr 0.01, momentum 0.9</td><td>20 (read θ, g, buf; write θ, buf)</td></tr>
 * <tr><td>Adagrad</td><td>PyTorch's defaults (lr 0.01)</td><td>20 (read θ, g, sum; write θ, sum)</td></tr>
 * <tr><td>RMSprop</td><td>PyTorch's defaults (lr 0.01, alpha 0.99)</td><td>20 (read θ, g, v; write θ, v)</td></tr>
 * </table>
 *
 * <p>With {@code state_dtype=bfloat16} (an optim4j option; see {@link #extraOptions}) Adam's two moments are
 * 2-byte values, so a step moves 20 bytes per element.
 */
final class OptimizerWorkload {
  /** The optimizers the benchmarks know, in the order of the tables. */
  static final List<String> NAMES = List.of("Adam", "AdamW", "SGD", "Adagrad", "RMSprop");

  final String name;
  final List<Tensor> params;
  final Optimizer optimizer;
  final long elements;

  /**
   * Builds the parameters, their gradients and the optimizer, then steps {@code setupSteps} times so that
   * the state exists.
   *
   * @param extraOptions keyword arguments added to the table's (such as {@code state_dtype})
   * @throws IllegalArgumentException for an unknown name, or options the optimizer rejects
   */
  OptimizerWorkload(String name, int elements, int tensors, Map<String, ?> extraOptions, int setupSteps) {
    if (tensors < 1 || elements < tensors) {
      throw new IllegalArgumentException("need 1 <= tensors <= elements, got " + tensors + " tensors of "
          + elements + " elements");
    }
    this.name = name;
    this.elements = elements;
    Map<String, Object> options = options(name);
    options.putAll(extraOptions);
    Generator g = new Generator(1234);
    params = new ArrayList<>(tensors);
    for (int i = 0; i < tensors; i++) {
      int n = elements / tensors + (i < elements % tensors ? 1 : 0);
      Tensor p = Tensor.randn(g, DType.FLOAT32, n).requiresGrad_(true);
      p.setGrad(Tensor.randn(g, DType.FLOAT32, n).mul_(1e-3));
      params.add(p);
    }
    optimizer = Optimizers.create(name, params, options);
    for (int i = 0; i < setupSteps; i++) {
      step();
    }
  }

  /** The keyword arguments of {@code name} (a new, mutable map). */
  static Map<String, Object> options(String name) {
    Map<String, Object> o = new LinkedHashMap<>();
    switch (name) {
      case "Adam", "AdamW", "Adagrad", "RMSprop" -> { }
      case "SGD" -> {
        o.put("lr", 0.01);
        o.put("momentum", 0.9);
      }
      default -> throw new IllegalArgumentException("unknown optimizer workload '" + name + "'; known: "
          + String.join(", ", NAMES));
    }
    return o;
  }

  /**
   * The extra keyword arguments for a state dtype: none for {@code float32}, {@code state_dtype} otherwise.
   */
  static Map<String, Object> extraOptions(String stateDtype) {
    Map<String, Object> o = new LinkedHashMap<>();
    if (!stateDtype.equals("float32")) {
      o.put("state_dtype", stateDtype);
    }
    return o;
  }

  /** Bytes read and written per element by one step (see the class table). */
  static int bytesPerElement(String name, String stateDtype) {
    int stateBytes = stateDtype.equals("float32") ? 4 : 2;
    int stateTensors = name.startsWith("Adam") ? 2 : 1;
    return 3 * 4 + stateTensors * 2 * stateBytes;
  }

  /**
   * One optimizer step, called as a training loop calls it: {@code step()} disables gradient recording itself,
   * so no {@code GradMode} scope (whose guard object would be the only allocation per step).
   */
  void step() {
    optimizer.step();
  }
}
