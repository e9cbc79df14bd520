package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.optim4j.optim.FixtureValues.assertLayout;
import static org.optim4j.optim.FixtureValues.options;
import static org.optim4j.optim.FixtureValues.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * The Optimizer base against PyTorch (fixtures/optim/api.json): repr strings, validation and load messages
 * with their exception kinds, state dict layouts and back-compat loading, and the order hooks run in.
 */
class ApiFixtureTest {
  private static final Fixtures F = Fixtures.load("optim/api.json");

  @TestFactory
  Stream<DynamicTest> everyCase() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : F.cases()) {
      Executable run;
      if (c.startsWith("repr_")) {
        run = () -> repr(c);
      } else {
        run = switch (c) {
          case "constructor_errors" -> ApiFixtureTest::constructorErrors;
          case "base_errors" -> ApiFixtureTest::baseErrors;
          case "state_dict_named_adam" -> ApiFixtureTest::stateDictNamedAdam;
          case "state_dict_duplicate_sgd" -> ApiFixtureTest::stateDictDuplicateSgd;
          case "load_legacy_adam" -> ApiFixtureTest::loadLegacyAdam;
          case "load_adamw_forces_decoupled" -> ApiFixtureTest::loadAdamwForcesDecoupled;
          case "load_legacy_sgd" -> ApiFixtureTest::loadLegacySgd;
          case "hooks_order" -> ApiFixtureTest::hooksOrder;
          default -> () -> fail("api.json: case " + c + " of an unknown kind");
        };
      }
      tests.add(DynamicTest.dynamicTest(c, run));
    }
    return tests.stream();
  }

  private static Tensor zeros(int n) {
    return Tensor.zeros(n).requiresGrad_(true);
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

  private static void repr(String c) {
    Map<String, Object> config = F.config(c);
    String name = (String) config.get("optimizer");
    Tensor p0 = zeros(2);
    Tensor p1 = zeros(3);
    Optimizer opt;
    if (Boolean.TRUE.equals(config.get("named"))) {
      Map<String, Tensor> named = new LinkedHashMap<>();
      named.put("weight", p0);
      named.put("bias", p1);
      opt = Optimizers.create(name, named, options(config.get("defaults")));
    } else if (config.get("groups") != null) {
      List<?> groups = (List<?>) config.get("groups");
      opt = Optimizers.create(name, List.of(FixtureValues.group(List.of(p0), (Map<?, ?>) groups.get(0)),
          FixtureValues.group(List.of(p1), (Map<?, ?>) groups.get(1))), options(config.get("defaults")));
    } else {
      opt = Optimizers.create(name, List.of(p0, p1), options(config.get("defaults")));
    }
    assertEquals(config.get("repr"), opt.toString(), c);
    assertLayout(c, (Map<?, ?>) config.get("state_dict"), opt.stateDict());
  }

  private static void constructorErrors() {
    for (Object r : (List<?>) F.config("constructor_errors").get("rows")) {
      List<?> row = (List<?>) r;
      String name = (String) row.get(0);
      Map<String, Object> kwargs = options(row.get(1));
      RuntimeException e = assertThrows(javaException((String) row.get(2)),
          () -> Optimizers.create(name, List.of(zeros(2)), kwargs), name + " " + kwargs);
      assertEquals(row.get(3), e.getMessage(), name + " " + kwargs);
    }
  }

  private static void baseErrors() {
    Tensor x = zeros(2);
    Tensor y = zeros(2);
    Map<String, Executable> scenarios = new LinkedHashMap<>();
    scenarios.put("empty_params", () -> new SGD(List.of()));
    scenarios.put("non_leaf", () -> {
      Tensor nonLeaf = x.mul(2);
      new SGD(List.of(nonLeaf));
    });
    scenarios.put("set_in_group", () -> new SGD(List.of(ParamGroup.of(Set.of(x)))));
    scenarios.put("duplicate_across_groups", () -> new SGD(List.of(ParamGroup.of(x), ParamGroup.of(y, x))));
    scenarios.put("names_missing", () -> new SGD(List.of(Map.entry("a", x), y)));
    scenarios.put("unnamed_after_named",
        () -> new SGD(List.of(ParamGroup.ofNamed(Map.of("a", x)), ParamGroup.of(y))));
    scenarios.put("named_after_unnamed",
        () -> new SGD(List.of(ParamGroup.of(x), ParamGroup.ofNamed(Map.of("b", y)))));
    scenarios.put("load_group_count", () -> new SGD(List.of(x)).loadStateDict(
        Map.of("state", Map.of(), "param_groups", List.of())));
    scenarios.put("load_group_size", () -> new SGD(List.of(x)).loadStateDict(
        Map.of("state", Map.of(), "param_groups", List.of(Map.of("params", List.of(0, 1), "lr", 0.1)))));
    scenarios.put("load_group_size_second", () -> new SGD(List.of(ParamGroup.of(x), ParamGroup.of(y))).loadStateDict(
        new SGD(List.of(ParamGroup.of(x), ParamGroup.of(y, zeros(2)))).stateDict()));
    for (Object r : (List<?>) F.config("base_errors").get("rows")) {
      List<?> row = (List<?>) r;
      Executable scenario = scenarios.remove((String) row.get(0));
      if (scenario == null) {
        fail("base_errors: no Java scenario for " + row.get(0));
      }
      RuntimeException e = assertThrows(javaException((String) row.get(1)), scenario, (String) row.get(0));
      assertEquals(row.get(2), e.getMessage(), (String) row.get(0));
    }
    assertEquals(Map.of(), scenarios, "scenarios without a PyTorch row");
  }

  private static void stateDictNamedAdam() {
    String c = "state_dict_named_adam";
    Map<String, Object> config = F.config(c);
    Tensor w = Tensor.ones(DType.FLOAT64, 2, 2).requiresGrad_(true);
    Tensor b = Tensor.ones(2).requiresGrad_(true);
    Map<String, Tensor> named = new LinkedHashMap<>();
    named.put("weight", w);
    named.put("bias", b);
    Optimizer opt = Optimizers.create("Adam", named, options(config.get("defaults")));
    w.setGrad(Tensor.fullLike(w, 0.5));
    b.setGrad(Tensor.fullLike(b, -1.0));
    opt.step();
    assertEquals(config.get("repr"), opt.toString());
    assertLayout(c, (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    Tolerance.assertClose(c + " weight", w.toDoubleArray(), F.tensor(c, "weight"));
    Tolerance.assertClose(c + " bias", b.toFloatArray(), F.tensor(c, "bias"));
    Tolerance.assertClose(c + " exp_avg_sq", ((Tensor) opt.state(w).get("exp_avg_sq")).toDoubleArray(),
        F.tensor(c, "exp_avg_sq/0"));
  }

  private static void stateDictDuplicateSgd() {
    String c = "state_dict_duplicate_sgd";
    Map<String, Object> config = F.config(c);
    Tensor p = Tensor.ones(2).requiresGrad_(true);
    List<String> warnings = new ArrayList<>();
    Logger logger = Logger.getLogger(Optimizer.class.getName());
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        warnings.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    boolean parents = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
    Optimizer opt;
    try {
      opt = Optimizers.create("SGD", List.of(p, p), options(config.get("defaults")));
    } finally {
      logger.removeHandler(handler);
      logger.setUseParentHandlers(parents);
    }
    assertEquals(List.of(config.get("warning")), warnings);
    p.setGrad(Tensor.ones(2));
    opt.step();
    assertLayout(c, (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    Tolerance.assertClose(c + " param", p.toFloatArray(), F.tensor(c, "param"));
    Tolerance.assertClose(c + " buffer", ((Tensor) opt.state(p).get("momentum_buffer")).toFloatArray(),
        F.tensor(c, "momentum_buffer"));
  }

  private static void loadLegacyAdam() {
    String c = "load_legacy_adam";
    Map<String, Object> config = F.config(c);
    Tensor q = Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true);
    Optimizer opt = new Adam(List.of(q));
    Map<String, Object> paramState = new LinkedHashMap<>();
    paramState.put("step", 3);
    paramState.put("exp_avg", Tensor.of(new float[] {0.5f, -0.25f}));
    paramState.put("exp_avg_sq", Tensor.of(new float[] {0.25f, 1.0f}));
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("lr", 0.1);
    group.put("betas", List.of(0.9, 0.999));
    group.put("eps", 1e-8);
    group.put("weight_decay", 0);
    group.put("amsgrad", false);
    group.put("params", List.of(0));
    opt.loadStateDict(Map.of("state", Map.of(0, paramState), "param_groups", List.of(group)));
    assertEquals(config.get("repr"), opt.toString());
    assertLayout(c, (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    Tolerance.assertClose(c + " step", ((Tensor) opt.state(q).get("step")).toDoubleArray(), F.tensor(c, "step"));
    Tolerance.assertClose(c + " exp_avg", ((Tensor) opt.state(q).get("exp_avg")).toDoubleArray(),
        F.tensor(c, "exp_avg"));
  }

  @SuppressWarnings("unchecked")
  private static void loadAdamwForcesDecoupled() {
    String c = "load_adamw_forces_decoupled";
    Optimizer opt = new AdamW(List.of(zeros(2)));
    Map<String, Object> sd = opt.stateDict();
    Map<String, Object> group = ((List<Map<String, Object>>) sd.get("param_groups")).get(0);
    group.put("decoupled_weight_decay", false);
    group.remove("amsgrad");
    opt.loadStateDict(sd);
    assertLayout(c, (Map<?, ?>) F.config(c).get("state_dict"), opt.stateDict());
  }

  private static void loadLegacySgd() {
    String c = "load_legacy_sgd";
    Optimizer opt = new SGD(List.of(zeros(2)));
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("params", List.of(0));
    group.put("lr", 0.1);
    group.put("momentum", 0);
    group.put("dampening", 0);
    group.put("weight_decay", 0);
    opt.loadStateDict(Map.of("state", Map.of(), "param_groups", List.of(group)));
    assertEquals(F.config(c).get("repr"), opt.toString());
    assertLayout(c, (Map<?, ?>) F.config(c).get("state_dict"), opt.stateDict());
  }

  private static void hooksOrder() {
    List<String> events = new ArrayList<>();
    Tensor p = zeros(2);
    Optimizer opt = new SGD(List.of(p), SGD.options().lr(0.1));
    List<RemovableHandle> global = List.of(
        Optimizer.registerOptimizerStepPreHook((o, cl) -> {
          if (o == opt) {
            events.add("global_pre");
          }
          return null;
        }),
        Optimizer.registerOptimizerStepPostHook((o, cl) -> {
          if (o == opt) {
            events.add("global_post");
          }
        }));
    opt.registerStepPreHook((o, cl) -> {
      events.add("pre_a");
      return null;
    });
    RemovableHandle removed = opt.registerStepPreHook((o, cl) -> {
      events.add("pre_removed");
      return null;
    });
    opt.registerStepPreHook((o, cl) -> {
      events.add("pre_b");
      return null;
    });
    opt.registerStepPostHook((o, cl) -> events.add("post_a"));
    opt.registerStepPostHook((o, cl) -> events.add("post_b"));
    removed.remove();
    opt.registerStateDictPreHook(o -> events.add("sd_pre_a"));
    opt.registerStateDictPreHook(o -> events.add("sd_pre_first"), true);
    opt.registerStateDictPostHook((o, sd) -> {
      events.add("sd_post_a");
      return null;
    });
    opt.registerStateDictPostHook((o, sd) -> {
      events.add("sd_post_first");
      return null;
    }, true);
    opt.registerLoadStateDictPreHook((o, sd) -> {
      events.add("load_pre_a");
      return null;
    });
    opt.registerLoadStateDictPreHook((o, sd) -> {
      events.add("load_pre_first");
      return null;
    }, true);
    opt.registerLoadStateDictPostHook(o -> events.add("load_post_a"));
    opt.registerLoadStateDictPostHook(o -> events.add("load_post_first"), true);
    p.setGrad(Tensor.ones(2));
    events.add("step");
    opt.step();
    events.add("state_dict");
    Map<String, Object> sd = opt.stateDict();
    events.add("load_state_dict");
    opt.loadStateDict(sd);
    for (RemovableHandle h : global) {
      h.remove();
    }
    events.add("step_after_removing_global");
    opt.step();
    assertEquals(F.config("hooks_order").get("events"), events);
    assertSame(p, opt.paramGroups().get(0).params().get(0));
  }
}
