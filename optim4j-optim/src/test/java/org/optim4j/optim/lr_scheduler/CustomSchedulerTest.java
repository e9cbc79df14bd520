package org.optim4j.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * Schedulers written by users: API.md's {@code HalveEvery} (a subclass whose {@code getLr()} reads its own
 * fields, set before {@code initialStep()}), a chainable one, one that forgets {@code initialStep()}, and
 * stateful functions ({@link LrLambda} with {@code stateDict}) saved and restored through the schedulers'
 * state dicts as PyTorch saves callable objects.
 */
class CustomSchedulerTest {

  /** API.md's example: halves the base learning rate every {@code every} epochs. */
  static final class HalveEvery extends LRScheduler {
    private final int every;

    HalveEvery(Optimizer opt, int every) {
      super(opt, -1);
      this.every = every;
      initialStep();
    }

    @Override
    protected List<Double> getLr() {
      List<Double> lrs = new ArrayList<>();
      for (double base : baseLrs()) {
        lrs.add(base * Math.pow(0.5, lastEpoch() / every));
      }
      return lrs;
    }
  }

  /** A chainable custom scheduler: multiplies the current lr by its factor, except on the initial step. */
  static final class Decay extends LRScheduler {
    private final double factor;

    Decay(Optimizer opt, double factor) {
      super(opt, -1);
      this.factor = factor;
      initialStep();
    }

    @Override
    protected List<Double> getLr() {
      if (isInitial()) {
        return currentLrs();
      }
      List<Double> lrs = new ArrayList<>();
      for (double lr : currentLrs()) {
        lrs.add(lr * factor);
      }
      return lrs;
    }
  }

  private static SGD sgd(double lr) {
    return new SGD(List.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true)), SGD.options().lr(lr).momentum(0.9));
  }

  private static double[] lrs(Optimizer opt, LRScheduler s, int steps) {
    double[] out = new double[steps + 1];
    out[0] = s.getLastLr().get(0);
    for (int k = 1; k <= steps; k++) {
      opt.step();
      s.step();
      out[k] = s.getLastLr().get(0);
    }
    return out;
  }

  @Test
  void halveEveryFollowsStepLrsGoldenSequence() {
    SGD opt = sgd(1.0);
    HalveEvery s = new HalveEvery(opt, 3);
    double[] golden = {1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.0625};
    assertEquals(Arrays.toString(golden), Arrays.toString(lrs(opt, s, 12)), "StepLR(3, 0.5) of the specification");
    assertEquals(1.0, opt.paramGroups().get(0).getDouble("initial_lr"));
    assertEquals(List.of(1.0), s.baseLrs());
    assertEquals(13, s.stepCount());
    assertEquals(List.of("base_lrs", "last_epoch", "_step_count", "_is_initial", "_get_lr_called_within_step",
        "_last_lr"), new ArrayList<>(s.stateDict().keySet()));
  }

  @Test
  void aChainableCustomSchedulerComposesWithAnother() {
    SGD opt = sgd(1.0);
    Decay d = new Decay(opt, 0.5);
    StepLR st = new StepLR(opt, 2, 0.1);
    double[] expected = {1.0, 0.5, 0.025, 0.0125, 6.25e-4};
    for (int k = 0; k < expected.length; k++) {
      if (k > 0) {
        opt.step();
        d.step();
        st.step();
      }
      SchedFixtures.assertClose("step " + k, opt.paramGroups().get(0).getDouble("lr"), expected[k], 1.0);
    }
  }

  /** A scheduler whose constructor does not end with initialStep(). */
  static final class Forgetful extends LRScheduler {
    Forgetful(Optimizer opt) {
      super(opt, -1);
    }

    @Override
    protected List<Double> getLr() {
      return baseLrs();
    }
  }

  @Test
  void forgettingInitialStepIsReported() {
    Forgetful s = new Forgetful(sgd(0.1));
    IllegalStateException e = assertThrows(IllegalStateException.class, s::getLastLr);
    assertEquals("Forgetful has not taken its initial step: a scheduler's constructor must end with initialStep()",
        e.getMessage());
  }

  @Test
  void lambdaLrSavesOnlyTheStateOfFunctionsThatHaveIt() {
    SGD opt = new SGD(List.of(ParamGroup.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad_(true)),
        ParamGroup.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad_(true))), SGD.options().lr(1.0));
    SchedFixtures.Warmup warmup = new SchedFixtures.Warmup(4);
    LambdaLR s = new LambdaLR(opt, List.<LrLambda>of(warmup, e -> 1.0));
    List<?> saved = (List<?>) s.stateDict().get("lr_lambdas");
    assertEquals(Map.of("warmup_steps", 4), saved.get(0));
    assertNull(saved.get(1), "a lambda is saved as None");

    SchedFixtures.Warmup other = new SchedFixtures.Warmup(10);
    LambdaLR t = new LambdaLR(opt, List.<LrLambda>of(other, e -> 1.0));
    t.loadStateDict(s.stateDict());
    assertEquals(4, other.warmupSteps, "the function's state is restored");
    opt.step();
    t.step();
    assertEquals(0.5, t.getLastLr().get(0), 0.0, "(1 + 1) / 4");
  }

  @Test
  void cyclicLrRestoresItsCustomScaleFunctionsState() {
    SGD opt = sgd(0.1);
    SchedFixtures.CycleDecay fn = new SchedFixtures.CycleDecay(0.5);
    CyclicLR s = new CyclicLR(opt, CyclicLR.options().baseLr(0.1).maxLr(1.0).stepSizeUp(2).scaleFn(fn));
    assertEquals(Map.of("decay", 0.5), s.stateDict().get("_scale_fn_custom"));
    SchedFixtures.CycleDecay other = new SchedFixtures.CycleDecay(0.9);
    CyclicLR t = new CyclicLR(sgd(0.1), CyclicLR.options().baseLr(0.1).maxLr(1.0).stepSizeUp(2).scaleFn(other));
    t.loadStateDict(s.stateDict());
    assertEquals(0.5, other.decay);
    assertNull(new CyclicLR(sgd(0.1), 0.1, 1.0).stateDict().get("_scale_fn_custom"));
  }
}
