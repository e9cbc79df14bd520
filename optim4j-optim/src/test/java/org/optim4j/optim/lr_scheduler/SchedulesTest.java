package org.optim4j.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The pure schedule functions: each chainable recursion, run from the base value without interference,
 * equals its closed form (two implementations of one schedule); the closed forms reproduce the
 * specification's values; and the scheduler classes equal the functions they wrap.
 */
class SchedulesTest {
  private static SGD sgd(double lr) {
    return new SGD(List.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true)), SGD.options().lr(lr).momentum(0.9));
  }

  /** Runs {@code next(lr, t)} from {@code lr_0 = closed(0)} and compares it with {@code closed(t)}. */
  private interface Recursion {
    double next(double lr, int t);
  }

  private static void recursionMatchesClosedForm(String what, Recursion next, IntToDoubleFunction closed, int steps) {
    double lr = closed.applyAsDouble(0);
    for (int t = 1; t <= steps; t++) {
      lr = next.next(lr, t);
      SchedFixtures.assertClose(what + " at " + t, lr, closed.applyAsDouble(t), 0.1);
    }
  }

  @Test
  void chainableFormsEqualTheClosedForms() {
    double base = 0.1;
    recursionMatchesClosedForm("step", (lr, t) -> ChainableSchedules.step(lr, t, 7, 0.5),
        t -> Schedules.step(t, 7, base, 0.5), 200);
    Map<Integer, Integer> counts = Map.of(3, 1, 10, 2, 50, 1);
    recursionMatchesClosedForm("multiStep", (lr, t) -> ChainableSchedules.multiStep(lr, t, counts, 0.5),
        t -> Schedules.multiStep(t, List.of(10, 3, 50, 10), base, 0.5), 200);
    recursionMatchesClosedForm("constant", (lr, t) -> ChainableSchedules.constant(lr, t, 9, 0.25),
        t -> Schedules.constant(t, 9, base, 0.25), 200);
    recursionMatchesClosedForm("linear", (lr, t) -> ChainableSchedules.linear(lr, t, 40, 0.2, 0.9),
        t -> Schedules.linear(t, 40, base, 0.2, 0.9), 200);
    recursionMatchesClosedForm("exponential", (lr, t) -> ChainableSchedules.exponential(lr, 0.97),
        t -> Schedules.exponential(t, base, 0.97), 200);
    recursionMatchesClosedForm("polynomial", (lr, t) -> ChainableSchedules.polynomial(lr, t, 60, 1.7),
        t -> Schedules.polynomial(t, 60, base, 1.7), 200);
    recursionMatchesClosedForm("cosine", (lr, t) -> ChainableSchedules.cosine(lr, t, 50, base, 0.001),
        t -> Schedules.cosine(t, 50, base, 0.001), 300);
  }

  @Test
  void closedFormsReproduceTheSpecification() {
    assertEquals(0.41094235, Schedules.cosine(7, 5, 1.0, 0.1), 5e-9);
    assertEquals(0.125, Schedules.multiStep(5, List.of(2, 5, 5, 8), 1.0, 0.5), 0.0);
    assertEquals(0.8125, Schedules.linear(3, 4, 1.0, 0.25, 1.0), 0.0);
    assertEquals(0.16, Schedules.polynomial(3, 5, 1.0, 2), 1e-16);
    assertEquals(0.5, Schedules.constant(3, 4, 1.0, 0.5), 0.0);
    assertEquals(1.0, Schedules.constant(4, 4, 1.0, 0.5), 0.0);
    // CosineAnnealingWarmRestarts(T_0 = 2, T_mult = 2) at fractional epochs (spec §4.11).
    double[][] epochs = {{0.5, 0.853553}, {1.5, 0.146447}, {2.0, 1.0}, {5.9, 0.001541}, {6.0, 1.0}};
    for (double[] e : epochs) {
      assertEquals(e[1], Schedules.cosineWarmRestarts(e[0], 2, 2, 1.0, 0.0), 5e-7, "epoch " + e[0]);
    }
    Schedules.Restart r = Schedules.warmRestart(5.9, 2, 2);
    assertEquals(3.9000000000000004, r.tCur(), 0.0, "PyTorch's T_cur");
    assertEquals(4, r.tI());
    assertEquals(new Schedules.Restart(0.0, 8), Schedules.warmRestart(6.0, 2, 2));
  }

  @Test
  void theSchedulersAreTheFunctions() {
    SGD opt = sgd(1.0);
    OneCycleLR one = new OneCycleLR(opt, OneCycleLR.options().maxLr(0.6).totalSteps(50).threePhase(true)
        .pctStart(0.35).annealStrategy("linear"));
    SGD opt2 = sgd(1.0);
    CyclicLR cyc = new CyclicLR(opt2, CyclicLR.options().baseLr(0.01).maxLr(0.2).stepSizeUp(4).stepSizeDown(9)
        .mode("exp_range").gamma(0.98));
    for (int t = 0; t <= 50; t++) {
      if (t > 0) {
        opt.step();
        one.step();
        opt2.step();
        cyc.step();
      }
      assertEquals(Schedules.oneCycle(t, 50, 0.6, 0.35, 25, 1e4, true, Schedules::annealLinear),
          one.getLastLr().get(0), 0.0, "OneCycleLR at " + t);
      assertEquals(Schedules.oneCycleMomentum(t, 50, 0.35, 0.85, 0.95, true, Schedules::annealLinear),
          opt.paramGroups().get(0).getDouble("momentum"), 0.0, "OneCycleLR momentum at " + t);
      assertEquals(Schedules.cyclic(t, 4, 9, 0.01, 0.2, "exp_range", 0.98), cyc.getLastLr().get(0), 0.0,
          "CyclicLR at " + t);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Schedules.oneCycle(51, 50, 0.6, 0.3, 25, 1e4, false, Schedules::annealCos));
    assertEquals("Tried to step 51 times. The specified number of total steps is 50", e.getMessage());
  }

  @Test
  void anEmptyPhaseDividesByZeroAsInPython() {
    ArithmeticException e = assertThrows(ArithmeticException.class,
        () -> Schedules.oneCycle(0, 10, 1.0, 0.1, 25, 1e4, false, Schedules::annealCos));
    assertEquals("float division by zero", e.getMessage());
    assertThrows(ArithmeticException.class, () -> Schedules.step(3, 0, 1.0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> Schedules.cyclic(0, 2, null, 0.1, 1.0, "saw", 1.0));
  }

  @Test
  void builtInScaleFunctions() {
    assertEquals(1.0, Schedules.triangularScale(7));
    assertEquals(0.25, Schedules.triangular2Scale(3));
    assertEquals(0.81, Schedules.expRangeScale(0.9, 2), 1e-16);
    assertEquals(2, Schedules.cyclicCycle(6, 6.0));
    assertEquals(0.5, Schedules.cyclicHeight(1, 6.0, 1 / 3.0), 1e-15);
  }
}
