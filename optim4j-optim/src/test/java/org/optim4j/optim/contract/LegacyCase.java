package org.optim4j.optim.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.Optimizers;
import org.optim4j.optim.contract.OptimizerInfo.Trait;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * One case of fixtures/seeds/legacy113.json: a state dict in PyTorch 1.13's layout is loaded into an optimizer
 * built as PyTorch 2.13's was, must give the state dict and repr PyTorch gave after loading, then two steps must
 * give PyTorch's parameters and state dicts. LBFGS's expectations gain {@code maximize: False}, which PyTorch
 * 2.14 (whose LBFGS we follow) adds to old groups and 2.13 does not have.
 */
final class LegacyCase {
  private static final int STEPS = 2;

  private LegacyCase() {}

  static void run(OptimizerInfo info, Fixtures f, String c) {
    Map<String, Object> config = f.config(c);
    double rtol = OptimizerContractTest.rtol(info);
    @SuppressWarnings("unchecked") // options are a JSON object
    Map<String, Object> options = (Map<String, Object>) StateValues.decode(config.get("options"));
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (String n : List.of("w", "b")) {
      params.put(n, tensor(f.tensor(c, "saved/" + n)).requiresGrad_(true));
    }
    Optimizer opt = Optimizers.create(info.name(), List.copyOf(params.values()), options);
    opt.loadStateDict(StateValues.stateDict((Map<?, ?>) config.get("state_dict")));

    Map<String, Object> loaded = StateValues.stateDict((Map<?, ?>) config.get("loaded"));
    String repr = (String) config.get("repr");
    if (info.has(Trait.GLOBAL_STATE)) {
      loaded.put("param_groups", withMaximize(loaded.get("param_groups")));
      repr = repr.replace("    tolerance_change:", "    maximize: False\n    tolerance_change:");
    }
    StateValues.assertMatches(c + ": the loaded state dict", loaded, opt.stateDict(), rtol);
    assertEquals(repr, opt.toString(), c + ": repr after loading");

    List<?> after = (List<?>) config.get("after");
    for (int k = 0; k < STEPS; k++) {
      if (info.has(Trait.NEEDS_CLOSURE)) {
        Map<String, Tensor> target = new LinkedHashMap<>();
        Map<String, Tensor> curvature = new LinkedHashMap<>();
        for (String n : params.keySet()) {
          target.put(n, tensor(f.tensor(c, "target/" + n)));
          curvature.put(n, tensor(f.tensor(c, "curvature/" + n)));
        }
        opt.step(() -> quadraticPlusQuartic(params, target, curvature));
      } else {
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
          Tensor g = row(f.tensor(c, "grad/" + e.getKey()), k);
          e.getValue().setGrad(info.has(Trait.SPARSE_GRADS) ? OptimizerContractTest.Quadratic.sparse(g) : g);
        }
        opt.step();
      }
      StateValues.assertMatches(c + ": state after step " + (k + 1), StateValues.state((Map<?, ?>) after.get(k)),
          opt.stateDict().get("state"), rtol);
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        StateValues.assertMatches(c + ": " + e.getKey() + " after step " + (k + 1),
            row(f.tensor(c, "param/" + e.getKey()), k), e.getValue(), rtol);
      }
    }
  }

  /**
   * gen_seeds.py's LBFGS objective Σ ½ c d² + ¼ d⁴ with d = p − target, in its operation order; the gradient
   * c d + d³ is set by hand.
   */
  private static Tensor quadraticPlusQuartic(Map<String, Tensor> params, Map<String, Tensor> target,
      Map<String, Tensor> curvature) {
    Tensor loss = Tensor.zeros(DType.FLOAT64);
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      Tensor d = e.getValue().detach().sub(target.get(e.getKey()));
      Tensor c = curvature.get(e.getKey());
      loss = loss.add(c.mul(0.5).mul(d).mul(d).add(d.pow(4).mul(0.25)).sum());
      e.getValue().setGrad(c.mul(d).add(d.pow(3)));
    }
    return loss;
  }

  @SuppressWarnings("unchecked") // param groups decoded from JSON
  private static List<Object> withMaximize(Object groups) {
    List<Object> out = new ArrayList<>();
    for (Object g : (List<?>) groups) {
      Map<String, Object> group = new LinkedHashMap<>();
      ((Map<String, Object>) g).forEach((k, v) -> {
        if (k.equals("params")) {
          group.put("maximize", false);
        }
        group.put(k, v);
      });
      out.add(group);
    }
    return out;
  }

  static Tensor tensor(FixtureTensor t) {
    return Tensor.of(t.data()).to(StateValues.dtype(t.dtype())).reshape(t.shape());
  }

  /** Row {@code k} of a fixture tensor that stacks one tensor per step. */
  static Tensor row(FixtureTensor stacked, int k) {
    int[] s = stacked.shape();
    int[] shape = Arrays.copyOfRange(s, 1, s.length);
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double[] v = Arrays.copyOfRange(stacked.data(), k * n, (k + 1) * n);
    return Tensor.of(v).to(StateValues.dtype(stacked.dtype())).reshape(shape);
  }
}
