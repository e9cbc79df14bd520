package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.optim4j.optim.FixtureValues.assertLayout;
import static org.optim4j.optim.FixtureValues.options;
import static org.optim4j.optim.FixtureValues.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * LBFGS, Adafactor and Muon against PyTorch's fixtures/optim_matrix/api.json: repr strings and state-dict
 * layouts, constructor and step errors with their messages and exception kinds, Adafactor's back-compat loading
 * and its ε₁ rule across dtypes, LBFGS's state dict. (The {@code ns_*} cases of the file belong to
 * {@link MuonTest}.) Then the typed options against the factory.
 */
class MatrixApiTest {
  private static final Fixtures F = Fixtures.load("optim_matrix/api.json");

  @TestFactory
  Stream<DynamicTest> everyCase() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : F.cases()) {
      if (c.startsWith("ns_")) {
        continue;
      }
      Executable run;
      if (c.startsWith("repr_")) {
        run = () -> repr(c);
      } else {
        run = switch (c) {
          case "constructor_errors" -> MatrixApiTest::constructorErrors;
          case "step_errors" -> MatrixApiTest::stepErrors;
          case "load_legacy_adafactor" -> MatrixApiTest::loadLegacyAdafactor;
          case "state_dict_lbfgs" -> MatrixApiTest::stateDictLbfgs;
          case "adafactor_mixed_dtypes" -> MatrixApiTest::adafactorMixedDtypes;
          default -> () -> fail("api.json: case " + c + " of an unknown kind");
        };
      }
      tests.add(DynamicTest.dynamicTest(c, run));
    }
    return tests.stream();
  }

  /** PyTorch's exception kinds as API.md maps them. */
  private static Class<? extends RuntimeException> javaException(String pythonKind) {
    return switch (pythonKind) {
      case "ValueError", "TypeError" -> IllegalArgumentException.class;
      case "RuntimeError", "KeyError" -> IllegalStateException.class;
      case "NotImplementedError" -> UnsupportedOperationException.class;
      default -> throw new AssertionError("unmapped exception kind " + pythonKind);
    };
  }

  /** A PyTorch 2.13 state-dict layout of LBFGS with 2.14's {@code maximize} at the end of the group. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withMaximize(Map<?, ?> layout) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : layout.entrySet()) {
      out.put((String) e.getKey(), e.getValue());
    }
    List<Object> groups = new ArrayList<>();
    for (Object g : (List<?>) layout.get("param_groups")) {
      Map<String, Object> group = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) g).entrySet()) {
        if (e.getKey().equals("params")) {
          group.put("maximize", false);
        }
        group.put(e.getKey(), e.getValue());
      }
      groups.add(group);
    }
    out.put("param_groups", groups);
    return out;
  }

  private static void repr(String c) {
    Map<String, Object> config = F.config(c);
    String name = (String) config.get("optimizer");
    List<Tensor> params = name.equals("Muon") ? List.of(Tensor.zeros(2, 3).requiresGrad_(true))
        : List.of(Tensor.zeros(2).requiresGrad_(true), Tensor.zeros(3).requiresGrad_(true));
    Optimizer opt = Optimizers.create(name, params, options(config.get("defaults")));
    String repr = (String) config.get("repr");
    Map<?, ?> layout = (Map<?, ?>) config.get("state_dict");
    if (name.equals("LBFGS")) {
      repr = MatrixFixtures.withMaximize(repr, false);
      layout = withMaximize(layout);
    }
    assertEquals(repr, opt.toString(), c);
    assertLayout(c, layout, opt.stateDict());
  }

  private static void constructorErrors() {
    for (Object r : (List<?>) F.config("constructor_errors").get("rows")) {
      List<?> row = (List<?>) r;
      String name = (String) row.get(0);
      Map<String, Object> kwargs = options(row.get(1));
      RuntimeException e = assertThrows(javaException((String) row.get(2)),
          () -> Optimizers.create(name, List.of(Tensor.zeros(2, 2).requiresGrad_(true)), kwargs), name + " " + kwargs);
      assertEquals(row.get(3), e.getMessage(), name + " " + kwargs);
    }
  }

  private static Optimizer sparseStep(String name) {
    Tensor p = Tensor.zeros(2, 2).requiresGrad_(true);
    Optimizer opt = Optimizers.create(name, List.of(p), Map.of());
    Tensor indices = Tensor.of(new long[] {0, 1, 0, 1}, 2, 2);
    p.setGrad(Tensor.sparseCoo(indices, Tensor.ones(2), 2, 2));
    opt.step();
    return opt;
  }

  private static void stepErrors() {
    Tensor x = Tensor.zeros(2, 2).requiresGrad_(true);
    Tensor y = Tensor.zeros(3).requiresGrad_(true);
    Map<String, Executable> scenarios = new LinkedHashMap<>();
    scenarios.put("lbfgs_groups", () -> new LBFGS(List.of(ParamGroup.of(x), ParamGroup.of(y))));
    scenarios.put("lbfgs_line_search", () -> {
      LBFGS opt = new LBFGS(List.of(x), LBFGS.options().lineSearchFn("backtracking"));
      opt.step(() -> {
        opt.zeroGrad();
        Tensor loss = x.mul(x).sum().add(x.sum());
        loss.backward();
        return loss;
      });
    });
    scenarios.put("muon_1d", () -> new Muon(List.of(x, y)));
    scenarios.put("muon_0d", () -> new Muon(List.of(Tensor.scalar(0.0).requiresGrad_(true))));
    scenarios.put("muon_3d", () -> new Muon(List.of(Tensor.zeros(2, 1, 3).requiresGrad_(true))));
    scenarios.put("adafactor_sparse", () -> sparseStep("Adafactor"));
    scenarios.put("muon_sparse", () -> sparseStep("Muon"));
    for (Object r : (List<?>) F.config("step_errors").get("rows")) {
      List<?> row = (List<?>) r;
      Executable scenario = scenarios.remove((String) row.get(0));
      if (scenario == null) {
        fail("step_errors: no Java scenario for " + row.get(0));
      }
      RuntimeException e = assertThrows(javaException((String) row.get(1)), scenario, (String) row.get(0));
      assertEquals(row.get(2), e.getMessage(), (String) row.get(0));
    }
    assertEquals(Map.of(), scenarios, "scenarios without a PyTorch row");
  }

  /** An old Adafactor state dict: a plain-number step and no {@code foreach}; then one step. */
  private static void loadLegacyAdafactor() {
    String c = "load_legacy_adafactor";
    Map<String, Object> config = F.config(c);
    Tensor p = Tensor.zeros(DType.FLOAT64, 2, 2).requiresGrad_(true);
    Adafactor opt = new Adafactor(List.of(p));
    Map<String, Object> paramState = new LinkedHashMap<>();
    paramState.put("step", 4);
    paramState.put("row_var", Tensor.of(new float[] {0.5f, 0.25f}, 2, 1));
    paramState.put("col_var", Tensor.of(new float[] {1.0f, 2.0f}, 1, 2));
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("lr", 0.02);
    group.put("beta2_decay", -0.8);
    group.put("eps", Arrays.asList(null, 1e-3));
    group.put("d", 1.0);
    group.put("weight_decay", 0.0);
    group.put("maximize", false);
    group.put("params", List.of(0));
    opt.loadStateDict(Map.of("state", Map.of(0, paramState), "param_groups", List.of(group)));
    assertEquals(config.get("repr"), opt.toString());
    assertLayout(c, (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    p.setGrad(tensor(F.tensor(c, "grad")));
    opt.step();
    assertLayout(c + " after a step", (Map<?, ?>) config.get("state_dict_after_step"), opt.stateDict());
    Tolerance.assertClose(c + " param", p.toDoubleArray(), F.tensor(c, "param"));
    for (String key : List.of("step", "row_var", "col_var")) {
      Tolerance.assertClose(c + " " + key, ((Tensor) opt.state(p).get(key)).toDoubleArray(), F.tensor(c, key));
    }
  }

  /** LBFGS's state dict after a step: the global state under the first parameter only. */
  private static void stateDictLbfgs() {
    String c = "state_dict_lbfgs";
    Map<String, Object> config = F.config(c);
    Tensor a = Tensor.ones(DType.FLOAT64, 2).requiresGrad_(true);
    Tensor b = Tensor.ones(DType.FLOAT64, 3).requiresGrad_(true);
    Optimizer opt = Optimizers.create("LBFGS", List.of(a, b), options(config.get("defaults")));
    opt.step(() -> {
      opt.zeroGrad();
      Tensor loss = a.mul(a).sum().mul(2).add(b.sub(2).pow(2).sum());
      loss.backward();
      return loss;
    });
    Map<String, Object> sd = opt.stateDict();
    Map<String, Object> expectedGroups = withMaximize(Map.of("param_groups", config.get("param_groups")));
    assertEquals(FixtureValues.canonical(expectedGroups.get("param_groups")),
        FixtureValues.canonical(sd.get("param_groups")), c + ": param_groups");
    assertEquals(config.get("state_ids"), new ArrayList<>(((Map<?, ?>) sd.get("state")).keySet()));
    assertEquals(config.get("state_layout"), MatrixFixtures.layout(opt.state(a)));
    Tolerance.assertClose(c + " a", a.toDoubleArray(), F.tensor(c, "a"));
    Tolerance.assertClose(c + " b", b.toDoubleArray(), F.tensor(c, "b"));
  }

  /** ε₁ = None takes the first parameter's dtype (float32 here) for the float64 parameters of the group too. */
  private static void adafactorMixedDtypes() {
    String c = "adafactor_mixed_dtypes";
    Map<String, Object> config = F.config(c);
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (Object n : (List<?>) config.get("params")) {
      params.put((String) n, tensor(F.tensor(c, "init/" + n)).requiresGrad_(true));
    }
    Optimizer opt = Optimizers.create("Adafactor", new ArrayList<>(params.values()), options(config.get("defaults")));
    int steps = (Integer) config.get("steps");
    for (int t = 0; t < steps; t++) {
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        e.getValue().setGrad(FixtureValues.rowTensor(F.tensor(c, "grad/" + e.getKey()), t));
      }
      opt.step();
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        FixtureValues.assertRow(c + " step " + (t + 1) + " " + e.getKey(), e.getValue(),
            F.tensor(c, "param/" + e.getKey()), t);
      }
    }
    assertLayout(c, (Map<?, ?>) config.get("state_dict"), opt.stateDict());
  }

  // ---------------------------------------------------------------------------------------------
  // Typed options

  @Test
  void typedOptionsGiveTheSameGroupsAsTheFactory() {
    List<Tensor> v = List.of(Tensor.zeros(2).requiresGrad_(true));
    List<Tensor> m = List.of(Tensor.zeros(2, 3).requiresGrad_(true));
    Map<String, Object> lbfgs = new HashMap<>();
    lbfgs.put("lr", 0.5);
    lbfgs.put("max_iter", 7);
    lbfgs.put("max_eval", null);
    lbfgs.put("history_size", 3);
    lbfgs.put("line_search_fn", "strong_wolfe");
    lbfgs.put("maximize", true);
    assertEquals(Optimizers.create("LBFGS", v, lbfgs).toString(), new LBFGS(v, LBFGS.options().lr(0.5).maxIter(7)
        .maxEval(null).historySize(3).lineSearchFn("strong_wolfe").maximize(true)).toString());
    Map<String, Object> adafactor = new HashMap<>();
    adafactor.put("lr", 0.1);
    adafactor.put("eps", Arrays.asList(null, 1e-2));
    adafactor.put("beta2_decay", -0.5);
    adafactor.put("d", 2.0);
    adafactor.put("weight_decay", 0.5);
    adafactor.put("foreach", false);
    adafactor.put("maximize", true);
    assertEquals(Optimizers.create("Adafactor", v, adafactor).toString(), new Adafactor(v, Adafactor.options()
        .lr(0.1).eps(null, 1e-2).beta2Decay(-0.5).d(2.0).weightDecay(0.5).foreach(false).maximize(true)).toString());
    Map<String, Object> muon = new HashMap<>();
    muon.put("lr", 0.02);
    muon.put("weight_decay", 0.0);
    muon.put("momentum", 0.9);
    muon.put("nesterov", false);
    muon.put("ns_coefficients", List.of(2.0, -1.5, 0.5));
    muon.put("eps", 1e-5);
    muon.put("ns_steps", 3);
    muon.put("adjust_lr_fn", "spectral_unclamped");
    assertEquals(Optimizers.create("Muon", m, muon).toString(), new Muon(m, Muon.options().lr(0.02).weightDecay(0)
        .momentum(0.9).nesterov(false).nsCoefficients(2.0, -1.5, 0.5).eps(1e-5).nsSteps(3)
        .adjustLrFn("spectral_unclamped")).toString());
  }

  @Test
  void theFactoryChecksKeysAndTypes() {
    List<Tensor> m = List.of(Tensor.zeros(2, 3).requiresGrad_(true));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("Muon", m, Map.of("maximize", true)));
    assertEquals("Muon.__init__() got an unexpected keyword argument 'maximize'; valid keywords: lr, weight_decay, "
        + "momentum, nesterov, ns_coefficients, eps, ns_steps, adjust_lr_fn", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("Adafactor", m, Map.of("differentiable", false)));
    assertEquals("Adafactor.__init__() got an unexpected keyword argument 'differentiable'; valid keywords: lr, "
        + "beta2_decay, eps, d, weight_decay, foreach, maximize", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("Muon", m, Map.of("ns_steps", 2.5)));
    assertEquals("Muon option 'ns_steps' must be an int (an integral Number), got Double 2.5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Optimizers.create("Adafactor", m, Map.of("eps", 1e-3)));
    assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("Muon", m, Map.of("ns_coefficients", List.of("a", "b", "c"))));
    assertThrows(IllegalArgumentException.class, () -> Optimizers.create("LBFGS", m, Map.of("line_search_fn", 1)));
  }
}
