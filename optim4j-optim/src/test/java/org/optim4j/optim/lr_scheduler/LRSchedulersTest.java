package org.optim4j.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * {@link LRSchedulers#create}: every name API.md lists, PyTorch's keywords and value types, per-group lists,
 * and the messages for unknown names and keywords, wrong types and missing required keywords. (The fixture
 * cases build their factory-made schedulers through it too.)
 */
class LRSchedulersTest {
  private static SGD sgd() {
    return new SGD(List.of(ParamGroup.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true)),
        ParamGroup.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true)).with("lr", 0.05)),
        SGD.options().lr(0.1).momentum(0.9));
  }

  @Test
  void knowsEverySchedulerWithoutAFunctionArgument() {
    assertEquals(List.of("StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR",
        "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR", "ReduceLROnPlateau"),
        List.copyOf(LRSchedulers.names()));
    Map<String, Map<String, ?>> minimal = Map.ofEntries(
        Map.entry("StepLR", Map.of("step_size", 3)),
        Map.entry("MultiStepLR", Map.of("milestones", List.of(2, 4))),
        Map.entry("ConstantLR", Map.of()),
        Map.entry("LinearLR", Map.of()),
        Map.entry("ExponentialLR", Map.of("gamma", 0.9)),
        Map.entry("PolynomialLR", Map.of()),
        Map.entry("CosineAnnealingLR", Map.of("T_max", 10)),
        Map.entry("CosineAnnealingWarmRestarts", Map.of("T_0", 10)),
        Map.entry("CyclicLR", Map.of("base_lr", 0.01, "max_lr", 0.1)),
        Map.entry("OneCycleLR", Map.of("max_lr", 0.1, "total_steps", 100)),
        Map.entry("ReduceLROnPlateau", Map.of()));
    for (String name : LRSchedulers.names()) {
      LRScheduler s = LRSchedulers.create(name, sgd(), minimal.get(name));
      assertEquals(name, s.getClass().getSimpleName());
    }
  }

  @Test
  void buildsWhatTheConstructorsBuild() {
    Optimizer a = sgd();
    Optimizer b = sgd();
    LRScheduler viaFactory = LRSchedulers.create("CosineAnnealingWarmRestarts", a,
        Map.of("T_0", 4, "T_mult", 2, "eta_min", 0.001, "last_epoch", -1));
    LRScheduler direct = new CosineAnnealingWarmRestarts(b, 4, 2, 0.001);
    for (int t = 0; t < 30; t++) {
      a.step();
      b.step();
      viaFactory.step();
      direct.step();
      assertEquals(direct.getLastLr(), viaFactory.getLastLr());
    }
    assertEquals(direct.stateDict(), viaFactory.stateDict());
  }

  @Test
  void perGroupValuesAndPythonNone() {
    Optimizer opt = sgd();
    Map<String, Object> kwargs = new HashMap<>();
    kwargs.put("base_lr", List.of(0.01, 0.001));
    kwargs.put("max_lr", List.of(0.1, 0.01));
    kwargs.put("step_size_down", null);
    kwargs.put("base_momentum", List.of(0.8, 0.7));
    kwargs.put("step_size_up", 5L);
    CyclicLR c = (CyclicLR) LRSchedulers.create("CyclicLR", opt, kwargs);
    assertEquals(List.of(0.01, 0.001), c.getLastLr());
    assertEquals(10.0, c.stateDict().get("total_size"));
    ReduceLROnPlateau p = (ReduceLROnPlateau) LRSchedulers.create("ReduceLROnPlateau", sgd(),
        Map.of("min_lr", List.of(0.01, 0.002), "mode", "max"));
    assertEquals(List.of(0.01, 0.002), p.minLrs());
    OneCycleLR one = (OneCycleLR) LRSchedulers.create("OneCycleLR", sgd(),
        Map.of("max_lr", List.of(1.0, 0.5), "epochs", 4, "steps_per_epoch", 25));
    assertEquals(100, one.stateDict().get("total_steps"));
    assertInstanceOf(Integer.class, ReduceLROnPlateau.options().values.get("min_lr"), "PyTorch's default is an int 0");
  }

  @Test
  void rejectsUnknownNamesAndKeywordsWithTheValidOnes() {
    IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
        () -> LRSchedulers.create("SWALR", sgd(), Map.of()));
    assertEquals("unknown scheduler 'SWALR'; known schedulers: StepLR, MultiStepLR, ConstantLR, LinearLR, "
        + "ExponentialLR, PolynomialLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR, "
        + "ReduceLROnPlateau", name.getMessage());
    IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
        () -> LRSchedulers.create("StepLR", sgd(), Map.of("step_size", 3, "verbose", true)));
    assertEquals("StepLR.__init__() got an unexpected keyword argument 'verbose'; valid keywords: step_size, gamma, "
        + "last_epoch", key.getMessage());
    IllegalArgumentException plateau = assertThrows(IllegalArgumentException.class,
        () -> LRSchedulers.create("ReduceLROnPlateau", sgd(), Map.of("last_epoch", 3)));
    assertEquals("ReduceLROnPlateau.__init__() got an unexpected keyword argument 'last_epoch'; valid keywords: "
        + "mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps", plateau.getMessage());
  }

  @Test
  void rejectsValuesOfTheWrongType() {
    IllegalArgumentException nonIntegral = assertThrows(IllegalArgumentException.class,
        () -> LRSchedulers.create("StepLR", sgd(), Map.of("step_size", 2.5)));
    assertEquals("StepLR option 'step_size' must be an int (an Integer), got Double 2.5", nonIntegral.getMessage());
    IllegalArgumentException string = assertThrows(IllegalArgumentException.class,
        () -> LRSchedulers.create("ExponentialLR", sgd(), Map.of("gamma", "0.9")));
    assertEquals("ExponentialLR option 'gamma' must be a float (a Number), got String '0.9'", string.getMessage());
    IllegalArgumentException milestones = assertThrows(IllegalArgumentException.class,
        () -> LRSchedulers.create("MultiStepLR", sgd(), Map.of("milestones", List.of(2, 4.5))));
    assertEquals("MultiStepLR option 'milestones' must be a list of ints (Integers), got List [2, 4.5]", milestones.getMessage());
    IllegalArgumentException perGroup = assertThrows(IllegalArgumentException.class,
        () -> LRSchedulers.create("OneCycleLR", sgd(), Map.of("max_lr", "high", "total_steps", 10)));
    assertEquals("OneCycleLR option 'max_lr' must be a float or a list of floats (Numbers), got String 'high'",
        perGroup.getMessage());
  }

  @Test
  void aMissingRequiredKeywordIsAMissingArgument() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> LRSchedulers.create("CyclicLR", sgd(), Map.of("max_lr", 0.1)));
    assertEquals("CyclicLR.__init__() missing 1 required positional argument: 'base_lr'", e.getMessage());
    NullPointerException options = assertThrows(NullPointerException.class,
        () -> new OneCycleLR(sgd(), OneCycleLR.options().totalSteps(10)));
    assertEquals("OneCycleLR.__init__() missing 1 required positional argument: 'max_lr'", options.getMessage());
  }
}
