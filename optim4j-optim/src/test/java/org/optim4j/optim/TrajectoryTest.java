package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.optim4j.optim.FixtureValues.assertLayout;
import static org.optim4j.optim.FixtureValues.assertRow;
import static org.optim4j.optim.FixtureValues.group;
import static org.optim4j.optim.FixtureValues.options;
import static org.optim4j.optim.FixtureValues.rowTensor;
import static org.optim4j.optim.FixtureValues.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * Replays PyTorch's recorded gradients into our optimizers and compares every parameter and every state
 * tensor after every step, the repr, the final state dict's layout, and the run continued from a state dict
 * saved mid-way (every trajectory file of fixtures/optim*: see {@link #trajectoryFiles}). Every case of the
 * files is run; a case of an unknown kind fails.
 */
class TrajectoryTest {

  @TestFactory
  Stream<DynamicTest> everyCase() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : trajectoryFiles()) {
      Fixtures f = Fixtures.load(file);
      for (String c : f.cases()) {
        Map<String, Object> config = f.config(c);
        if (config.containsKey("groups")) {
          tests.add(DynamicTest.dynamicTest(c, () -> replay(f, c)));
        } else if (config.containsKey("params")) {
          tests.add(DynamicTest.dynamicTest(c, () -> mixedDtypes(f, c)));
        } else {
          tests.add(DynamicTest.dynamicTest(c, () -> fail(file + ": case " + c + " of an unknown kind")));
        }
      }
    }
    assertFalse(tests.isEmpty());
    return tests.stream();
  }

  /**
   * Every trajectory file: each JSON file in a {@code fixtures/optim*} directory except the closure and API
   * tables ({@code closure.json}, {@code api.json}), which have tests of their own.
   */
  static List<String> trajectoryFiles() {
    List<String> files = new ArrayList<>();
    try (Stream<java.nio.file.Path> dirs = java.nio.file.Files.list(Fixtures.directory())) {
      for (java.nio.file.Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("optim")).sorted()
          .toList()) {
        try (Stream<java.nio.file.Path> jsons = java.nio.file.Files.list(dir)) {
          jsons.map(j -> j.getFileName().toString())
              .filter(n -> n.endsWith(".json") && !n.equals("closure.json") && !n.equals("api.json")).sorted()
              .forEach(n -> files.add(dir.getFileName() + "/" + n));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return files;
  }

  /** The parameters of a case, built from {@code init/<name>}, in group order. */
  private static Map<String, Tensor> params(Fixtures f, String c, List<?> groups) {
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (Object g : groups) {
      for (Object n : (List<?>) ((Map<?, ?>) g).get("params")) {
        params.put((String) n, tensor(f.tensor(c, "init/" + n)).requiresGrad_(true));
      }
    }
    return params;
  }

  private static Optimizer build(String optimizer, Map<String, Tensor> params, List<?> groups, Object defaults,
      boolean overrides) {
    List<ParamGroup> pgs = new ArrayList<>();
    for (Object g : groups) {
      List<Tensor> members = new ArrayList<>();
      for (Object n : (List<?>) ((Map<?, ?>) g).get("params")) {
        members.add(params.get(n));
      }
      pgs.add(overrides ? group(members, (Map<?, ?>) g) : ParamGroup.of(members));
    }
    return Optimizers.create(optimizer, pgs, options(defaults));
  }

  /** Sets the recorded gradients of step {@code t} (1-based); {@code used} counts each parameter's rows. */
  private static void setGrads(Fixtures f, String c, Map<String, Tensor> params, Map<?, ?> gradNone, int t,
      Map<String, Integer> used) {
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      List<?> none = (List<?>) gradNone.get(e.getKey());
      if (none != null && none.contains(t)) {
        e.getValue().setGrad(null);
      } else {
        int row = used.merge(e.getKey(), 1, Integer::sum) - 1;
        e.getValue().setGrad(rowTensor(f.tensor(c, "grad/" + e.getKey()), row));
      }
    }
  }

  private static void replay(Fixtures f, String c) {
    Map<String, Object> config = f.config(c);
    String optimizer = (String) config.get("optimizer");
    List<?> groups = (List<?>) config.get("groups");
    int steps = (Integer) config.get("steps");
    Map<?, ?> gradNone = (Map<?, ?>) config.get("grad_none");
    Map<?, ?> stateFrom = (Map<?, ?>) config.get("state_from");
    Map<?, ?> stateKeys = (Map<?, ?>) config.get("state_keys");
    Map<String, Tensor> params = params(f, c, groups);
    Optimizer opt = build(optimizer, params, groups, config.get("defaults"), true);
    assertEquals(config.get("repr"), opt.toString(), c + ": repr");
    List<String> ids = new ArrayList<>(params.keySet());
    Map<String, Integer> used = new LinkedHashMap<>();
    for (int t = 1; t <= steps; t++) {
      setGrads(f, c, params, gradNone, t, used);
      assertEquals(null, opt.step());
      Map<?, ?> state = (Map<?, ?>) opt.stateDict().get("state");
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        String n = e.getKey();
        String where = c + " step " + t + " " + n;
        assertRow(where, e.getValue(), f.tensor(c, "param/" + n), t - 1);
        Integer from = (Integer) stateFrom.get(n);
        if (from == null || t < from) {
          assertFalse(state.containsKey(ids.indexOf(n)), where + ": no state yet");
          continue;
        }
        for (Object key : (List<?>) stateKeys.get(n)) {
          Tensor value = (Tensor) opt.state(e.getValue()).get(key);
          assertRow(where + " " + key, value, f.tensor(c, "state/" + n + "/" + key), t - from);
        }
      }
    }
    assertLayout(c + " final state_dict", (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    if (config.containsKey("resume")) {
      resume(f, c, optimizer, groups, steps, gradNone, (Map<?, ?>) config.get("resume"));
    }
  }

  /**
   * Runs to the saved step, loads the state dict into a fresh optimizer (constructor defaults, groups
   * without overrides) over the same parameters and continues: the fresh optimizer must take the saved
   * hyper-parameters and state and follow PyTorch's continued run.
   */
  private static void resume(Fixtures f, String c, String optimizer, List<?> groups, int steps, Map<?, ?> gradNone,
      Map<?, ?> resume) {
    int at = (Integer) resume.get("at");
    Map<String, Tensor> params = params(f, c, groups);
    Optimizer first = build(optimizer, params, groups, f.config(c).get("defaults"), true);
    Map<String, Integer> used = new LinkedHashMap<>();
    for (int t = 1; t <= at; t++) {
      setGrads(f, c, params, gradNone, t, used);
      first.step();
    }
    Map<String, Object> saved = first.stateDict();
    Optimizer second = build(optimizer, params, groups, resume.get("defaults"), false);
    second.loadStateDict(saved);
    assertEquals(resume.get("repr_after_load"), second.toString(), c + ": repr after load");
    for (int t = at + 1; t <= steps; t++) {
      setGrads(f, c, params, gradNone, t, used);
      second.step();
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        assertRow(c + " resumed step " + t + " " + e.getKey(), e.getValue(),
            f.tensor(c, "resume/param/" + e.getKey()), t - at - 1);
      }
    }
  }

  /** A float32 and a float64 parameter in one optimizer: each keeps its state in its own dtype. */
  private static void mixedDtypes(Fixtures f, String c) {
    Map<String, Object> config = f.config(c);
    Map<?, ?> dtypes = (Map<?, ?>) config.get("params");
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (Object n : dtypes.keySet()) {
      params.put((String) n, tensor(f.tensor(c, "init/" + n)).requiresGrad_(true));
    }
    Optimizer opt = Optimizers.create((String) config.get("optimizer"), new ArrayList<>(params.values()),
        options(config.get("defaults")));
    assertEquals(config.get("repr"), opt.toString());
    int steps = (Integer) config.get("steps");
    for (int t = 0; t < steps; t++) {
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        e.getValue().setGrad(rowTensor(f.tensor(c, "grad/" + e.getKey()), t));
      }
      opt.step();
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        String n = e.getKey();
        assertRow(c + " step " + (t + 1) + " " + n, e.getValue(), f.tensor(c, "param/" + n), t);
        for (Map.Entry<String, Object> s : opt.state(e.getValue()).entrySet()) {
          Tensor value = (Tensor) s.getValue();
          assertRow(c + " step " + (t + 1) + " " + n + " " + s.getKey(), value,
              f.tensor(c, "state/" + n + "/" + s.getKey()), t);
          DType expected = s.getKey().equals("step") ? DType.FLOAT32 : e.getValue().dtype();
          assertEquals(expected, value.dtype(), n + " " + s.getKey());
        }
      }
    }
    assertTrue(opt.state(params.get("w64")).containsKey("max_exp_avg_sq"));
    assertLayout(c + " final state_dict", (Map<?, ?>) config.get("state_dict"), opt.stateDict());
  }
}
