package org.optim4j.optim.lr_scheduler;

import java.util.Map;

/**
 * The chainable (recursive) forms of PyTorch's schedulers as pure functions: each gives the learning rate
 * after step {@code t} from the current one, as PyTorch's {@code get_lr} does. Because they scale the
 * current value rather than recompute it from the base, several schedulers can act on one optimizer, and a
 * learning rate changed by hand keeps being scaled from its new value. (The closed forms in
 * {@link Schedules} are what {@code step(epoch)} uses.)
 *
 * <p>The functions cover a regular step ({@code t ≥ 1}, and {@code t = 0} where PyTorch's formula has a
 * case for it); the scheduler classes add PyTorch's special cases for the initial step.
 */
public final class ChainableSchedules {
  private ChainableSchedules() {}

  /** StepLR: {@code lr · γ} when t is a non-zero multiple of step_size, else {@code lr}. */
  public static double step(double lr, int step, int stepSize, double gamma) {
    return step == 0 || PyMath.mod(step, stepSize) != 0 ? lr : lr * gamma;
  }

  /**
   * MultiStepLR: {@code lr · γ^c} at a milestone given {@code c} times, else {@code lr}.
   *
   * @param milestoneCounts each milestone with how many times it was given (Python's {@code Counter})
   */
  public static double multiStep(double lr, int step, Map<Integer, Integer> milestoneCounts, double gamma) {
    Integer count = milestoneCounts.get(step);
    return count == null ? lr : lr * Math.pow(gamma, count);
  }

  /** ConstantLR: {@code lr · factor} at t = 0, {@code lr · (1 / factor)} at t = total_iters, else {@code lr}. */
  public static double constant(double lr, int step, int totalIters, double factor) {
    if (step == 0) {
      return lr * factor;
    }
    if (step != totalIters) {
      return lr;
    }
    return lr * PyMath.div(1.0, factor);
  }

  /**
   * LinearLR: {@code lr · start} at t = 0; {@code lr} past total_iters; otherwise
   * {@code lr · (1 + (end − start) / (total_iters · start + (t − 1) · (end − start)))}, the ratio of two
   * consecutive values of the linear ramp.
   */
  public static double linear(double lr, int step, int totalIters, double startFactor, double endFactor) {
    if (step == 0) {
      return lr * startFactor;
    }
    if (step > totalIters) {
      return lr;
    }
    return lr * (1.0 + PyMath.div(endFactor - startFactor,
        totalIters * startFactor + (step - 1) * (endFactor - startFactor)));
  }

  /** ExponentialLR: {@code lr · γ}. */
  public static double exponential(double lr, double gamma) {
    return lr * gamma;
  }

  /**
   * PolynomialLR: {@code lr} past total_iters, otherwise
   * {@code lr · ((1 − t / total_iters) / (1 − (t − 1) / total_iters))^power}.
   */
  public static double polynomial(double lr, int step, int totalIters, double power) {
    if (step > totalIters) {
      return lr;
    }
    double decayFactor = Math.pow(PyMath.div(1.0 - PyMath.trueDiv(step, totalIters),
        1.0 - PyMath.trueDiv(step - 1, totalIters)), power);
    return lr * decayFactor;
  }

  /**
   * CosineAnnealingLR's recursion: at {@code t − 1 − T_max ≡ 0 (mod 2 T_max)} (the bottom of the cosine)
   * {@code lr + (base − η_min)(1 − cos(π / T_max)) / 2}; otherwise
   * {@code (1 + cos(π t / T_max)) / (1 + cos(π (t − 1) / T_max)) · (lr − η_min) + η_min}. There are no
   * restarts: past T_max the rate climbs back along the cosine, with period 2 T_max.
   */
  public static double cosine(double lr, int step, int tMax, double base, double etaMin) {
    if (PyMath.mod(step - 1L - tMax, 2L * tMax) == 0) {
      return lr + (base - etaMin) * (1 - Math.cos(PyMath.div(Math.PI, tMax))) / 2;
    }
    return (1 + Math.cos(Math.PI * step / tMax)) / (1 + Math.cos(Math.PI * (step - 1) / tMax)) * (lr - etaMin)
        + etaMin;
  }

  /** MultiplicativeLR: {@code lr · factor}, the factor being the function's value at t. */
  public static double multiplicative(double lr, double factor) {
    return lr * factor;
  }
}
