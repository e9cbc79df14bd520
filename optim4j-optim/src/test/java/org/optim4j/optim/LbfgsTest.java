package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.optim4j.optim.FixtureValues.options;
import static org.optim4j.optim.FixtureValues.tensor;
import static org.optim4j.optim.MatrixFixtures.assertClose;
import static org.optim4j.optim.MatrixFixtures.row;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * LBFGS, and every closure-driven case of fixtures/optim_matrix/closure.json (LBFGS on Rosenbrock, a quadratic
 * with a quartic and a tiny MLP; Adafactor and Muon on Rosenbrock): the loss each step returns, the parameters,
 * the closure calls, LBFGS's counters, its final state (layout and values) and a run resumed from a state dict;
 * then what PyTorch 2.14 adds ({@code maximize}, no parameters) and the behaviour around the closure.
 */
class LbfgsTest {
  private static final Fixtures F = Fixtures.load("optim_matrix/closure.json");

  @TestFactory
  Stream<DynamicTest> everyClosureCase() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : F.cases()) {
      String problem = (String) F.config(c).get("problem");
      if (!List.of("rosenbrock", "quadratic", "mlp").contains(problem)) {
        tests.add(DynamicTest.dynamicTest(c, () -> fail("closure.json: case " + c + " of an unknown kind")));
      } else {
        tests.add(DynamicTest.dynamicTest(c, () -> replay(c)));
      }
    }
    return tests.stream();
  }

  /** The parameters and data of a case: a fresh copy of {@code init/<p>} per parameter, in order. */
  private static Map<String, Tensor> params(String c) {
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (Object n : (List<?>) F.config(c).get("params")) {
      params.put((String) n, tensor(F.tensor(c, "init/" + n)).requiresGrad_(true));
    }
    return params;
  }

  /** The closure of a case's problem: zero the gradients, compute the loss, set the gradients, count the call. */
  static Closure closure(String c, Map<String, Tensor> params, Optimizer[] opt, int[] calls) {
    String problem = (String) F.config(c).get("problem");
    Function<Map<String, Tensor>, Tensor> loss = switch (problem) {
      case "rosenbrock" -> p -> rosenbrock(p.get("x"));
      case "mlp" -> p -> {
        Tensor x = tensor(F.tensor(c, "data/x"));
        Tensor y = tensor(F.tensor(c, "data/y"));
        Tensor h = x.matmul(p.get("W1").t()).add(p.get("b1")).tanh();
        return h.matmul(p.get("W2").t()).sub(y).pow(2).mean();
      };
      default -> null;
    };
    return () -> {
      calls[0]++;
      assertTrue(GradMode.isEnabled(), "the closure runs with grad enabled");
      opt[0].zeroGrad();
      if (loss != null) {
        Tensor l = loss.apply(params);
        l.backward();
        return l;
      }
      // quadratic: the closure sets the gradient a x + x x x / 16 itself; the loss is summed in float64
      Tensor x = params.get("x").detach();
      Tensor a = tensor(F.tensor(c, "data/a"));
      params.get("x").setGrad(a.mul(x).add(x.mul(x).mul(x).mul(0.0625)));
      Tensor x64 = x.to(DType.FLOAT64);
      Tensor a64 = a.to(DType.FLOAT64);
      return a64.mul(x64).mul(x64).mul(0.5).add(x64.mul(x64).mul(x64).mul(x64).div(64)).sum();
    };
  }

  static Tensor rosenbrock(Tensor x) {
    Tensor v = x.reshape(2);
    Tensor x0 = v.select(0, 0);
    Tensor x1 = v.select(0, 1);
    return x0.rsub(1).pow(2).add(x1.sub(x0.pow(2)).pow(2).mul(100));
  }

  private static void replay(String c) {
    Map<String, Object> config = F.config(c);
    String name = (String) config.get("optimizer");
    boolean lbfgs = name.equals("LBFGS");
    String dtype = (String) config.get("dtype");
    double rtol = lbfgs ? MatrixFixtures.lbfgsRtol(dtype) : Tolerance.rtol(dtype);
    Map<String, Tensor> params = params(c);
    Optimizer[] opt = {Optimizers.create(name, new ArrayList<>(params.values()), options(config.get("defaults")))};
    String repr = (String) config.get("repr");
    assertEquals(lbfgs ? MatrixFixtures.withMaximize(repr, false) : repr, opt[0].toString(), c + ": repr");
    int[] calls = {0};
    Closure closure = closure(c, params, opt, calls);
    int steps = (Integer) config.get("steps");
    Map<?, ?> resume = (Map<?, ?>) config.get("resume");
    Map<String, Object> saved = null;
    for (int t = 0; t < steps; t++) {
      int before = calls[0];
      Tensor loss = opt[0].step(closure);
      String where = c + " step " + (t + 1);
      assertClose(where + " loss", new double[] {loss.item()}, row(F.tensor(c, "loss"), t), rtol);
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        assertClose(where + " " + e.getKey(), e.getValue().toDoubleArray(),
            row(F.tensor(c, "param/" + e.getKey()), t), rtol);
      }
      assertEquals(F.tensor(c, "calls").longData()[t], calls[0] - before, where + ": closure calls");
      if (lbfgs) {
        Map<String, Object> state = opt[0].state(params.values().iterator().next());
        assertEquals((int) F.tensor(c, "func_evals").longData()[t], state.get("func_evals"), where + " func_evals");
        assertEquals((int) F.tensor(c, "n_iter").longData()[t], state.get("n_iter"), where + " n_iter");
      }
      if (resume != null && t + 1 == (Integer) resume.get("at")) {
        saved = deepCopy(opt[0].stateDict());
      }
    }
    if (lbfgs) {
      checkState(c, opt[0].state(params.values().iterator().next()),
          dtype.equals("float64") ? MatrixFixtures.RTOL_LBFGS_STATE : rtol);
    }
    if (resume != null) {
      resumed(c, (Integer) resume.get("at"), saved, (String) resume.get("repr_after_load"), rtol);
    }
  }

  @SuppressWarnings("unchecked")
  private static void checkState(String c, Map<String, Object> state, double rtol) {
    List<List<String>> expected = new ArrayList<>();
    for (Object entry : (List<?>) F.config(c).get("state_layout")) {
      expected.add((List<String>) entry);
    }
    assertEquals(expected, MatrixFixtures.layout(state), c + ": final state layout");
    for (String key : List.of("d", "prev_flat_grad")) {
      assertClose(c + " state " + key, ((Tensor) state.get(key)).toDoubleArray(),
          F.tensor(c, "state/" + key).data(), rtol);
    }
    for (String key : List.of("old_dirs", "old_stps", "ro")) {
      List<Tensor> list = (List<Tensor>) state.get(key);
      if (list.isEmpty()) {
        continue;
      }
      assertClose(c + " state " + key, Tensor.stack(list, 0).toDoubleArray(), F.tensor(c, "state/" + key).data(),
          rtol);
    }
    for (String key : List.of("t", "H_diag", "prev_loss")) {
      Object v = state.get(key);
      double value = v instanceof Tensor t ? t.item() : ((Number) v).doubleValue();
      assertClose(c + " state " + key, new double[] {value}, F.tensor(c, "state/" + key).data(), rtol);
    }
  }

  /**
   * Loads the state dict saved after step {@code at} into a fresh LBFGS (constructor defaults) over copies of
   * the parameters at that step, and continues: the run must follow PyTorch's uninterrupted one.
   */
  private static void resumed(String c, int at, Map<String, Object> saved, String repr, double rtol) {
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (Object n : (List<?>) F.config(c).get("params")) {
      FixtureTensor traj = F.tensor(c, "param/" + n);
      Tensor init = tensor(F.tensor(c, "init/" + n));
      params.put((String) n, Tensor.of(row(traj, at - 1)).to(init.dtype()).reshape(init.shape()).requiresGrad_(true));
    }
    Optimizer[] opt = {new LBFGS(new ArrayList<>(params.values()))};
    opt[0].loadStateDict(saved);
    assertEquals(MatrixFixtures.withMaximize(repr, false), opt[0].toString(), c + ": repr after load");
    Closure closure = closure(c, params, opt, new int[1]);
    int steps = (Integer) F.config(c).get("steps");
    for (int t = at; t < steps; t++) {
      opt[0].step(closure);
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        assertClose(c + " resumed step " + (t + 1) + " " + e.getKey(), e.getValue().toDoubleArray(),
            row(F.tensor(c, "param/" + e.getKey()), t), rtol);
      }
    }
  }

  /**
   * A copy of a state dict whose tensors and lists are copies, as the generator's {@code copy.deepcopy}: the
   * state dict holds LBFGS's live tensors, which later steps change in place.
   */
  @SuppressWarnings("unchecked")
  static <T> T deepCopy(T value) {
    if (value instanceof Tensor t) {
      return (T) t.detach().clone();
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(e.getKey(), deepCopy(e.getValue()));
      }
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(deepCopy(x));
      }
      return (T) out;
    }
    return value;
  }

  // ---------------------------------------------------------------------------------------------
  // PyTorch 2.14's additions, checked against a closed form or a second run

  /** LBFGS maximizing f takes exactly the steps of LBFGS minimizing −f (PyTorch 2.14's {@code maximize}). */
  @ParameterizedTest
  @ValueSource(strings = {"none", "strong_wolfe"})
  void maximizingFIsMinimizingMinusF(String lineSearch) {
    Tensor up = Tensor.of(new double[] {-1.5, 2.0}).requiresGrad_(true);
    Tensor down = Tensor.of(new double[] {-1.5, 2.0}).requiresGrad_(true);
    Map<String, Object> common = new HashMap<>();
    common.put("line_search_fn", lineSearch.equals("none") ? null : lineSearch);
    common.put("history_size", 4);
    common.put("max_iter", 6);
    common.put("lr", 0.5);
    Map<String, Object> maximizing = new HashMap<>(common);
    maximizing.put("maximize", true);
    Optimizer maxOpt = Optimizers.create("LBFGS", List.of(up), maximizing);
    Optimizer minOpt = Optimizers.create("LBFGS", List.of(down), common);
    for (int step = 0; step < 6; step++) {
      Tensor f = maxOpt.step(() -> {
        maxOpt.zeroGrad();
        Tensor l = rosenbrock(up).neg();
        l.backward();
        return l;
      });
      Tensor g = minOpt.step(() -> {
        minOpt.zeroGrad();
        Tensor l = rosenbrock(down);
        l.backward();
        return l;
      });
      assertEquals(-g.item(), f.item(), "step returns the closure's own loss");
      assertArrayEquals(down.toDoubleArray(), up.toDoubleArray(), "step " + step);
      assertEquals(minOpt.state(down).get("func_evals"), maxOpt.state(up).get("func_evals"));
    }
    assertTrue(rosenbrock(down).item() < 1, "the run made progress");
  }

  /** With no parameters, PyTorch 2.14's step calls the closure once and returns its loss. */
  @Test
  void withoutParametersTheClosureRunsOnce() {
    LBFGS opt = new LBFGS(List.of(ParamGroup.of(List.of())));
    Tensor loss = Tensor.scalar(3.5);
    int[] calls = {0};
    assertSame(loss, opt.step(() -> {
      calls[0]++;
      return loss;
    }));
    assertEquals(1, calls[0]);
  }

  @Test
  void aClosureIsRequired() {
    LBFGS opt = new LBFGS(List.of(Tensor.zeros(2).requiresGrad_(true)));
    assertThrows(NullPointerException.class, opt::step);
  }

  /** A closure that finds the gradient already small enough returns after one call, without other state. */
  @Test
  void aStationaryStartStopsAfterOneCall() {
    Tensor x = Tensor.of(new double[] {1, 1}).requiresGrad_(true);
    LBFGS opt = new LBFGS(List.of(x));
    int[] calls = {0};
    opt.step(() -> {
      calls[0]++;
      opt.zeroGrad();
      Tensor l = rosenbrock(x);
      l.backward();
      return l;
    });
    assertEquals(1, calls[0]);
    assertEquals(List.of("func_evals", "n_iter"), new ArrayList<>(opt.state(x).keySet()));
    assertEquals(1, opt.state(x).get("func_evals"));
    assertEquals(0, opt.state(x).get("n_iter"));
  }

  @Test
  void maxEvalDefaultsToIntegerArithmetic() {
    List<Tensor> p = List.of(Tensor.zeros(2).requiresGrad_(true));
    assertEquals(25, new LBFGS(p).paramGroups().get(0).get("max_eval"));
    assertEquals(8, new LBFGS(p, LBFGS.options().maxIter(7)).paramGroups().get(0).get("max_eval"));
    assertEquals(1, new LBFGS(p, LBFGS.options().maxIter(1)).paramGroups().get(0).get("max_eval"));
    assertEquals(3, new LBFGS(p, LBFGS.options().maxIter(7).maxEval(3)).paramGroups().get(0).get("max_eval"));
    assertEquals(12, Optimizers.create("LBFGS", p, Map.of("max_iter", 10.0)).paramGroups().get(0).get("max_eval"),
        "an integral float is an int");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("LBFGS", p, Map.of("max_iter", 2.5)));
    assertEquals("LBFGS option 'max_iter' must be an int (an integral Number), got Double 2.5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Optimizers.create("LBFGS", p, Map.of("history_size", "3")));
    assertEquals(Integer.valueOf(1), new LBFGS(p).paramGroups().get(0).get("lr"), "lr defaults to the int 1");
  }

  /** A sparse gradient is densified: the run equals the one with the same gradient dense. */
  @Test
  void sparseGradientsAreDensified() {
    Tensor a = Tensor.of(new double[] {1.0, -2.0, 0.5}).requiresGrad_(true);
    Tensor b = Tensor.of(new double[] {1.0, -2.0, 0.5}).requiresGrad_(true);
    LBFGS sparse = new LBFGS(List.of(a), LBFGS.options().maxIter(5).lr(0.5));
    LBFGS dense = new LBFGS(List.of(b), LBFGS.options().maxIter(5).lr(0.5));
    for (int step = 0; step < 3; step++) {
      sparse.step(() -> {
        Tensor g = a.detach().mul(2).sub(1);
        Tensor indices = Tensor.of(new long[] {0, 1, 2}, 1, 3);
        a.setGrad(Tensor.sparseCoo(indices, g, 3));
        return a.detach().mul(a.detach()).sub(a.detach()).sum();
      });
      dense.step(() -> {
        b.setGrad(b.detach().mul(2).sub(1));
        return b.detach().mul(b.detach()).sub(b.detach()).sum();
      });
      assertArrayEquals(b.toDoubleArray(), a.toDoubleArray());
    }
  }

  @Test
  void aSecondGroupIsRejected() {
    Tensor x = Tensor.zeros(2).requiresGrad_(true);
    LBFGS opt = new LBFGS(List.of(x));
    opt.addParamGroup(ParamGroup.of(Tensor.zeros(1).requiresGrad_(true)));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> opt.step(() -> Tensor.scalar(0.0)));
    assertEquals("Expected exactly one param_group, but got 2", e.getMessage());
  }

  /** A checkpoint of PyTorch 2.13 has no {@code maximize}: loading it sets false, as 2.14's default. */
  @Test
  void loadingAStateDictWithoutMaximize() {
    Tensor x = Tensor.zeros(2).requiresGrad_(true);
    LBFGS opt = new LBFGS(List.of(x), LBFGS.options().maximize(true));
    Map<String, Object> sd = opt.stateDict();
    @SuppressWarnings("unchecked")
    Map<String, Object> group = ((List<Map<String, Object>>) sd.get("param_groups")).get(0);
    group.remove("maximize");
    opt.loadStateDict(sd);
    assertEquals(Boolean.FALSE, opt.paramGroups().get(0).get("maximize"));
  }
}
