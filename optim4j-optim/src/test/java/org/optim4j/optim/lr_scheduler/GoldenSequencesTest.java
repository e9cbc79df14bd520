package org.optim4j.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.optim4j.optim.Adam;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The golden sequences of the reference specification (§4.20, torch 2.13: one group, lr 1.0, SGD with
 * momentum 0.9 where the momentum cycles; entry k is the lr after k steps, entry 0 right after
 * construction) and the seeds' sequences (LambdaLR on Adam, MultiStepLR over 15 epochs).
 */
class GoldenSequencesTest {
  /** The specification prints its sequences with 8 significant digits (β₁ with 6). */
  private static final double PRINTED = 5e-9;
  private static final double PRINTED_6 = 5e-7;

  private static SGD sgd(double lr, double momentum) {
    return new SGD(List.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true)),
        SGD.options().lr(lr).momentum(momentum));
  }

  /** Builds a scheduler on SGD(lr=1, momentum=0.9), steps it, and compares the lr after each step. */
  private static void check(String what, Function<Optimizer, LRScheduler> build, double[] expected, double tolerance) {
    check(what, build, expected, tolerance, opt -> opt.paramGroups().get(0).getDouble("lr"));
  }

  private static void check(String what, Function<Optimizer, LRScheduler> build, double[] expected, double tolerance,
      ToDoubleFunction<Optimizer> of) {
    Optimizer opt = sgd(1.0, 0.9);
    LRScheduler s = build.apply(opt);
    List<Double> actual = new ArrayList<>();
    actual.add(of.applyAsDouble(opt));
    for (int k = 1; k < expected.length; k++) {
      opt.step();
      s.step();
      actual.add(of.applyAsDouble(opt));
    }
    for (int k = 0; k < expected.length; k++) {
      if (Math.abs(actual.get(k) - expected[k]) > tolerance) {
        fail(what + ": entry " + k + " is " + actual.get(k) + ", expected " + expected[k] + "; sequence " + actual);
      }
    }
  }

  @Test
  void chainableSchedulers() {
    check("LambdaLR(0.95^e)", o -> new LambdaLR(o, e -> Math.pow(0.95, e)),
        new double[] {1.0, 0.95, 0.9025, 0.857375, 0.81450625, 0.77378094}, PRINTED);
    check("MultiplicativeLR(0.95)", o -> new MultiplicativeLR(o, e -> 0.95),
        new double[] {1.0, 0.95, 0.9025, 0.857375, 0.81450625, 0.77378094}, PRINTED);
    check("StepLR(3, 0.5)", o -> new StepLR(o, 3, 0.5),
        new double[] {1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.0625}, 0);
    check("MultiStepLR([2,5,5,8], 0.5)", o -> new MultiStepLR(o, List.of(2, 5, 5, 8), 0.5),
        new double[] {1.0, 1.0, 0.5, 0.5, 0.5, 0.125, 0.125, 0.125, 0.0625, 0.0625}, 0);
    check("ConstantLR(0.5, 4)", o -> new ConstantLR(o, 0.5, 4), new double[] {0.5, 0.5, 0.5, 0.5, 1.0, 1.0}, 0);
    check("LinearLR(0.25, 1.0, 4)", o -> new LinearLR(o, 0.25, 1.0, 4),
        new double[] {0.25, 0.4375, 0.625, 0.8125, 1.0, 1.0}, PRINTED);
    check("ExponentialLR(0.9)", o -> new ExponentialLR(o, 0.9),
        new double[] {1.0, 0.9, 0.81, 0.729, 0.6561, 0.59049}, PRINTED);
    check("PolynomialLR(5, 2)", o -> new PolynomialLR(o, 5, 2),
        new double[] {1.0, 0.64, 0.36, 0.16, 0.04, 0.0, 0.0}, PRINTED);
    check("CosineAnnealingLR(5, 0.1)", o -> new CosineAnnealingLR(o, 5, 0.1),
        new double[] {1.0, 0.91405765, 0.68905765, 0.41094235, 0.18594235, 0.1, 0.18594235, 0.41094235, 0.68905765,
            0.91405765, 1.0, 0.91405765, 0.68905765}, PRINTED);
  }

  @Test
  void cyclicSchedulers() {
    check("CosineAnnealingWarmRestarts(3, 2, 0.1)", o -> new CosineAnnealingWarmRestarts(o, 3, 2, 0.1),
        new double[] {1.0, 0.775, 0.325, 1.0, 0.93971143, 0.775, 0.55, 0.325, 0.16028857, 1.0, 0.98466662, 0.93971143,
            0.86819805}, PRINTED);
    check("CyclicLR(0.1, 1.0, up=3, triangular2)",
        o -> new CyclicLR(o, CyclicLR.options().baseLr(0.1).maxLr(1.0).stepSizeUp(3).mode("triangular2")),
        new double[] {0.1, 0.4, 0.7, 1.0, 0.7, 0.4, 0.1, 0.25, 0.4, 0.55, 0.4, 0.25, 0.1}, PRINTED);
    check("CyclicLR(0.1, 1.0, up=2, down=4, exp_range, 0.9)",
        o -> new CyclicLR(o, CyclicLR.options().baseLr(0.1).maxLr(1.0).stepSizeUp(2).stepSizeDown(4)
            .mode("exp_range").gamma(0.9)),
        new double[] {0.1, 0.505, 0.829, 0.592075, 0.395245, 0.23286025, 0.1, 0.31523361, 0.48742049, 0.36150883,
            0.2569053, 0.17060738, 0.1}, PRINTED);
    check("CyclicLR(0.1, 1.0, up=2) momentum",
        o -> new CyclicLR(o, CyclicLR.options().baseLr(0.1).maxLr(1.0).stepSizeUp(2)),
        new double[] {0.9, 0.85, 0.8, 0.85, 0.9, 0.85}, PRINTED, o -> o.paramGroups().get(0).getDouble("momentum"));
    check("OneCycleLR(1, 12)", o -> new OneCycleLR(o, 1.0, 12),
        new double[] {0.04, 0.34978965, 0.87928516, 0.99441544, 0.93301297, 0.81174565, 0.647379, 0.4626371, 0.283061,
            0.13347753, 0.03456699, 4e-06, 0.03456699}, PRINTED);
    check("OneCycleLR(1, 12, three_phase, linear)",
        o -> new OneCycleLR(o, OneCycleLR.options().maxLr(1.0).totalSteps(12).threePhase(true).annealStrategy("linear")),
        new double[] {0.04, 0.40923077, 0.77846154, 0.85230769, 0.48307692, 0.11384615, 0.03448331, 0.02758745,
            0.02069159, 0.01379572, 0.00689986, 4e-06, -0.00689186}, PRINTED);
  }

  @Test
  void oneCycleCyclesAdamsBeta1() {
    Adam adam = new Adam(List.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true)), Adam.options().lr(1.0));
    LRScheduler s = new OneCycleLR(adam, 1.0, 5);
    double[] beta1 = {0.95, 0.854952, 0.888874, 0.931174, 0.95};
    for (int k = 0; k < beta1.length; k++) {
      if (k > 0) {
        adam.step();
        s.step();
      }
      List<?> betas = (List<?>) adam.paramGroups().get(0).get("betas");
      assertEquals(beta1[k], ((Number) betas.get(0)).doubleValue(), PRINTED_6, "beta1 at " + k);
      assertEquals(0.999, ((Number) betas.get(1)).doubleValue(), 0.0, "beta2 at " + k);
    }
  }

  /** Spec §4.13: step total_steps extrapolates the last phase; only step total_steps + 1 raises. */
  @Test
  void oneCycleAcceptsStepTotalStepsAndRaisesOnlyAfterIt() {
    Optimizer opt = sgd(1.0, 0.9);
    LRScheduler s = new OneCycleLR(opt, 1.0, 12);
    for (int k = 1; k <= 11; k++) {
      opt.step();
      s.step();
    }
    assertEquals(4e-06, s.getLastLr().get(0), 1e-18, "step 11 reaches min_lr = 1 / 25 / 1e4");
    opt.step();
    s.step();
    assertEquals(0.03456699, s.getLastLr().get(0), PRINTED, "step 12 = total_steps: the cosine climbs back");
    assertEquals(12, s.lastEpoch());
    opt.step();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::step);
    assertEquals("Tried to step 13 times. The specified number of total steps is 12", e.getMessage());
    assertEquals(13, s.lastEpoch(), "as in PyTorch, the failed step has advanced last_epoch");
    assertEquals(0.03456699, opt.paramGroups().get(0).getDouble("lr"), PRINTED, "the lr is left as it was");
  }

  @Test
  void compositeSchedulers() {
    check("SequentialLR([ConstantLR(0.1, 2), ExponentialLR(0.9)], [3])",
        o -> new SequentialLR(o, List.of(new ConstantLR(o, 0.1, 2), new ExponentialLR(o, 0.9)), List.of(3)),
        new double[] {0.1, 0.1, 1.0, 1.0, 0.9, 0.81, 0.729, 0.6561}, PRINTED);
    check("ChainedScheduler([ConstantLR(0.1, 3), ExponentialLR(0.9)])",
        o -> new ChainedScheduler(List.of(new ConstantLR(o, 0.1, 3), new ExponentialLR(o, 0.9))),
        new double[] {0.1, 0.09, 0.081, 0.729, 0.6561, 0.59049}, PRINTED);
  }

  @Test
  void reduceLrOnPlateau() {
    Optimizer opt = sgd(1.0, 0.9);
    ReduceLROnPlateau p = new ReduceLROnPlateau(opt,
        ReduceLROnPlateau.options().patience(1).factor(0.5).cooldown(1).minLr(0.1));
    double[] metrics = {5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4};
    double[] expected = {1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.1};
    assertEquals(expected[0], p.getLastLr().get(0), 0.0);
    for (int k = 1; k <= metrics.length; k++) {
      opt.step();
      p.step(metrics[k - 1]);
      assertEquals(expected[k], p.getLastLr().get(0), 0.0, "after metric " + k);
    }
  }

  @Test
  @SuppressWarnings("deprecation")
  void stepWithAnEpochUsesTheClosedForm() {
    Object[][] cases = {
        {(Function<Optimizer, LRScheduler>) o -> new StepLR(o, 3, 0.5), 0.25},
        {(Function<Optimizer, LRScheduler>) o -> new CosineAnnealingLR(o, 5, 0.1), 0.41094235},
        {(Function<Optimizer, LRScheduler>) o -> new LinearLR(o), 1.0},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Function<Optimizer, LRScheduler> build = (Function<Optimizer, LRScheduler>) c[0];
      Optimizer opt = sgd(1.0, 0.9);
      LRScheduler s = build.apply(opt);
      opt.step();
      s.step();
      List<String> warnings = ApiFixtureTest.Logged.during(() -> s.step(7));
      assertEquals(List.of(LRScheduler.EPOCH_DEPRECATION_WARNING), warnings);
      assertEquals((double) c[1], s.getLastLr().get(0), PRINTED, s.getClass().getSimpleName());
      assertEquals(7, s.lastEpoch());
    }
  }

  /** The seed notebook's LambdaLR(lambda epoch: 0.95 ** epoch) on Adam(lr=0.01), printed by get_last_lr(). */
  @Test
  void seedLambdaLrOnAdam() {
    Adam adam = new Adam(List.of(ParamGroup.of(Tensor.zeros(DType.FLOAT32, 10, 10).requiresGrad_(true))),
        Adam.options().lr(0.01));
    LRScheduler s = new LambdaLR(adam, epoch -> Math.pow(0.95, epoch));
    double[] printed = {0.0095, 0.009025, 0.00857375, 0.0081450625, 0.007737809374999998, 0.007350918906249998,
        0.006983372960937498, 0.006634204312890623, 0.006302494097246091, 0.005987369392383787};
    assertEquals(0.01, adam.paramGroups().get(0).getDouble("lr"), 0.0);
    for (int epoch = 0; epoch < printed.length; epoch++) {
      for (int i = 0; i < 100; i++) {
        adam.step();
      }
      s.step();
      SchedFixtures.assertClose("epoch " + epoch, s.getLastLr().get(0), printed[epoch], 0.01);
    }
  }

  /** The seed lab's MultiStepLR(milestones=[6, 11], gamma=.1) over 15 epochs: the lr printed at each epoch start. */
  @Test
  void seedMultiStepLrOverFifteenEpochs() {
    SGD opt = new SGD(List.of(Tensor.zeros(DType.FLOAT32, 3).requiresGrad_(true)),
        SGD.options().lr(0.1).weightDecay(5e-4).momentum(0.9));
    LRScheduler s = new MultiStepLR(opt, List.of(6, 11), 0.1);
    List<String> printed = new ArrayList<>();
    for (int epoch = 0; epoch < 15; epoch++) {
      printed.add(String.format(Locale.ROOT, "%.5f", opt.paramGroups().get(0).getDouble("lr")));
      opt.step();
      s.step();
    }
    assertEquals(List.of("0.10000", "0.10000", "0.10000", "0.10000", "0.10000", "0.10000", "0.01000", "0.01000",
        "0.01000", "0.01000", "0.01000", "0.00100", "0.00100", "0.00100", "0.00100"), printed);
    assertEquals(0.1 * 0.1 * 0.1, s.getLastLr().get(0), 0.0, "PyTorch's 0.0010000000000000002");
  }
}
