package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.optim4j.optim.FixtureValues.assertLayout;
import static org.optim4j.optim.FixtureValues.assertRow;
import static org.optim4j.optim.FixtureValues.group;
import static org.optim4j.optim.FixtureValues.options;
import static org.optim4j.optim.FixtureValues.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.optim4j.optim.functional.Functional;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * SparseAdam with sparse COO gradients against PyTorch (fixtures/optim_averaging/sparse/sparse_adam.json,
 * written by tools/reference/gen_optim_averaging.py): every parameter, the int {@code step} and the moments
 * after every step, the final state dict, and a run continued from a saved state dict; then the rules PyTorch
 * states without numbers (dense gradients rejected, empty gradients counted, the functional form).
 */
class SparseAdamTest {
  private static final String FILE = "optim_averaging/sparse/sparse_adam.json";

  @TestFactory
  Stream<DynamicTest> replaysPyTorch() {
    Fixtures f = Fixtures.load(FILE);
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : f.cases()) {
      tests.add(DynamicTest.dynamicTest(c, () -> replay(f, c)));
    }
    assertFalse(tests.isEmpty());
    return tests.stream();
  }

  /** Each parameter's sparse gradients by step (null on the steps listed in {@code grad_none}). */
  private static Map<String, List<Tensor>> gradients(Fixtures f, String c, Map<String, Tensor> params) {
    Map<?, ?> gradNone = (Map<?, ?>) f.config(c).get("grad_none");
    int steps = (Integer) f.config(c).get("steps");
    Map<String, List<Tensor>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      String n = e.getKey();
      long[] counts = f.tensor(c, "grad/" + n + "/nnz").longData();
      FixtureTensor indices = f.tensor(c, "grad/" + n + "/indices");
      long[] idx = indices.longData();
      int sparseDims = indices.shape()[0];
      int total = indices.shape()[1];
      Tensor values = tensor(f.tensor(c, "grad/" + n + "/values"));
      List<?> none = (List<?>) gradNone.get(n);
      List<Tensor> grads = new ArrayList<>();
      int used = 0;
      int offset = 0;
      for (int t = 1; t <= steps; t++) {
        if (none != null && none.contains(t)) {
          grads.add(null);
          continue;
        }
        int nnz = (int) counts[used++];
        long[] stepIdx = new long[sparseDims * nnz];
        for (int d = 0; d < sparseDims; d++) {
          System.arraycopy(idx, d * total + offset, stepIdx, d * nnz, nnz);
        }
        grads.add(Tensor.sparseCoo(Tensor.of(stepIdx, sparseDims, nnz), values.narrow(0, offset, nnz),
            e.getValue().shape()));
        offset += nnz;
      }
      assertEquals(total, offset, c + " " + n + ": every recorded entry is used");
      out.put(n, grads);
    }
    return out;
  }

  private static Map<String, Tensor> params(Fixtures f, String c) {
    Map<String, Tensor> params = new LinkedHashMap<>();
    for (Object g : (List<?>) f.config(c).get("groups")) {
      for (Object n : (List<?>) ((Map<?, ?>) g).get("params")) {
        params.put((String) n, tensor(f.tensor(c, "init/" + n)).requiresGrad_(true));
      }
    }
    return params;
  }

  private static Optimizer build(Map<String, Tensor> params, List<?> groups, Object defaults, boolean overrides) {
    List<ParamGroup> pgs = new ArrayList<>();
    for (Object g : groups) {
      List<Tensor> members = new ArrayList<>();
      for (Object n : (List<?>) ((Map<?, ?>) g).get("params")) {
        members.add(params.get(n));
      }
      pgs.add(overrides ? group(members, (Map<?, ?>) g) : ParamGroup.of(members));
    }
    return Optimizers.create("SparseAdam", pgs, options(defaults));
  }

  private static void setGrads(Map<String, Tensor> params, Map<String, List<Tensor>> grads, int t) {
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      e.getValue().setGrad(grads.get(e.getKey()).get(t - 1));
    }
  }

  private static void replay(Fixtures f, String c) {
    Map<String, Object> config = f.config(c);
    List<?> groups = (List<?>) config.get("groups");
    int steps = (Integer) config.get("steps");
    Map<?, ?> stateFrom = (Map<?, ?>) config.get("state_from");
    Map<String, Tensor> params = params(f, c);
    Map<String, List<Tensor>> grads = gradients(f, c, params);
    Optimizer opt = build(params, groups, config.get("defaults"), true);
    assertEquals(config.get("repr"), opt.toString(), c + ": repr");
    for (int t = 1; t <= steps; t++) {
      setGrads(params, grads, t);
      assertEquals(null, opt.step());
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        String n = e.getKey();
        String where = c + " step " + t + " " + n;
        assertRow(where, e.getValue(), f.tensor(c, "param/" + n), t - 1);
        Integer from = (Integer) stateFrom.get(n);
        Map<String, Object> state = opt.state(e.getValue());
        if (from == null || t < from) {
          assertEquals(Map.of(), state, where + ": no state yet");
          continue;
        }
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), new ArrayList<>(state.keySet()), where);
        Object step = state.get("step");
        assertInstanceOf(Integer.class, step, where + ": PyTorch's int step");
        assertEquals(f.tensor(c, "state/" + n + "/step").longData()[t - from], ((Integer) step).longValue(), where);
        for (String key : List.of("exp_avg", "exp_avg_sq")) {
          assertRow(where + " " + key, (Tensor) state.get(key), f.tensor(c, "state/" + n + "/" + key), t - from);
        }
      }
    }
    assertLayout(c + " final state_dict", (Map<?, ?>) config.get("state_dict"), opt.stateDict());
    if (config.containsKey("resume")) {
      Map<?, ?> resume = (Map<?, ?>) config.get("resume");
      int at = (Integer) resume.get("at");
      Map<String, Tensor> again = params(f, c);
      Optimizer first = build(again, groups, config.get("defaults"), true);
      for (int t = 1; t <= at; t++) {
        setGrads(again, grads, t);
        first.step();
      }
      Optimizer second = build(again, groups, resume.get("defaults"), false);
      second.loadStateDict(first.stateDict());
      assertEquals(resume.get("repr_after_load"), second.toString(), c + ": repr after load");
      for (int t = at + 1; t <= steps; t++) {
        setGrads(again, grads, t);
        second.step();
        for (Map.Entry<String, Tensor> e : again.entrySet()) {
          assertRow(c + " resumed step " + t + " " + e.getKey(), e.getValue(),
              f.tensor(c, "resume/param/" + e.getKey()), t - at - 1);
        }
      }
    }
  }

  /** An uncoalesced gradient of a [4, 2] parameter: rows 1, 3 and 1 again. */
  private static Tensor sparseGrad(DType dtype) {
    Tensor indices = Tensor.of(new long[] {1, 3, 1}, 1, 3);
    Tensor values = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).to(dtype);
    return Tensor.sparseCoo(indices, values, 4, 2);
  }

  private static Tensor param(DType dtype) {
    return Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2).to(dtype).requiresGrad_(true);
  }

  @Test
  void aDenseGradientIsRejectedBeforeAnythingChanges() {
    Tensor sparse = param(DType.FLOAT64);
    Tensor dense = param(DType.FLOAT64);
    SparseAdam opt = new SparseAdam(List.of(ParamGroup.of(sparse), ParamGroup.of(dense)));
    sparse.setGrad(sparseGrad(DType.FLOAT64));
    dense.setGrad(Tensor.onesLike(dense));
    IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
    assertEquals("SparseAdam does not support dense gradients, please consider Adam instead", e.getMessage());
    assertArrayEquals(param(DType.FLOAT64).toDoubleArray(), sparse.toDoubleArray(), "the first group is untouched");
    assertEquals(Map.of(), opt.state(sparse), "no step was counted");
  }

  @Test
  void anEmptyGradientCountsAStepAndChangesNothingElse() {
    Tensor p = param(DType.FLOAT32);
    SparseAdam opt = new SparseAdam(List.of(p), SparseAdam.options().lr(0.1));
    p.setGrad(Tensor.sparseCoo(Tensor.zeros(DType.INT64, 1, 0), Tensor.zeros(0, 2), 4, 2));
    opt.step();
    assertEquals(1, opt.state(p).get("step"));
    assertArrayEquals(param(DType.FLOAT32).toFloatArray(), p.toFloatArray());
    assertArrayEquals(new float[8], ((Tensor) opt.state(p).get("exp_avg")).toFloatArray());
    p.setGrad(sparseGrad(DType.FLOAT32));
    opt.step();
    assertEquals(2, opt.state(p).get("step"));
    float[] after = p.toFloatArray();
    float[] before = param(DType.FLOAT32).toFloatArray();
    for (int i = 0; i < 8; i++) {
      boolean touched = i / 2 == 1 || i / 2 == 3;
      if (touched) {
        assertNotEquals(before[i], after[i], "row " + i / 2 + " is in the gradient");
      } else {
        assertEquals(before[i], after[i], "row " + i / 2 + " is not in the gradient");
      }
    }
  }

  @Test
  void duplicateEntriesAreSummedAsTheCoalescedGradient() {
    Tensor a = param(DType.FLOAT64);
    Tensor b = param(DType.FLOAT64);
    SparseAdam optA = new SparseAdam(List.of(a), SparseAdam.options().lr(0.05).maximize(true));
    SparseAdam optB = new SparseAdam(List.of(b), SparseAdam.options().lr(0.05).maximize(true));
    for (int t = 0; t < 3; t++) {
      a.setGrad(sparseGrad(DType.FLOAT64));
      b.setGrad(sparseGrad(DType.FLOAT64).coalesce());
      optA.step();
      optB.step();
    }
    assertArrayEquals(b.toDoubleArray(), a.toDoubleArray());
    assertArrayEquals(((Tensor) optB.state(b).get("exp_avg_sq")).toDoubleArray(),
        ((Tensor) optA.state(a).get("exp_avg_sq")).toDoubleArray());
  }

  @Test
  void theFunctionalFormIsWhatTheClassRuns() {
    Tensor viaClass = param(DType.FLOAT32);
    SparseAdam opt = new SparseAdam(List.of(viaClass), SparseAdam.options().lr(Tensor.scalar(0.01)).betas(0.8, 0.9));
    Tensor p = param(DType.FLOAT32).requiresGrad_(false);
    Tensor m = Tensor.zeros(4, 2);
    Tensor v = Tensor.zeros(4, 2);
    for (int t = 1; t <= 4; t++) {
      Tensor g = sparseGrad(DType.FLOAT32).mul(1.0 / t);
      viaClass.setGrad(g);
      opt.step();
      Functional.sparseAdam(List.of(p), List.of(g), List.of(m), List.of(v), List.of(t), 1e-8, 0.8, 0.9,
          Tensor.scalar(0.01), false);
      assertArrayEquals(viaClass.toFloatArray(), p.toFloatArray(), "step " + t);
    }
    assertArrayEquals(((Tensor) opt.state(viaClass).get("exp_avg")).toFloatArray(), m.toFloatArray());
  }

  @Test
  void aSparseAdamStepMatchesTheClosedForm() {
    Tensor p = Tensor.of(new double[] {1, 2, 3}).requiresGrad_(true);
    SparseAdam opt = new SparseAdam(List.of(p), SparseAdam.options().lr(0.1).betas(0.9, 0.999).eps(1e-8));
    p.setGrad(Tensor.sparseCoo(Tensor.of(new long[] {2}, 1, 1), Tensor.of(new double[] {0.5}), 3));
    opt.step();
    double m = 0.1 * 0.5;
    double v = 0.001 * 0.25;
    double stepSize = 0.1 * Math.sqrt(1 - 0.999) / (1 - 0.9);
    assertArrayEquals(new double[] {1, 2, 3 - stepSize * m / (Math.sqrt(v) + 1e-8)}, p.toDoubleArray(), 1e-15);
  }

  @Test
  void stateDictsKeepTheIntStep() {
    Tensor p = param(DType.FLOAT64);
    SparseAdam opt = new SparseAdam(List.of(p));
    p.setGrad(sparseGrad(DType.FLOAT64));
    opt.step();
    opt.step();
    Map<?, ?> state = (Map<?, ?>) ((Map<?, ?>) opt.stateDict().get("state")).get(0);
    assertEquals(2, state.get("step"));
    Map<String, Object> sd = opt.stateDict();
    SparseAdam fresh = new SparseAdam(List.of(p));
    fresh.loadStateDict(sd);
    fresh.step();
    assertEquals(3, fresh.state(p).get("step"));
    assertArrayEquals(new String[] {"step", "exp_avg", "exp_avg_sq"}, fresh.state(p).keySet().toArray());
  }

  @Test
  void theFunctionalFormKeepsTheCallersGradMode() {
    Tensor leaf = param(DType.FLOAT64);
    Tensor g = sparseGrad(DType.FLOAT64);
    List<Tensor> m = List.of(Tensor.zeros(DType.FLOAT64, 4, 2));
    List<Tensor> v = List.of(Tensor.zeros(DType.FLOAT64, 4, 2));
    assertThrows(IllegalStateException.class, () -> Functional.sparseAdam(List.of(leaf), List.of(g), m, v,
        List.of(1), 1e-8, 0.9, 0.999, 1e-3, false));
    GradMode.Scope scope = GradMode.noGrad();
    try {
      Functional.sparseAdam(List.of(leaf), List.of(g), m, v, List.of(1), 1e-8, 0.9, 0.999, 1e-3, false);
    } finally {
      scope.close();
    }
    double[] after = leaf.toDoubleArray();
    double[] before = param(DType.FLOAT64).toDoubleArray();
    assertArrayEquals(Arrays.copyOfRange(before, 0, 2), Arrays.copyOfRange(after, 0, 2),
        "row 0 is not in the gradient");
    assertTrue(after[2] < before[2] && after[6] < before[6], "rows 1 and 3 descend");
  }
}
