package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.optim4j.optim.FixtureValues.assertLayout;
import static org.optim4j.optim.FixtureValues.assertRow;
import static org.optim4j.optim.FixtureValues.dtype;
import static org.optim4j.optim.FixtureValues.option;
import static org.optim4j.optim.FixtureValues.options;
import static org.optim4j.optim.FixtureValues.rowTensor;
import static org.optim4j.optim.FixtureValues.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * Adamax, Adadelta, Adagrad, RMSprop and Rprop against PyTorch (fixtures/optim_classic/api.json): repr strings,
 * constructor and step errors with their exception kinds, Adagrad's eager state and its add_param_group quirk,
 * back-compat loading of old state dicts, and Adagrad with sparse COO gradients replayed step by step. (Their
 * trajectories are replayed by {@link TrajectoryTest}.)
 */
class ClassicApiFixtureTest {
  private static final Fixtures F = Fixtures.load("optim_classic/api.json");

  @TestFactory
  Stream<DynamicTest> everyCase() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : F.cases()) {
      Executable run;
      if (c.startsWith("repr_")) {
        run = () -> repr(c);
      } else if (c.startsWith("load_legacy_")) {
        run = () -> loadLegacy(c);
      } else if (c.startsWith("sparse_adagrad_")) {
        run = () -> sparseAdagrad(c);
      } else if (c.startsWith("nan_")) {
        run = () -> nanGradient(c);
      } else {
        run = switch (c) {
          case "constructor_errors" -> ClassicApiFixtureTest::constructorErrors;
          case "step_errors" -> ClassicApiFixtureTest::stepErrors;
          case "late_option_errors" -> ClassicApiFixtureTest::lateOptionErrors;
          case "adagrad_eager_state" -> ClassicApiFixtureTest::adagradEagerState;
          case "adagrad_added_group" -> ClassicApiFixtureTest::adagradAddedGroup;
          default -> () -> fail("optim_classic/api.json: case " + c + " of an unknown kind");
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

  private static Tensor zeros(int... shape) {
    return Tensor.zeros(shape).requiresGrad_(true);
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

  /** The rows' sparse gradient: rows 1 and 3 of a [4, 2] parameter, values 1. */
  private static Tensor sparseGrad() {
    return Tensor.sparseCoo(Tensor.of(new long[] {1, 3}, 1, 2), Tensor.ones(2, 2), 4, 2);
  }

  /** PyTorch's step errors; here nothing has changed when they are thrown. */
  private static void stepErrors() {
    for (Object r : (List<?>) F.config("step_errors").get("rows")) {
      List<?> row = (List<?>) r;
      String name = (String) row.get(0);
      Map<String, Object> kwargs = options(row.get(1));
      Tensor p = zeros(4, 2);
      Optimizer opt = Optimizers.create(name, List.of(p), kwargs);
      String before = FixtureValues.canonical(opt.stateDict());
      p.setGrad(sparseGrad());
      RuntimeException e = assertThrows(javaException((String) row.get(2)), opt::step, name + " " + kwargs);
      assertEquals(row.get(3), e.getMessage(), name + " " + kwargs);
      assertArrayEquals(new float[8], p.toFloatArray(), name + ": the parameter is unchanged");
      assertEquals(before, FixtureValues.canonical(opt.stateDict()), name + ": the state is unchanged");
    }
  }

  /** Options turned on after the state exists: PyTorch's KeyError for the state it then looks up. */
  private static void lateOptionErrors() {
    for (Object r : (List<?>) F.config("late_option_errors").get("rows")) {
      List<?> row = (List<?>) r;
      String name = (String) row.get(0);
      Tensor p = zeros(2);
      Optimizer opt = Optimizers.create(name, List.of(p), options(row.get(1)));
      p.setGrad(Tensor.ones(2));
      opt.step();
      opt.paramGroups().get(0).set((String) row.get(2), option(row.get(3)));
      RuntimeException e = assertThrows(javaException((String) row.get(4)), opt::step, name + " " + row.get(2));
      assertEquals(row.get(5), e.getMessage(), name + " " + row.get(2));
    }
  }

  /** NaN gradient elements, step by step: parameters and every state tensor. */
  private static void nanGradient(String c) {
    Map<String, Object> config = F.config(c);
    Tensor p = tensor(F.tensor(c, "init")).requiresGrad_(true);
    Optimizer opt = Optimizers.create((String) config.get("optimizer"), List.of(p), options(config.get("defaults")));
    FixtureTensor grads = F.tensor(c, "grads");
    for (int t = 0; t < grads.shape()[0]; t++) {
      p.setGrad(rowTensor(grads, t));
      opt.step();
      assertRow(c + " step " + (t + 1), p, F.tensor(c, "param"), t);
      assertEquals(config.get("state_keys"), new ArrayList<>(opt.state(p).keySet()), c);
      for (Object key : (List<?>) config.get("state_keys")) {
        assertRow(c + " step " + (t + 1) + " " + key, (Tensor) opt.state(p).get(key), F.tensor(c, "state/" + key), t);
      }
    }
  }

  private static Adagrad eagerAdagrad(Map<String, Object> config, Tensor w, Tensor b) {
    List<?> groups = (List<?>) config.get("groups");
    return (Adagrad) Optimizers.create("Adagrad", List.of(FixtureValues.group(List.of(w), (Map<?, ?>) groups.get(0)),
        FixtureValues.group(List.of(b), (Map<?, ?>) groups.get(1))), options(config.get("defaults")));
  }

  private static Tensor param(Map<String, Object> config, int i) {
    List<?> shape = (List<?>) ((List<?>) config.get("shapes")).get(i);
    int[] s = shape.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    return Tensor.zeros(dtype((String) ((List<?>) config.get("dtypes")).get(i)), s).requiresGrad_(true);
  }

  /** The state exists right after construction, with the constructor's initial_accumulator_value. */
  private static void adagradEagerState() {
    String c = "adagrad_eager_state";
    Map<String, Object> config = F.config(c);
    Tensor w = param(config, 0);
    Tensor b = param(config, 1);
    Adagrad opt = eagerAdagrad(config, w, b);
    assertEquals(config.get("repr"), opt.toString());
    assertLayout(c, (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    assertRowOf(c + " sum/0", (Tensor) opt.state(w).get("sum"), F.tensor(c, "sum/0"));
    assertRowOf(c + " sum/1", (Tensor) opt.state(b).get("sum"), F.tensor(c, "sum/1"));
    assertRowOf(c + " step/0", (Tensor) opt.state(w).get("step"), F.tensor(c, "step/0"));
  }

  /** A group added later gets its state at its first gradient, from the defaults' initial_accumulator_value. */
  private static void adagradAddedGroup() {
    String c = "adagrad_added_group";
    Map<String, Object> eager = F.config("adagrad_eager_state");
    Map<String, Object> config = F.config(c);
    Adagrad opt = eagerAdagrad(eager, param(eager, 0), param(eager, 1));
    Tensor q = zeros(2);
    opt.addParamGroup(ParamGroup.of(q).with("initial_accumulator_value", 5.0).with("lr", 0.5));
    assertLayout(c + " before the step", (Map<?, ?>) config.get("state_dict_before_step"), opt.stateDict());
    List<?> grad = (List<?>) config.get("grad");
    q.setGrad(Tensor.of(new float[] {((Number) grad.get(0)).floatValue(), ((Number) grad.get(1)).floatValue()}));
    opt.step();
    assertLayout(c, (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    assertRowOf(c + " q", q, F.tensor(c, "q"));
    assertRowOf(c + " sum", (Tensor) opt.state(q).get("sum"), F.tensor(c, "sum"));
    assertRowOf(c + " step", (Tensor) opt.state(q).get("step"), F.tensor(c, "step"));
  }

  /** Compares a tensor with an unstacked fixture tensor of the same dtype and shape. */
  private static void assertRowOf(String what, Tensor actual, FixtureTensor expected) {
    assertEquals(expected.dtype(), FixtureValues.dtypeName(actual.dtype()), what + ": dtype");
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    Tolerance.assertClose(what, actual.toDoubleArray(), expected.data(), expected.dtype());
  }

  /**
   * An old state dict: groups without the newer flags, a plain-number step, float32 state for a float64
   * parameter; then one step from the converted state.
   */
  private static void loadLegacy(String c) {
    Map<String, Object> config = F.config(c);
    String name = (String) config.get("optimizer");
    Tensor q = Tensor.zeros(dtype((String) config.get("param_dtype")), 2).requiresGrad_(true);
    Optimizer opt = Optimizers.create(name, List.of(q), Map.of());
    Map<String, Object> paramState = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) config.get("old_state")).entrySet()) {
      if (e.getValue() instanceof List<?> values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = ((Number) values.get(i)).floatValue();
        }
        paramState.put((String) e.getKey(), Tensor.of(v));
      } else {
        paramState.put((String) e.getKey(), e.getValue());
      }
    }
    Map<String, Object> group = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) config.get("old_group")).entrySet()) {
      group.put((String) e.getKey(), option(e.getValue()));
    }
    group.put("params", List.of(0));
    opt.loadStateDict(Map.of("state", Map.of(0, paramState), "param_groups", List.of(group)));
    assertEquals(config.get("repr"), opt.toString(), c);
    for (String key : paramState.keySet()) {
      assertRowOf(c + " " + key, (Tensor) opt.state(q).get(key), F.tensor(c, key));
    }
    List<?> grad = (List<?>) config.get("grad");
    q.setGrad(Tensor.of(new double[] {((Number) grad.get(0)).doubleValue(), ((Number) grad.get(1)).doubleValue()}));
    opt.step();
    assertLayout(c, (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    assertRowOf(c + " param after a step", q, F.tensor(c, "param_after_step"));
  }

  /** Adagrad with sparse COO gradients (uncoalesced) on "emb" and dense ones on "w", replayed step by step. */
  private static void sparseAdagrad(String c) {
    Map<String, Object> config = F.config(c);
    Tensor emb = tensor(F.tensor(c, "init/emb")).requiresGrad_(true);
    Tensor w = tensor(F.tensor(c, "init/w")).requiresGrad_(true);
    Optimizer opt = Optimizers.create("Adagrad", List.of(emb, w), options(config.get("defaults")));
    assertEquals(config.get("repr"), opt.toString(), c);
    int[] shape = ((List<?>) config.get("shape")).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    FixtureTensor indices = F.tensor(c, "grad/emb/indices");
    int sparseDim = indices.shape()[1];
    int nnz = indices.shape()[2];
    int steps = (Integer) config.get("steps");
    for (int t = 0; t < steps; t++) {
      long[] idx = Arrays.copyOfRange(indices.longData(), t * sparseDim * nnz, (t + 1) * sparseDim * nnz);
      Tensor values = rowTensor(F.tensor(c, "grad/emb/values"), t);
      emb.setGrad(Tensor.sparseCoo(Tensor.of(idx, sparseDim, nnz), values, shape));
      w.setGrad(rowTensor(F.tensor(c, "grad/w"), t));
      opt.step();
      assertRow(c + " step " + (t + 1) + " emb", emb, F.tensor(c, "param/emb"), t);
      assertRow(c + " step " + (t + 1) + " w", w, F.tensor(c, "param/w"), t);
      assertRow(c + " step " + (t + 1) + " emb sum", (Tensor) opt.state(emb).get("sum"), F.tensor(c, "state/emb/sum"),
          t);
      assertRow(c + " step " + (t + 1) + " w sum", (Tensor) opt.state(w).get("sum"), F.tensor(c, "state/w/sum"), t);
    }
    assertEquals(DType.FLOAT32, ((Tensor) opt.state(emb).get("step")).dtype());
    assertLayout(c + " final state_dict", (Map<?, ?>) config.get("state_dict"), opt.stateDict());
  }
}
