package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * ASGD, NAdam, RAdam and SparseAdam beyond the fixtures: typed options against the factory, the keywords each
 * accepts, the flags accepted with the same maths and the one refused, tensor betas (outside the float
 * signatures), sparse gradients refused before any update, state replaced through {@code state(p)} taking
 * effect, and a failed load leaving the optimizer as it was.
 */
class AveragingOptimizersTest {
  private static final List<String> DENSE = List.of("ASGD", "NAdam", "RAdam");

  private static List<Tensor> params() {
    return List.of(Tensor.zeros(2).requiresGrad_(true));
  }

  @Test
  void typedOptionsGiveTheSameGroupsAsTheFactory() {
    assertEquals(new ASGD(params(), ASGD.options().lr(0.1).lambd(1e-3).alpha(0.5).t0(10).weightDecay(0.1)
            .foreach(false).maximize(true).capturable(true)).toString(),
        Optimizers.create("ASGD", params(), Map.of("lr", 0.1, "lambd", 1e-3, "alpha", 0.5, "t0", 10.0,
            "weight_decay", 0.1, "foreach", false, "maximize", true, "capturable", true)).toString());
    assertEquals(new NAdam(params(), NAdam.options().lr(0.1).betas(0.8, 0.9).eps(1e-3).weightDecay(0.1)
            .momentumDecay(0.01).decoupledWeightDecay(true).maximize(true).foreach(true).capturable(true))
            .toString(),
        Optimizers.create("NAdam", params(), Map.of("lr", 0.1, "betas", List.of(0.8, 0.9), "eps", 1e-3,
            "weight_decay", 0.1, "momentum_decay", 0.01, "decoupled_weight_decay", true, "maximize", true,
            "foreach", true, "capturable", true)).toString());
    assertEquals(new RAdam(params(), RAdam.options().lr(0.1).betas(0.8, 0.9).eps(1e-3).weightDecay(0.1)
            .decoupledWeightDecay(true).maximize(true).foreach(false).capturable(true)).toString(),
        Optimizers.create("RAdam", params(), Map.of("lr", 0.1, "betas", List.of(0.8, 0.9), "eps", 1e-3,
            "weight_decay", 0.1, "decoupled_weight_decay", true, "maximize", true, "foreach", false,
            "capturable", true)).toString());
    assertEquals(new SparseAdam(params(), SparseAdam.options().lr(0.1).betas(0.8, 0.9).eps(1e-3).maximize(true))
            .toString(),
        Optimizers.create("SparseAdam", params(), Map.of("lr", 0.1, "betas", List.of(0.8, 0.9), "eps", 1e-3,
            "maximize", true)).toString());
    Map<String, Function<List<Tensor>, Optimizer>> withDefaults = Map.of("ASGD", ASGD::new, "NAdam", NAdam::new,
        "RAdam", RAdam::new, "SparseAdam", SparseAdam::new);
    for (Map.Entry<String, Function<List<Tensor>, Optimizer>> e : withDefaults.entrySet()) {
      assertEquals(Optimizers.create(e.getKey(), params(), Map.of()).toString(), e.getValue().apply(params())
          .toString(), e.getKey());
    }
  }

  @Test
  void theKeywordsAreThoseOfPyTorchsSignatures() {
    Map<String, String> valid = Map.of(
        "ASGD", "lr, lambd, alpha, t0, weight_decay, foreach, maximize, differentiable, capturable",
        "NAdam", "lr, betas, eps, weight_decay, momentum_decay, decoupled_weight_decay, maximize, foreach, "
            + "capturable, differentiable",
        "RAdam", "lr, betas, eps, weight_decay, maximize, foreach, capturable, decoupled_weight_decay, differentiable",
        "SparseAdam", "lr, betas, eps, maximize");
    for (Map.Entry<String, String> e : valid.entrySet()) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> Optimizers.create(e.getKey(), params(), Map.of("nesterov", true)));
      assertEquals(e.getKey() + ".__init__() got an unexpected keyword argument 'nesterov'; valid keywords: "
          + e.getValue(), x.getMessage());
    }
    assertTrue(Optimizers.names().containsAll(valid.keySet()));
    assertThrows(IllegalArgumentException.class, () -> Optimizers.create("ASGD", params(), Map.of("t0", "1e6")));
    assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("NAdam", params(), Map.of("decoupled_weight_decay", 1)));
  }

  @Test
  void differentiableIsNotSupported() {
    for (String name : DENSE) {
      assertThrows(UnsupportedOperationException.class,
          () -> Optimizers.create(name, params(), Map.of("differentiable", true)), name);
      Tensor p = Tensor.zeros(2).requiresGrad_(true);
      Optimizer opt = Optimizers.create(name, List.of(ParamGroup.of(p).with("differentiable", true)), Map.of());
      p.setGrad(Tensor.ones(2));
      assertThrows(UnsupportedOperationException.class, opt::step, name);
    }
    assertThrows(UnsupportedOperationException.class, () -> new ASGD(params(), ASGD.options().differentiable(true)));
  }

  /** Runs 12 steps of float32 gradients that change sign, from the same start; returns the parameter. */
  private static float[] run(String name, Map<String, ?> options) {
    Tensor p = Tensor.of(new float[] {1, -2, 0.5f}).requiresGrad_(true);
    Optimizer opt = Optimizers.create(name, List.of(p), options);
    for (int t = 0; t < 12; t++) {
      p.setGrad(Tensor.of(new float[] {0.3f * (t % 3 - 1), 1.5f - 0.25f * t, -0.1f * t}));
      opt.step();
    }
    return p.toFloatArray();
  }

  @Test
  void foreachAndCapturableRunTheSameMaths() {
    Map<String, Object> asgd = Map.of("lr", 0.05, "t0", 3, "lambd", 0.01);
    Map<String, Object> adams = Map.of("lr", 0.05, "weight_decay", 0.1);
    for (String name : DENSE) {
      Map<String, Object> base = name.equals("ASGD") ? asgd : adams;
      float[] plain = run(name, base);
      for (Map<String, Object> flags : List.<Map<String, Object>>of(Map.of("foreach", true),
          Map.of("capturable", true), Map.of("foreach", false, "capturable", true))) {
        Map<String, Object> options = new HashMap<>(base);
        options.putAll(flags);
        assertArrayEquals(plain, run(name, options), name + " " + flags);
      }
      assertFalse(java.util.Arrays.equals(plain, run(name, Map.of())), name + ": the options do change the run");
    }
  }

  @Test
  void betasAreFloats() {
    Tensor beta = Tensor.scalar(0.9);
    for (String name : List.of("NAdam", "RAdam", "SparseAdam")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Optimizers.create(name, params(), Map.of("betas", List.of(beta, 0.999))));
      assertEquals(name + " betas must be floats (Numbers), got betas[0] = Tensor " + beta, e.getMessage());
      assertEquals("Invalid beta parameter at index 1: 1.5", assertThrows(IllegalArgumentException.class,
          () -> Optimizers.create(name, params(), Map.of("betas", List.of(beta, 1.5)))).getMessage(),
          name + ": PyTorch's range checks come first");
    }
    Tensor p = Tensor.zeros(2).requiresGrad_(true);
    NAdam nadam = new NAdam(List.of(ParamGroup.of(p).with("betas", List.of(0.9, beta))));
    p.setGrad(Tensor.ones(2));
    assertThrows(IllegalArgumentException.class, nadam::step);
  }

  @Test
  void sparseGradientsAreRejectedBeforeAnyUpdate() {
    Tensor sparseGrad = Tensor.sparseCoo(Tensor.of(new long[] {1}, 1, 1), Tensor.of(new float[] {2}), 2);
    for (String name : DENSE) {
      Tensor dense = Tensor.of(new float[] {1, 2}).requiresGrad_(true);
      Tensor sparse = Tensor.of(new float[] {3, 4}).requiresGrad_(true);
      Optimizer opt = Optimizers.create(name, List.of(ParamGroup.of(dense), ParamGroup.of(sparse)), Map.of());
      dense.setGrad(Tensor.ones(2));
      sparse.setGrad(sparseGrad);
      IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
      assertEquals(name + " does not support sparse gradients", e.getMessage());
      assertArrayEquals(new float[] {1, 2}, dense.toFloatArray(), name);
      assertEquals(Map.of(), opt.state(dense), name);
    }
  }

  /** Two optimizers over equal parameters; the state of the second is changed through state(p) after a step. */
  private static void assertReplacedStateTakesEffect(String name, String key, Function<Tensor, Tensor> replacement) {
    Tensor a = Tensor.of(new double[] {1, -2}).requiresGrad_(true);
    Tensor b = Tensor.of(new double[] {1, -2}).requiresGrad_(true);
    Map<String, Object> options = Map.of("lr", 0.1, "t0", 0);
    Optimizer optA = Optimizers.create(name, List.of(a), name.equals("ASGD") ? options : Map.of("lr", 0.1));
    Optimizer optB = Optimizers.create(name, List.of(b), name.equals("ASGD") ? options : Map.of("lr", 0.1));
    for (int t = 0; t < 3; t++) {
      a.setGrad(Tensor.of(new double[] {0.5, 0.25 * t}));
      b.setGrad(Tensor.of(new double[] {0.5, 0.25 * t}));
      optA.step();
      optB.step();
      if (t == 0) {
        Tensor old = (Tensor) optB.state(b).get(key);
        optB.state(b).put(key, replacement.apply(old));
      }
    }
    assertNotEquals(a.toDoubleArray()[0], b.toDoubleArray()[0], name + " " + key);
  }

  @Test
  void aReplacedMuChangesTheAverage() {
    Tensor a = Tensor.of(new double[] {1, -2}).requiresGrad_(true);
    Tensor b = Tensor.of(new double[] {1, -2}).requiresGrad_(true);
    ASGD optA = new ASGD(List.of(a), ASGD.options().lr(0.1).t0(0));
    ASGD optB = new ASGD(List.of(b), ASGD.options().lr(0.1).t0(0));
    for (int t = 0; t < 3; t++) {
      a.setGrad(Tensor.of(new double[] {0.5, 0.25 * t}));
      b.setGrad(Tensor.of(new double[] {0.5, 0.25 * t}));
      optA.step();
      optB.step();
      if (t == 0) {
        optB.state(b).put("mu", Tensor.scalar(0.25));
      }
    }
    assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), "mu only enters the average");
    assertNotEquals(((Tensor) optA.state(a).get("ax")).toDoubleArray()[0],
        ((Tensor) optB.state(b).get("ax")).toDoubleArray()[0]);
  }

  @Test
  void stateReplacedThroughStateTakesEffect() {
    assertReplacedStateTakesEffect("ASGD", "eta", eta -> Tensor.scalar(eta.item() / 2));
    assertReplacedStateTakesEffect("NAdam", "mu_product", mp -> Tensor.scalar(0.5));
    assertReplacedStateTakesEffect("NAdam", "exp_avg", m -> m.mul(3));
    assertReplacedStateTakesEffect("RAdam", "exp_avg", m -> m.mul(3));
    assertReplacedStateTakesEffect("RAdam", "step", s -> Tensor.scalar(100.0));
  }

  @Test
  void aFailedLoadLeavesTheOptimizerAsItWas() {
    for (String name : DENSE) {
      Tensor p = Tensor.of(new double[] {1, 2}).requiresGrad_(true);
      Optimizer opt = Optimizers.create(name, List.of(p), Map.of());
      p.setGrad(Tensor.ones(DType.FLOAT64, 2));
      opt.step();
      Map<String, Object> sd = opt.stateDict();
      String before = opt.toString();
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("exp_avg", Tensor.zeros(DType.FLOAT64, 2));
      Map<String, Object> broken = new LinkedHashMap<>(sd);
      broken.put("state", Map.of(0, state));
      List<?> groups = (List<?>) sd.get("param_groups");
      Map<Object, Object> group = new LinkedHashMap<>((Map<?, ?>) groups.get(0));
      group.remove("maximize");
      broken.put("param_groups", List.of(group));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> opt.loadStateDict(broken), name);
      assertEquals("'step'", e.getMessage());
      assertEquals(before, opt.toString(), name);
      assertEquals(sd.get("state").toString(), opt.stateDict().get("state").toString(), name);
    }
  }
}
