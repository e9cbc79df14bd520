package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.optim4j.optim.FixtureValues.canonical;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The Optimizer base: parameter groups and defaults, state, zeroGrad, state dicts (layout, round trip, casting,
 * failed loads), hooks. Expected values are PyTorch's documented behaviour (torch-optim-spec §2) or closed
 * forms; the PyTorch-generated checks are in {@link ApiFixtureTest}.
 */
class OptimizerBaseTest {

  private static Tensor param(double... values) {
    return Tensor.of(values).requiresGrad_(true);
  }

  /** A minimal optimizer over given defaults that does nothing but count its updates. */
  private static final class Recorder extends Optimizer {
    final List<Closure> received = new ArrayList<>();

    Recorder(Iterable<?> params, Map<String, ?> defaults) {
      super(params, defaults);
    }

    @Override
    protected Tensor update(Closure closure) {
      received.add(closure);
      return closure == null ? null : closure.call();
    }
  }

  @Test
  void requiredOptionMustBeGivenByEveryGroup() {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("lr", Optimizer.REQUIRED);
    defaults.put("momentum", 0.5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Recorder(List.of(param(1)), defaults));
    assertEquals("parameter group didn't specify a value of required optimization parameter lr", e.getMessage());
    Recorder ok = new Recorder(List.of(ParamGroup.of(param(1)).with("lr", 0.1)), defaults);
    assertEquals(List.of("lr", "momentum"), new ArrayList<>(ok.paramGroups().get(0).keys()));
    assertEquals("<required parameter>", Optimizer.REQUIRED.toString());
  }

  @Test
  void defaultsKeepTheirOrderOrAreSortedWhenUnordered() {
    Map<String, Object> ordered = new LinkedHashMap<>();
    ordered.put("b", 1);
    ordered.put("a", 2);
    assertEquals(List.of("b", "a"), new ArrayList<>(new Recorder(List.of(param(1)), ordered).defaults().keySet()));
    Map<String, Object> unordered = new HashMap<>(Map.of("zeta", 1, "alpha", 2, "mid", 3));
    assertEquals(List.of("alpha", "mid", "zeta"),
        new ArrayList<>(new Recorder(List.of(param(1)), unordered).paramGroups().get(0).keys()));
  }

  @Test
  void groupsAreLiveAndChangesTakeEffectAtTheNextStep() {
    Tensor p = param(1, 2);
    SGD sgd = new SGD(List.of(p), SGD.options().lr(0.1));
    p.setGrad(Tensor.of(new double[] {1, -1}));
    sgd.step();
    assertArrayEquals(new double[] {1 - 0.1, 2 + 0.1}, p.toDoubleArray(), 1e-15);
    ParamGroup g = sgd.paramGroups().get(0);
    g.set("lr", 0.5);
    assertEquals(0.5, sgd.paramGroups().get(0).getDouble("lr"));
    sgd.step();
    assertArrayEquals(new double[] {1 - 0.1 - 0.5, 2 + 0.1 + 0.5}, p.toDoubleArray(), 1e-15);
    assertThrows(UnsupportedOperationException.class, () -> sgd.paramGroups().add(ParamGroup.of(param(0))));
  }

  @Test
  void addedGroupsKeepTheirKeysFirstThenTheDefaults() {
    Tensor a = param(1);
    Tensor b = param(2);
    SGD sgd = new SGD(List.of(a), SGD.options().lr(0.1).momentum(0.9));
    ParamGroup extra = ParamGroup.of(b).with("tag", "head").with("lr", 1e-3);
    sgd.addParamGroup(extra);
    assertSame(extra, sgd.paramGroups().get(1));
    assertEquals(List.of("tag", "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach",
        "differentiable", "fused"), new ArrayList<>(extra.keys()));
    assertEquals("head", extra.get("tag"));
    assertEquals(0.9, extra.getDouble("momentum"));
    assertNull(extra.get("absent"));
    assertTrue(extra.containsKey("foreach"));
    assertNull(extra.get("foreach"));
    assertEquals(List.of(b), extra.get("params"));
    assertThrows(IllegalArgumentException.class, () -> extra.set("params", List.of()));
    assertThrows(IllegalStateException.class, () -> extra.getDouble("absent"));
    assertThrows(IllegalArgumentException.class, () -> extra.getDouble("tag"));
  }

  @Test
  void failedAddParamGroupChangesNothing() {
    Tensor a = param(1);
    SGD sgd = new SGD(List.of(a));
    ParamGroup overlapping = ParamGroup.of(param(2), a).with("lr", 0.5);
    assertThrows(IllegalArgumentException.class, () -> sgd.addParamGroup(overlapping));
    assertEquals(1, sgd.paramGroups().size());
    assertEquals(List.of("lr"), new ArrayList<>(overlapping.keys()), "no defaults filled into a rejected group");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.addParamGroup(null));
    assertEquals("param_group must be a ParamGroup, but got None", e.getMessage());
  }

  @Test
  void paramsAreCheckedAtRunTime() {
    Tensor a = param(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a, "x")));
    assertEquals("optimizer can only optimize Tensors, but one of the params is java.lang.String", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(ParamGroup.of(a), param(2))));
    assertEquals("param_group must be a ParamGroup, but got org.optim4j.tensor.Tensor", e.getMessage());
    Tensor tracked = param(3);
    Tensor view = tracked.mul(1.0);
    view.retainGrad();
    new SGD(List.of(view));
    SGD fromSet = new SGD(new LinkedHashSet<>(List.of(a, param(4))));
    assertEquals(2, fromSet.paramGroups().get(0).params().size());
  }

  @Test
  void namedParametersBecomeParamNames() {
    Map<String, Tensor> named = new LinkedHashMap<>();
    named.put("weight", param(1, 2));
    named.put("bias", param(3));
    Adam adam = new Adam(named, Adam.options());
    assertEquals(List.of("weight", "bias"), adam.paramGroups().get(0).get("param_names"));
    assertEquals("param_names", adam.paramGroups().get(0).keys().iterator().next());
    adam.addParamGroup(ParamGroup.ofNamed(Map.of("extra", param(4))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adam.addParamGroup(ParamGroup.of(param(5))));
    assertEquals("all optimizer param groups should be with/without names. cannot add param group without names to "
        + "the optimizer", e.getMessage());
  }

  @Test
  void stateIsLazyLiveAndOnlyForParameters() {
    Tensor p = param(1, 2);
    Adam adam = new Adam(List.of(p));
    assertEquals(Map.of(), adam.stateDict().get("state"));
    Map<String, Object> s = adam.state(p);
    assertTrue(s.isEmpty());
    assertSame(s, adam.state(p));
    assertEquals("{0: {}, }", canonical(adam.stateDict().get("state")), "an accessed state is listed, as PyTorch's");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.state(param(3)));
    assertEquals("the tensor is not a parameter of this optimizer", e.getMessage());
  }

  @Test
  void aStateTensorReplacedThroughStateTakesEffectAtTheNextStep() {
    double lr = 0.01;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    Tensor p = param(1, -2);
    Adam adam = new Adam(List.of(p), Adam.options().lr(lr));
    p.setGrad(Tensor.of(new double[] {0.5, 0.25}));
    adam.step();
    double[] m0 = {0.1, -0.2};
    double[] v0 = {0.01, 0.04};
    adam.state(p).put("exp_avg", Tensor.of(m0));
    adam.state(p).put("exp_avg_sq", Tensor.of(v0));
    double[] before = p.toDoubleArray();
    double[] g = {-1, 3};
    p.setGrad(Tensor.of(g));
    adam.step();
    for (int i = 0; i < 2; i++) {
      double m = beta1 * m0[i] + (1 - beta1) * g[i];
      double v = beta2 * v0[i] + (1 - beta2) * g[i] * g[i];
      double expected = before[i]
          - lr / (1 - beta1 * beta1) * m / (Math.sqrt(v) / Math.sqrt(1 - beta2 * beta2) + eps);
      assertEquals(expected, p.toDoubleArray()[i], 1e-14);
    }
    assertEquals(2.0, ((Tensor) adam.state(p).get("step")).item());
  }

  @Test
  void zeroGradSetsToNoneOrZeroesInPlace() {
    Tensor p = param(1, 2);
    Tensor q = param(3);
    SGD sgd = new SGD(List.of(p, q));
    Tensor g = Tensor.of(new double[] {5, 6});
    p.setGrad(g);
    sgd.zeroGrad(false);
    assertSame(g, p.grad());
    assertArrayEquals(new double[] {0, 0}, g.toDoubleArray());
    assertNull(q.grad());
    sgd.zeroGrad();
    assertNull(p.grad());
    Tensor x = param(2, 2);
    p.setGrad(x.mul(3));
    assertTrue(p.grad().requiresGrad());
    sgd.zeroGrad(false);
    assertNull(p.grad().gradFn());
    assertFalse(p.grad().requiresGrad());
    assertArrayEquals(new double[] {0, 0}, p.grad().toDoubleArray());
    Tensor w = Tensor.zeros(4, 2).requiresGrad_(true);
    w.setGrad(Tensor.sparseCoo(Tensor.of(new long[] {1, 3}, 1, 2), Tensor.ones(2, 2), 4, 2));
    SGD sparse = new SGD(List.of(w));
    sparse.zeroGrad(false);
    assertTrue(w.grad().isSparse());
    assertEquals(0, w.grad().values().size(0));
    assertArrayEquals(new int[] {1, 0}, w.grad().indices().shape());
  }

  @Test
  @SuppressWarnings("unchecked")
  void stateDictLayoutAndRoundTripShareTheStateTensors() {
    Tensor a = param(1, 2);
    Tensor b = param(3);
    Adam first = new Adam(List.of(ParamGroup.of(a), ParamGroup.of(b).with("lr", 0.5)), Adam.options().amsgrad(true));
    a.setGrad(Tensor.of(new double[] {1, 1}));
    first.step();
    b.setGrad(Tensor.of(new double[] {2}));
    first.step();
    Map<String, Object> sd = first.stateDict();
    assertEquals(List.of("state", "param_groups"), new ArrayList<>(sd.keySet()));
    List<Map<String, Object>> groups = (List<Map<String, Object>>) sd.get("param_groups");
    assertEquals(List.of(0), groups.get(0).get("params"));
    assertEquals(List.of(1), groups.get(1).get("params"));
    assertEquals("params", new ArrayList<>(groups.get(1).keySet()).get(groups.get(1).size() - 1));
    Map<Integer, Map<String, Object>> state = (Map<Integer, Map<String, Object>>) sd.get("state");
    assertEquals(List.of(0, 1), new ArrayList<>(state.keySet()));
    assertSame(first.state(a).get("exp_avg"), state.get(0).get("exp_avg"), "state tensors are the live ones");
    groups.get(0).put("lr", 42.0);
    assertEquals(0.001, first.paramGroups().get(0).getDouble("lr"), "groups are copies");

    Tensor a2 = param(0, 0);
    Tensor b2 = param(0);
    Adam second = new Adam(List.of(ParamGroup.of(a2), ParamGroup.of(b2)));
    second.loadStateDict(first.stateDict());
    assertSame(first.state(a).get("exp_avg_sq"), second.state(a2).get("exp_avg_sq"), "matched by position");
    assertSame(first.state(b).get("step"), second.state(b2).get("step"));
    assertEquals(0.5, second.paramGroups().get(1).getDouble("lr"));
    assertEquals(canonical(first.stateDict()), canonical(second.stateDict()));
  }

  @Test
  @SuppressWarnings("unchecked")
  void loadCastsStateToTheParamDtypeButNotTheStep() {
    Tensor p64 = Tensor.of(new double[] {1, 2}).requiresGrad_(true);
    Adam source = new Adam(List.of(p64));
    p64.setGrad(Tensor.of(new double[] {1, 1}));
    source.step();
    Map<String, Object> sd = source.stateDict();
    ((Map<Integer, Map<String, Object>>) sd.get("state")).get(0).put("step", Tensor.scalar(1, DType.FLOAT64));
    Tensor p32 = Tensor.of(new float[] {1, 2}).requiresGrad_(true);
    Adam target = new Adam(List.of(p32));
    target.loadStateDict(sd);
    assertEquals(DType.FLOAT32, ((Tensor) target.state(p32).get("exp_avg")).dtype());
    assertEquals(DType.FLOAT64, ((Tensor) target.state(p32).get("step")).dtype(), "step is not cast");
    ((List<Map<String, Object>>) sd.get("param_groups")).get(0).put("capturable", true);
    Adam capturable = new Adam(List.of(Tensor.of(new float[] {1, 2}).requiresGrad_(true)));
    capturable.loadStateDict(sd);
    Tensor p = capturable.paramGroups().get(0).params().get(0);
    assertEquals(DType.FLOAT32, ((Tensor) capturable.state(p).get("step")).dtype(), "capturable: step to float32");
  }

  @Test
  void loadKeepsUnknownIdsAndCurrentParamNames() {
    Map<String, Tensor> named = new LinkedHashMap<>();
    named.put("w", param(1));
    SGD sgd = new SGD(named, SGD.options());
    Map<Object, Object> state = new LinkedHashMap<>();
    state.put(7, Map.of("foo", 1));
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("lr", 0.3);
    group.put("params", List.of(0L));
    sgd.loadStateDict(Map.of("state", state, "param_groups", List.of(group)));
    assertEquals(List.of("w"), sgd.paramGroups().get(0).get("param_names"));
    assertEquals("{7: {foo: int 1, }, }", canonical(sgd.stateDict().get("state")));
    assertEquals(0.3, sgd.paramGroups().get(0).getDouble("lr"));
  }

  @Test
  void aFailedLoadChangesNothing() {
    Tensor a = param(1, 2);
    Adam adam = new Adam(List.of(a), Adam.options().lr(0.1));
    a.setGrad(Tensor.of(new double[] {1, 1}));
    adam.step();
    String before = canonical(adam.stateDict());
    Object expAvg = adam.state(a).get("exp_avg");
    ParamGroup group = adam.paramGroups().get(0);

    Map<String, Object> noStep = new LinkedHashMap<>();
    noStep.put("exp_avg", Tensor.zeros(DType.FLOAT64, 2));
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("lr", 7.0);
    g.put("params", List.of(0));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> adam.loadStateDict(Map.of("state", Map.of(0, noStep), "param_groups", List.of(g))));
    assertEquals("'step'", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> adam.loadStateDict(Map.of("state", Map.of(), "param_groups", List.of(g, g))));
    assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(
        Map.of("state", Map.of(), "param_groups", List.of(Map.of("params", List.of(0, 1))))));
    assertEquals("'state'", assertThrows(IllegalStateException.class,
        () -> adam.loadStateDict(Map.of("param_groups", List.of(g)))).getMessage());
    assertEquals("'param_groups'", assertThrows(IllegalStateException.class,
        () -> adam.loadStateDict(Map.of("state", Map.of()))).getMessage());

    assertEquals(before, canonical(adam.stateDict()));
    assertSame(expAvg, adam.state(a).get("exp_avg"));
    assertSame(group, adam.paramGroups().get(0));
    assertEquals(0.1, group.getDouble("lr"));
  }

  @Test
  void hooksCanReplaceTheClosureAndTheStateDicts() {
    Tensor p = param(1);
    Recorder opt = new Recorder(List.of(p), Map.of("lr", 1.0));
    Tensor replacedLoss = Tensor.scalar(9.0);
    Closure replacement = () -> replacedLoss;
    List<Closure> postSaw = new ArrayList<>();
    RemovableHandle pre = opt.registerStepPreHook((o, c) -> replacement);
    opt.registerStepPostHook((o, c) -> postSaw.add(c));
    assertSame(replacedLoss, opt.step(() -> Tensor.scalar(1.0)));
    assertEquals(List.of(replacement), postSaw);
    pre.remove();
    pre.remove();
    assertNull(opt.step());
    assertNull(opt.received.get(1));

    Map<String, Object> custom = new LinkedHashMap<>();
    custom.put("state", new LinkedHashMap<>());
    custom.put("param_groups", List.of(Map.of("params", List.of(0), "lr", 3.0)));
    try (RemovableHandle h = opt.registerStateDictPostHook((o, sd) -> custom)) {
      assertSame(custom, opt.stateDict(), "while " + h + " is open");
    }
    assertFalse(opt.stateDict() == custom, "closing the handle removed the hook");
    opt.registerLoadStateDictPreHook((o, sd) -> custom);
    opt.loadStateDict(Map.of("state", Map.of(), "param_groups", List.of()));
    assertEquals(3.0, opt.paramGroups().get(0).getDouble("lr"));
  }

  @Test
  void globalHooksRunForEveryOptimizer() {
    List<String> seen = new ArrayList<>();
    SGD a = new SGD(List.of(param(1)));
    Adam b = new Adam(List.of(param(1)));
    RemovableHandle h = Optimizer.registerOptimizerStepPostHook((o, c) -> seen.add(o.getClass().getSimpleName()));
    a.step();
    b.step();
    h.remove();
    a.step();
    assertEquals(List.of("SGD", "Adam"), seen);
  }

  @Test
  void differentDtypesKeepTheirOwnState() {
    Tensor p32 = Tensor.of(new float[] {1, 2}).requiresGrad_(true);
    Tensor p64 = Tensor.of(new double[] {1, 2}).requiresGrad_(true);
    SGD sgd = new SGD(List.of(p32, p64), SGD.options().momentum(0.9));
    p32.setGrad(Tensor.of(new float[] {1, 1}));
    p64.setGrad(Tensor.of(new double[] {1, 1}));
    sgd.step();
    sgd.step();
    assertEquals(DType.FLOAT32, ((Tensor) sgd.state(p32).get("momentum_buffer")).dtype());
    assertEquals(DType.FLOAT64, ((Tensor) sgd.state(p64).get("momentum_buffer")).dtype());
    assertEquals(DType.FLOAT32, p32.dtype());
    assertArrayEquals(new double[] {1.9, 1.9}, ((Tensor) sgd.state(p64).get("momentum_buffer")).toDoubleArray(), 1e-15);
    assertArrayEquals(new float[] {1.9f, 1.9f}, ((Tensor) sgd.state(p32).get("momentum_buffer")).toFloatArray(), 1e-7f);
  }
}
