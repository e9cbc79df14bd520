package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.optim4j.optim.FixtureValues.assertLayout;
import static org.optim4j.optim.FixtureValues.assertRow;
import static org.optim4j.optim.FixtureValues.dtype;
import static org.optim4j.optim.FixtureValues.dtypeName;
import static org.optim4j.optim.FixtureValues.option;
import static org.optim4j.optim.FixtureValues.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * ASGD, NAdam, RAdam and SparseAdam against PyTorch outside the trajectories (fixtures/optim_averaging, written
 * by tools/reference/gen_optim_averaging.py): repr strings, constructor and step error messages with their
 * exception kinds, unknown keywords, back-compat loading of old state dicts followed by a step (api.json), and
 * Rosenbrock minimised with {@code step(closure)} (closure.json; SparseAdam has no closure case, since a dense
 * objective gives it dense gradients, which it rejects).
 */
class AveragingFixtureTest {
  private static final Fixtures API = Fixtures.load("optim_averaging/api.json");

  @TestFactory
  Stream<DynamicTest> api() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : API.cases()) {
      Executable run;
      if (c.startsWith("repr_")) {
        run = () -> repr(c);
      } else if (c.startsWith("load_")) {
        run = () -> load(c);
      } else {
        run = switch (c) {
          case "constructor_errors" -> AveragingFixtureTest::constructorErrors;
          case "unknown_keywords" -> AveragingFixtureTest::unknownKeywords;
          case "scenario_errors" -> AveragingFixtureTest::scenarioErrors;
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
    Map<String, Object> config = API.config(c);
    String name = (String) config.get("optimizer");
    Tensor p0 = zeros(2);
    Tensor p1 = zeros(3);
    Optimizer opt;
    if (config.get("groups") != null) {
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
    for (Object r : (List<?>) API.config("constructor_errors").get("rows")) {
      List<?> row = (List<?>) r;
      String name = (String) row.get(0);
      Map<String, Object> kwargs = options(row.get(1));
      RuntimeException e = assertThrows(javaException((String) row.get(2)),
          () -> Optimizers.create(name, List.of(zeros(2)), kwargs), name + " " + kwargs);
      assertEquals(row.get(3), e.getMessage(), name + " " + kwargs);
    }
  }

  /** PyTorch's TypeError message, which the factory's message extends with the list of valid keywords. */
  private static void unknownKeywords() {
    for (Object r : (List<?>) API.config("unknown_keywords").get("rows")) {
      List<?> row = (List<?>) r;
      String name = (String) row.get(0);
      RuntimeException e = assertThrows(javaException((String) row.get(2)),
          () -> Optimizers.create(name, List.of(zeros(2)), Map.of((String) row.get(1), true)));
      assertTrue(e.getMessage().startsWith(row.get(3) + "; valid keywords: "), e.getMessage());
    }
  }

  private static Tensor sparseParam(long[] indices, double[] values) {
    return Tensor.sparseCoo(Tensor.of(indices, 1, indices.length), Tensor.of(values).to(DType.FLOAT32), 3)
        .requiresGrad_(true);
  }

  private static void stepWith(Optimizer opt, Tensor param, Tensor grad) {
    param.setGrad(grad);
    opt.step();
  }

  private static void scenarioErrors() {
    Tensor dense = zeros(2);
    Tensor sparse = sparseParam(new long[] {0, 2}, new double[] {1, 2});
    Tensor sparse2 = sparseParam(new long[] {1}, new double[] {1});
    Tensor sparseGrad = Tensor.sparseCoo(Tensor.of(new long[] {1, 1}, 1, 2), Tensor.of(new float[] {1, 2}), 2);
    Map<String, Executable> scenarios = new LinkedHashMap<>();
    scenarios.put("sparse_param", () -> new SparseAdam(List.of(dense, sparse)));
    scenarios.put("sparse_params_in_groups", () -> new SparseAdam(List.of(ParamGroup.of(sparse),
        ParamGroup.of(zeros(2), sparse2).with("lr", 0.1))));
    scenarios.put("empty_params_first", () -> new SparseAdam(List.of()));
    scenarios.put("invalid_lr_before_sparse_params",
        () -> new SparseAdam(List.of(sparse), SparseAdam.options().lr(-1.0)));
    Tensor p = zeros(2);
    scenarios.put("sparse_adam_dense_grad", () -> stepWith(new SparseAdam(List.of(p)), p, Tensor.ones(2)));
    scenarios.put("asgd_sparse_grad", () -> stepWith(new ASGD(List.of(p)), p, sparseGrad));
    scenarios.put("nadam_sparse_grad", () -> stepWith(new NAdam(List.of(p)), p, sparseGrad));
    scenarios.put("radam_sparse_grad", () -> stepWith(new RAdam(List.of(p)), p, sparseGrad));
    for (Object r : (List<?>) API.config("scenario_errors").get("rows")) {
      List<?> row = (List<?>) r;
      Executable scenario = scenarios.remove((String) row.get(0));
      if (scenario == null) {
        fail("scenario_errors: no Java scenario for " + row.get(0));
      }
      RuntimeException e = assertThrows(javaException((String) row.get(1)), scenario, (String) row.get(0));
      assertEquals(row.get(2), e.getMessage(), (String) row.get(0));
    }
    assertEquals(Map.of(), scenarios, "scenarios without a PyTorch row");
  }

  /** A state dict from the fixture's JSON: integer ids, tensors decoded, numbers kept as they are. */
  private static Map<String, Object> stateDict(Map<?, ?> json) {
    Map<Object, Object> state = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) json.get("state")).entrySet()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (Map.Entry<?, ?> v : ((Map<?, ?>) e.getValue()).entrySet()) {
        values.put((String) v.getKey(), option(v.getValue()));
      }
      state.put(Integer.valueOf((String) e.getKey()), values);
    }
    List<Object> groups = new ArrayList<>();
    for (Object g : (List<?>) json.get("param_groups")) {
      Map<String, Object> group = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) g).entrySet()) {
        group.put((String) e.getKey(), option(e.getValue()));
      }
      groups.add(group);
    }
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("state", state);
    sd.put("param_groups", groups);
    return sd;
  }

  /** Each state value against the fixture's {@code <prefix><key>}: tensors by dtype and value, the int step exactly. */
  private static void assertState(String what, Map<String, Object> state, String c, String prefix) {
    for (Map.Entry<String, Object> e : state.entrySet()) {
      FixtureTensor expected = API.tensor(c, prefix + e.getKey());
      if (e.getValue() instanceof Tensor t) {
        assertEquals(expected.dtype(), dtypeName(t.dtype()), what + " " + e.getKey() + " dtype");
        Tolerance.assertClose(what + " " + e.getKey(), t.toDoubleArray(), expected);
      } else {
        assertInstanceOf(Integer.class, e.getValue(), what + " " + e.getKey());
        assertEquals("int64", expected.dtype());
        assertEquals(expected.longData()[0], ((Integer) e.getValue()).longValue(), what + " " + e.getKey());
      }
    }
  }

  private static void load(String c) {
    Map<String, Object> config = API.config(c);
    DType dtype = dtype((String) config.get("param_dtype"));
    Tensor q = Tensor.zeros(dtype, 3).requiresGrad_(true);
    Optimizer opt = Optimizers.create((String) config.get("optimizer"), List.of(q), options(config.get("defaults")));
    opt.loadStateDict(stateDict((Map<?, ?>) config.get("loaded")));
    assertEquals(config.get("repr"), opt.toString(), c + " repr");
    assertLayout(c + " after load", (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    assertState(c + " after load", opt.state(q), c, "after_load/");
    Map<?, ?> grad = (Map<?, ?>) config.get("grad");
    if (grad.containsKey("dense")) {
      q.setGrad(Tensor.of(doubles((List<?>) grad.get("dense"))).to(dtype));
    } else {
      List<?> indices = (List<?>) ((List<?>) grad.get("indices")).get(0);
      long[] idx = new long[indices.size()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = ((Number) indices.get(i)).longValue();
      }
      q.setGrad(Tensor.sparseCoo(Tensor.of(idx, 1, idx.length),
          Tensor.of(doubles((List<?>) grad.get("values"))).to(dtype), 3));
    }
    opt.step();
    Tolerance.assertClose(c + " param after step", q.toDoubleArray(), API.tensor(c, "param_after_step"));
    assertState(c + " after step", opt.state(q), c, "after_step/");
    assertLayout(c + " after step", (Map<?, ?>) config.get("state_dict_after_step"), opt.stateDict());
  }

  private static double[] doubles(List<?> values) {
    return values.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
  }

  @TestFactory
  Stream<DynamicTest> rosenbrock() {
    Fixtures f = Fixtures.load("optim_averaging/closure.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : f.cases()) {
      tests.add(DynamicTest.dynamicTest(c, () -> {
        List<?> start = (List<?>) f.config(c).get("start");
        Tensor x = Tensor.of(doubles(start)).requiresGrad_(true);
        Optimizer opt = Optimizers.create((String) f.config(c).get("optimizer"), List.of(x),
            options(f.config(c).get("defaults")));
        int[] calls = {0};
        Closure closure = () -> {
          calls[0]++;
          assertTrue(GradMode.isEnabled(), "the closure runs with grad enabled");
          opt.zeroGrad();
          Tensor x0 = x.select(0, 0);
          Tensor x1 = x.select(0, 1);
          Tensor loss = x0.rsub(1).pow(2).add(x1.sub(x0.pow(2)).pow(2).mul(100));
          loss.backward();
          return loss;
        };
        int steps = (Integer) f.config(c).get("steps");
        for (int t = 0; t < steps; t++) {
          Tensor loss = opt.step(closure);
          assertRow(c + " loss " + t, loss, f.tensor(c, "losses"), t);
          assertRow(c + " x " + t, x, f.tensor(c, "x"), t);
        }
        assertEquals(steps, calls[0], "one closure call per step");
      }));
    }
    return tests.stream();
  }
}
