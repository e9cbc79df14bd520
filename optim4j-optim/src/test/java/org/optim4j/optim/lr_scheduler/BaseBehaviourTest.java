package org.optim4j.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The base class's contract beyond the fixtures: the initial_lr rules, resuming, tensor learning rates,
 * atomic and lenient state-dict loading, what ReduceLROnPlateau and the composites lack, and
 * {@code step(int)} meaning a metric on ReduceLROnPlateau and an epoch on CosineAnnealingWarmRestarts.
 */
class BaseBehaviourTest {
  private static Tensor param() {
    return Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true);
  }

  private static SGD sgd(double... lrs) {
    List<ParamGroup> groups = new ArrayList<>();
    for (double lr : lrs) {
      groups.add(ParamGroup.of(param()).with("lr", lr));
    }
    return new SGD(groups, SGD.options().momentum(0.9));
  }

  @Test
  void aNullOptimizerIsAMissingArgument() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> new StepLR(null, 3));
    assertEquals("optimizer must not be null: a scheduler needs an Optimizer", e.getMessage());
    assertThrows(NullPointerException.class, () -> new CyclicLR(null, 0.1, 1.0));
    assertThrows(NullPointerException.class, () -> new OneCycleLR(null, 0.1, 10));
    assertThrows(NullPointerException.class, () -> new ReduceLROnPlateau(null));
    assertThrows(NullPointerException.class, () -> new LambdaLR(null, e2 -> 1.0));
  }

  @Test
  void anExistingInitialLrIsKept() {
    SGD opt = sgd(0.1, 0.2);
    opt.paramGroups().get(0).set("initial_lr", 0.5);
    StepLR s = new StepLR(opt, 2);
    assertEquals(List.of(0.5, 0.2), s.baseLrs());
    assertEquals(0.5, opt.paramGroups().get(0).getDouble("initial_lr"));
    assertEquals(0.2, opt.paramGroups().get(1).getDouble("initial_lr"));
  }

  @Test
  void resumingNeedsInitialLrInEveryGroupAndTakesTheNextStep() {
    SGD opt = sgd(0.1, 0.2);
    opt.paramGroups().get(0).set("initial_lr", 0.1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StepLR(opt, 2, 0.1, 4));
    assertTrue(e.getMessage().startsWith("param 'initial_lr' is not specified in param_groups[1] when resuming"));
    opt.paramGroups().get(1).set("initial_lr", 0.2);
    StepLR s = new StepLR(opt, 2, 0.1, 4);
    assertEquals(5, s.lastEpoch());
    assertEquals(1, s.stepCount());
    assertEquals(List.of(0.1, 0.2), s.getLastLr(), "e = 5 is not a multiple of 2: the lr is kept");
  }

  @Test
  void aTensorLrIsFilledInPlace() {
    Tensor lr = Tensor.scalar(0.1, DType.FLOAT64);
    SGD opt = new SGD(List.of(param()), SGD.options().lr(lr));
    StepLR s = new StepLR(opt, 1, 0.5);
    assertNotSame(lr, opt.paramGroups().get(0).get("initial_lr"), "initial_lr is a clone");
    opt.step();
    s.step();
    assertSame(lr, opt.paramGroups().get(0).get("lr"), "the same tensor");
    assertEquals(0.05, lr.item(), 1e-17);
    assertEquals(List.of(0.05), s.getLastLr());
    assertEquals(0.1, ((Tensor) opt.paramGroups().get(0).get("initial_lr")).item(), 0.0);
  }

  @Test
  void stateDictsAreCopiesAndLoadingIsAtomic() {
    SGD opt = sgd(0.1);
    StepLR s = new StepLR(opt, 3, 0.5);
    Map<String, Object> sd = s.stateDict();
    ((List<?>) sd.get("base_lrs")).clear();
    assertEquals(List.of(0.1), s.baseLrs(), "the returned lists are copies");

    Map<String, Object> bad = new LinkedHashMap<>(s.stateDict());
    bad.put("last_epoch", 7);
    bad.put("gamma", "half");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad));
    assertEquals("state_dict['gamma'] must be a float, got String 'half'", e.getMessage());
    assertEquals(0, s.lastEpoch(), "nothing was loaded");

    Map<String, Object> partial = new HashMap<>();
    partial.put("last_epoch", 5);
    partial.put("verbose", false);
    s.loadStateDict(partial);
    assertEquals(5, s.lastEpoch(), "present keys are loaded, absent ones kept, unknown ones ignored");
    assertEquals(3, s.stateDict().get("step_size"));
  }

  @Test
  void reduceLrOnPlateauHasNoBaseStateAndTakesMetrics() {
    SGD opt = sgd(1.0, 0.5);
    ReduceLROnPlateau p = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(0).factor(0.5));
    assertFalse(opt.paramGroups().get(0).containsKey("initial_lr"));
    assertEquals(0, p.lastEpoch());
    assertEquals(List.of(1.0, 0.5), p.getLastLr());
    UnsupportedOperationException noBase = assertThrows(UnsupportedOperationException.class, p::baseLrs);
    assertEquals("'ReduceLROnPlateau' object has no attribute 'base_lrs'", noBase.getMessage());
    NullPointerException missing = assertThrows(NullPointerException.class, p::step);
    assertEquals("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'", missing.getMessage());

    ReduceLROnPlateau q = new ReduceLROnPlateau(sgd(1.0, 0.5),
        ReduceLROnPlateau.options().patience(0).factor(0.5));
    int[] metrics = {3, 4, 4, 2, 5};
    for (int m : metrics) {
      p.step(m);
      q.step((double) m);
      assertEquals(q.getLastLr(), p.getLastLr(), "step(int) is step(double)");
      assertEquals(q.lastEpoch(), p.lastEpoch());
      assertEquals(q.best(), p.best());
    }
    assertEquals(List.of(0.125, 0.0625), p.getLastLr());
  }

  @Test
  @SuppressWarnings("deprecation")
  void reduceLrOnPlateauWithAnEpochSetsIt() {
    ReduceLROnPlateau p = new ReduceLROnPlateau(sgd(1.0));
    List<String> warnings = ApiFixtureTest.Logged.during(() -> {
      p.step(1.0, 10);
      p.step(1.0, 12);
    });
    assertEquals(List.of(LRScheduler.EPOCH_DEPRECATION_WARNING), warnings, "once per scheduler");
    assertEquals(12, p.lastEpoch());
  }

  @Test
  void aScalarMinLrExtendsToAddedGroupsAListDoesNot() {
    SGD opt = sgd(1.0);
    ReduceLROnPlateau p = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(0).factor(0.5).minLr(0.3));
    opt.addParamGroup(ParamGroup.of(param()).with("lr", 0.4));
    p.step(1.0);
    p.step(2.0);
    assertEquals(List.of(0.3, 0.3), p.minLrs());
    assertEquals(List.of(0.5, 0.3), p.getLastLr(), "the new group: max(0.4 · 0.5, 0.3) = 0.3");
  }

  @Test
  void warmRestartsStepIntIsAnEpochKeptAsAnInt() {
    CosineAnnealingWarmRestarts a = new CosineAnnealingWarmRestarts(sgd(1.0), 3);
    CosineAnnealingWarmRestarts b = new CosineAnnealingWarmRestarts(sgd(1.0), 3);
    List<String> warnings = ApiFixtureTest.Logged.during(() -> {
      for (int e : new int[] {1, 2, 7, 3, 11}) {
        a.step(e);
        b.step((double) e);
        assertEquals(b.getLastLr(), a.getLastLr(), "epoch " + e);
        assertEquals(b.lastEpoch(), a.lastEpoch());
      }
    });
    assertEquals(List.of(), warnings, "its own step neither counts nor warns");
    assertInstanceOf(Integer.class, a.stateDict().get("T_cur"));
    assertInstanceOf(Double.class, b.stateDict().get("T_cur"));
    assertEquals(0, a.stepCount());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.step(-2));
    assertEquals("Expected non-negative epoch, but got -2", e.getMessage());
  }

  @Test
  @SuppressWarnings("deprecation")
  void compositesTakeNoEpochAndChainedHasNoLastEpoch() {
    SGD opt = sgd(1.0);
    SequentialLR q = new SequentialLR(opt, List.of(new StepLR(opt, 2), new ExponentialLR(opt, 0.9)), List.of(3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.step(4));
    assertEquals("SequentialLR.step() takes 1 positional argument but 2 were given", e.getMessage());
    assertThrows(UnsupportedOperationException.class, q::baseLrs);
    assertEquals(2, q.schedulers().size());

    ChainedScheduler c = new ChainedScheduler(List.of(new StepLR(opt, 2), new ExponentialLR(opt, 0.9)));
    assertThrows(IllegalArgumentException.class, () -> c.step(4));
    UnsupportedOperationException noEpoch = assertThrows(UnsupportedOperationException.class, c::lastEpoch);
    assertEquals("'ChainedScheduler' object has no attribute 'last_epoch'", noEpoch.getMessage());
    assertSame(opt, c.optimizer());
  }

  @Test
  void cyclicLrChecksEverythingBeforeWritingTheGroups() {
    SGD opt = sgd(0.5, 0.5);
    assertThrows(IllegalArgumentException.class,
        () -> new CyclicLR(opt, CyclicLR.options().baseLr(0.1).maxLr(List.of(1.0, 1.0, 1.0))));
    assertEquals(0.5, opt.paramGroups().get(0).getDouble("lr"), "PyTorch would have written base_lr already");
    assertFalse(opt.paramGroups().get(0).containsKey("initial_lr"));
    assertFalse(opt.paramGroups().get(0).containsKey("max_momentum"));
  }

  @Test
  void multiStepLrCountsRepeatedMilestones() {
    MultiStepLR s = new MultiStepLR(sgd(1.0), List.of(8, 2, 5, 5), 0.5);
    Map<Integer, Integer> expected = new LinkedHashMap<>();
    expected.put(8, 1);
    expected.put(2, 1);
    expected.put(5, 2);
    assertEquals(expected, s.milestones());
    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(s.milestones().keySet()), "first appearance order");
  }

  @Test
  void getLastLrIsTheLastWrittenValuesNotTheGroups() {
    Optimizer opt = sgd(1.0);
    ExponentialLR s = new ExponentialLR(opt, 0.5);
    opt.paramGroups().get(0).set("lr", 3.0);
    assertEquals(List.of(1.0), s.getLastLr());
    opt.step();
    s.step();
    assertEquals(List.of(1.5), s.getLastLr(), "chainable: scales the hand-set lr");
  }
}
