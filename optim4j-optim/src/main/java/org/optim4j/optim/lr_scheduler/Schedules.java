package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The learning-rate schedules as pure functions of the step: each returns the value a PyTorch scheduler
 * computes in its closed form (PyTorch's {@code _get_closed_form_lr}, or {@code get_lr} for the schedulers
 * that always compute from the base values), with PyTorch's operations in PyTorch's order. The scheduler
 * classes are thin shells over these functions and {@link ChainableSchedules}.
 *
 * <p>Arguments come in one order: the step, the schedule's lengths (its int options), the base value, then
 * its float options in PyTorch's order. A step is PyTorch's {@code last_epoch}: 0 for the value right after
 * construction, {@code k} after {@code k} calls to {@code step()}.
 *
 * <pre>{@code
 * double lr = Schedules.cosine(step, 100, 0.1, 0.0);   // CosineAnnealingLR(T_max=100) from base lr 0.1
 * }</pre>
 *
 * <p>Python's {@code ZeroDivisionError} (a zero length) is an {@link ArithmeticException} with Python's
 * message, as in the schedulers.
 */
public final class Schedules {
  private Schedules() {}

  /** An annealing function of OneCycleLR: the value at fraction {@code pct} of the way from start to end. */
  @FunctionalInterface
  public interface Anneal {
    /** The value at {@code pct} (0 gives {@code start}, 1 gives {@code end}; beyond 1 it extrapolates). */
    double apply(double start, double end, double pct);
  }

  /** StepLR: {@code base · γ^⌊t / step_size⌋}. */
  public static double step(int step, int stepSize, double base, double gamma) {
    return base * Math.pow(gamma, PyMath.floorDiv(step, stepSize));
  }

  /**
   * MultiStepLR: {@code base · γ^m} where {@code m} counts the milestones ≤ t; a milestone given twice counts
   * twice.
   */
  public static double multiStep(int step, Iterable<Integer> milestones, double base, double gamma) {
    List<Integer> sorted = new ArrayList<>();
    for (Integer m : milestones) {
      sorted.add(Objects.requireNonNull(m, "milestone"));
    }
    Collections.sort(sorted);
    return base * Math.pow(gamma, PyMath.bisectRight(sorted, step));
  }

  /** ConstantLR: {@code base · factor} while t &lt; total_iters, then {@code base}. */
  public static double constant(int step, int totalIters, double base, double factor) {
    return base * (factor + (step >= totalIters ? 1.0 : 0.0) * (1 - factor));
  }

  /** LinearLR: {@code base · (start + (end − start) · min(t, total_iters) / total_iters)}. */
  public static double linear(int step, int totalIters, double base, double startFactor, double endFactor) {
    return base * (startFactor + PyMath.div((endFactor - startFactor) * Math.min(totalIters, step), totalIters));
  }

  /** ExponentialLR: {@code base · γ^t}. */
  public static double exponential(int step, double base, double gamma) {
    return base * Math.pow(gamma, step);
  }

  /** PolynomialLR: {@code base · (1 − min(t, total_iters) / total_iters)^power}. */
  public static double polynomial(int step, int totalIters, double base, double power) {
    return base * Math.pow(1.0 - PyMath.trueDiv(Math.min(totalIters, step), totalIters), power);
  }

  /**
   * Cosine annealing, the closed form of CosineAnnealingLR ({@code t} = the step, {@code T} = T_max) and the
   * value of CosineAnnealingWarmRestarts ({@code t} = T_cur, {@code T} = T_i):
   * {@code η_min + (base − η_min) · (1 + cos(π t / T)) / 2}.
   */
  public static double cosine(double step, double tMax, double base, double etaMin) {
    return etaMin + (base - etaMin) * (1 + Math.cos(PyMath.div(Math.PI * step, tMax))) / 2;
  }

  /** Where an epoch falls in SGDR's restart cycles: T_cur (epochs since the last restart) and T_i (its length). */
  public record Restart(double tCur, long tI) {}

  /**
   * The position of a (possibly fractional) epoch ≥ 0 in CosineAnnealingWarmRestarts' cycles of lengths
   * {@code T_0, T_0·T_mult, T_0·T_mult², …}: for T_mult = 1, {@code T_cur = epoch mod T_0}; otherwise
   * {@code n = ⌊log_{T_mult}(epoch / T_0 · (T_mult − 1) + 1)⌋}, {@code T_cur = epoch − T_0 (T_multⁿ − 1) /
   * (T_mult − 1)} and {@code T_i = T_0 · T_multⁿ}.
   *
   * @throws IllegalArgumentException {@code "Expected non-negative epoch, but got …"}
   */
  public static Restart warmRestart(double epoch, int t0, int tMult) {
    if (epoch < 0) {
      throw new IllegalArgumentException("Expected non-negative epoch, but got " + pyNumber(epoch));
    }
    if (epoch < t0) {
      return new Restart(epoch, t0);
    }
    if (tMult == 1) {
      return new Restart(PyMath.mod(epoch, t0), t0);
    }
    long n = (long) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
    long power = PyMath.intPow(tMult, n);
    double tCur = epoch - (double) Math.multiplyExact((long) t0, power - 1) / (tMult - 1);
    return new Restart(tCur, Math.multiplyExact((long) t0, power));
  }

  /** CosineAnnealingWarmRestarts at a (possibly fractional) epoch: {@link #cosine} at {@link #warmRestart}. */
  public static double cosineWarmRestarts(double epoch, int t0, int tMult, double base, double etaMin) {
    Restart r = warmRestart(epoch, t0, tMult);
    return cosine(r.tCur(), r.tI(), base, etaMin);
  }

  // ---------------------------------------------------------------------------------------------
  // CyclicLR

  /** CyclicLR's cycle number at a step: {@code ⌊1 + t / total_size⌋}, counted from 1. */
  public static int cyclicCycle(int step, double totalSize) {
    return (int) Math.floor(1 + PyMath.div(step, totalSize));
  }

  /**
   * CyclicLR's triangular height at a step, in [0, 1]: with {@code x = 1 + t / total_size − cycle}, it is
   * {@code x / step_ratio} on the way up ({@code x ≤ step_ratio}) and {@code (x − 1) / (step_ratio − 1)} on
   * the way down, where {@code total_size = step_size_up + step_size_down} and
   * {@code step_ratio = step_size_up / total_size}.
   */
  public static double cyclicHeight(int step, double totalSize, double stepRatio) {
    double x = 1.0 + PyMath.div(step, totalSize) - cyclicCycle(step, totalSize);
    return x <= stepRatio ? PyMath.div(x, stepRatio) : PyMath.div(x - 1, stepRatio - 1);
  }

  /** CyclicLR's learning rate: {@code base_lr + (max_lr − base_lr) · height · scale}. */
  public static double cyclicLr(double baseLr, double maxLr, double height, double scale) {
    return baseLr + (maxLr - baseLr) * height * scale;
  }

  /** CyclicLR's momentum, cycled inversely: {@code max_m − (max_m − base_m) · height · scale}. */
  public static double cyclicMomentum(double baseMomentum, double maxMomentum, double height, double scale) {
    return maxMomentum - (maxMomentum - baseMomentum) * height * scale;
  }

  /** The {@code triangular} scale function: 1. */
  public static double triangularScale(int cycle) {
    return 1.0;
  }

  /** The {@code triangular2} scale function, halving the amplitude each cycle: {@code 1 / 2^(cycle − 1)}. */
  public static double triangular2Scale(int cycle) {
    return 1 / Math.pow(2.0, cycle - 1);
  }

  /** The {@code exp_range} scale function of the iteration: {@code γ^t}. */
  public static double expRangeScale(double gamma, int step) {
    return Math.pow(gamma, step);
  }

  /**
   * CyclicLR with a built-in mode at a step: {@link #cyclicLr} with {@link #cyclicHeight} and the mode's scale
   * function ({@code triangular}, {@code triangular2} of the cycle, {@code exp_range} of the step).
   *
   * @param stepSizeDown the steps of the way down; null for {@code stepSizeUp}
   * @throws IllegalArgumentException {@code "mode is invalid and scale_fn is None"} for another mode
   */
  public static double cyclic(int step, int stepSizeUp, Integer stepSizeDown, double baseLr, double maxLr,
      String mode, double gamma) {
    double totalSize = (double) stepSizeUp + (stepSizeDown != null ? (double) stepSizeDown : (double) stepSizeUp);
    double stepRatio = PyMath.div(stepSizeUp, totalSize);
    double scale = switch (Objects.requireNonNull(mode, "mode")) {
      case "triangular" -> triangularScale(cyclicCycle(step, totalSize));
      case "triangular2" -> triangular2Scale(cyclicCycle(step, totalSize));
      case "exp_range" -> expRangeScale(gamma, step);
      default -> throw new IllegalArgumentException("mode is invalid and scale_fn is None");
    };
    return cyclicLr(baseLr, maxLr, cyclicHeight(step, totalSize, stepRatio), scale);
  }

  // ---------------------------------------------------------------------------------------------
  // OneCycleLR

  /** Cosine annealing from start to end: {@code end + (start − end) / 2 · (cos(π · pct) + 1)}. */
  public static double annealCos(double start, double end, double pct) {
    double cosOut = Math.cos(Math.PI * pct) + 1;
    return end + (start - end) / 2.0 * cosOut;
  }

  /** Linear annealing from start to end: {@code (end − start) · pct + start}. */
  public static double annealLinear(double start, double end, double pct) {
    return (end - start) * pct + start;
  }

  /**
   * A piecewise annealed schedule, OneCycleLR's phases: phase {@code i} runs from step {@code ends[i−1]}
   * (0 for the first) to {@code ends[i]} and anneals from {@code values[i]} to {@code values[i+1]}; a step
   * past the last end extrapolates the last phase.
   *
   * @param ends the last step of each phase
   * @param values the value at the start of each phase, then the final value ({@code ends.length + 1})
   * @throws ArithmeticException {@code "float division by zero"} for an empty phase
   */
  public static double phases(int step, double[] ends, double[] values, Anneal anneal) {
    if (values.length != ends.length + 1) {
      throw new IllegalArgumentException("expected " + (ends.length + 1) + " values for " + ends.length
          + " phases, got " + values.length);
    }
    double startStep = 0.0;
    for (int i = 0; i < ends.length; i++) {
      double endStep = ends[i];
      if (step <= endStep || i == ends.length - 1) {
        double pct = PyMath.div(step - startStep, endStep - startStep);
        return anneal.apply(values[i], values[i + 1], pct);
      }
      startStep = endStep;
    }
    throw new IllegalArgumentException("no phases");
  }

  /**
   * The last step of each OneCycleLR phase: {@code [pct·T − 1, T − 1]}, or with three phases
   * {@code [pct·T − 1, 2·pct·T − 2, T − 1]}.
   */
  public static double[] oneCyclePhaseEnds(int totalSteps, double pctStart, boolean threePhase) {
    return threePhase
        ? new double[] {pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1}
        : new double[] {pctStart * totalSteps - 1, totalSteps - 1};
  }

  /**
   * OneCycleLR's learning rate at a step: from {@code max_lr / div_factor} up to {@code max_lr}, then down to
   * {@code max_lr / div_factor / final_div_factor} (with three phases: up, back to the start, then down to
   * the minimum), annealed by {@code anneal} ({@link #annealCos} or {@link #annealLinear}). Step
   * {@code total_steps} extrapolates the last phase, as in PyTorch.
   *
   * @throws IllegalArgumentException {@code "Tried to step … times. The specified number of total steps is
   *     …"} past {@code total_steps}
   */
  public static double oneCycle(int step, int totalSteps, double maxLr, double pctStart, double divFactor,
      double finalDivFactor, boolean threePhase, Anneal anneal) {
    checkOneCycleStep(step, totalSteps);
    double initialLr = maxLr / divFactor;
    double minLr = initialLr / finalDivFactor;
    double[] values = threePhase
        ? new double[] {initialLr, maxLr, initialLr, minLr}
        : new double[] {initialLr, maxLr, minLr};
    return phases(step, oneCyclePhaseEnds(totalSteps, pctStart, threePhase), values, anneal);
  }

  /**
   * OneCycleLR's momentum at a step, inverse to the learning rate: from {@code max_momentum} down to
   * {@code base_momentum} and back up (with three phases, it stays at {@code max_momentum} in the third).
   */
  public static double oneCycleMomentum(int step, int totalSteps, double pctStart, double baseMomentum,
      double maxMomentum, boolean threePhase, Anneal anneal) {
    checkOneCycleStep(step, totalSteps);
    double[] values = threePhase
        ? new double[] {maxMomentum, baseMomentum, maxMomentum, maxMomentum}
        : new double[] {maxMomentum, baseMomentum, maxMomentum};
    return phases(step, oneCyclePhaseEnds(totalSteps, pctStart, threePhase), values, anneal);
  }

  static void checkOneCycleStep(int step, int totalSteps) {
    if (step > totalSteps) {
      throw new IllegalArgumentException("Tried to step " + step + " times. The specified number of total steps is "
          + totalSteps);
    }
  }

  /** Python's {@code str} of a float or an integral value given as a double. */
  static String pyNumber(double v) {
    return org.optim4j.optim.internal.PyFormat.pyFloat(v);
  }
}
