package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;

/**
 * Decays each group's learning rate by γ every {@code step_size} epochs, PyTorch's {@code StepLR}.
 *
 * <pre>
 * chainable:    lr_t = lr_{t−1} · γ   if t ≠ 0 and t mod step_size = 0,   else lr_{t−1}
 * closed form:  lr_t = base_lr · γ^⌊t / step_size⌋                      ({@link Schedules#step})
 * </pre>
 *
 * <p>Options: {@code step_size} (int, required), {@code gamma} (default 0.1), {@code last_epoch} (default −1).
 * Being chainable, the decay composes with other changes to the learning rate.
 *
 * <p>State dict: {@code step_size}, {@code gamma}, then the base keys.
 *
 * <p>Like PyTorch, {@code step_size} is not validated: 0 fails at the first step with
 * {@link ArithmeticException} {@code "integer modulo by zero"} (Python's ZeroDivisionError), and a negative
 * one decays at multiples of its absolute value.
 */
public class StepLR extends LRScheduler {
  private int stepSize;
  private double gamma;

  /** Decays by 0.1 every {@code stepSize} epochs. */
  public StepLR(Optimizer optimizer, int stepSize) {
    this(optimizer, stepSize, 0.1);
  }

  /** Decays by {@code gamma} every {@code stepSize} epochs. */
  public StepLR(Optimizer optimizer, int stepSize, double gamma) {
    this(optimizer, stepSize, gamma, -1);
  }

  /** Decays by {@code gamma} every {@code stepSize} epochs, resuming after {@code lastEpoch} (−1 to start). */
  public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
    super(optimizer, lastEpoch);
    this.stepSize = stepSize;
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected List<Double> getLr() {
    List<Double> lrs = new ArrayList<>();
    for (double lr : currentLrs()) {
      lrs.add(ChainableSchedules.step(lr, lastEpoch, stepSize, gamma));
    }
    return lrs;
  }

  @Override
  protected List<Double> getClosedFormLr() {
    List<Double> lrs = new ArrayList<>();
    for (double base : baseLrs) {
      lrs.add(Schedules.step(lastEpoch, stepSize, base, gamma));
    }
    return lrs;
  }

  /** {@code step_size}, {@code gamma}, then the base keys. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("step_size", stepSize);
    sd.put("gamma", gamma);
    sd.putAll(super.stateDict());
    return sd;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    int newStepSize = StateValues.intValue(stateDict, "step_size", stepSize);
    double newGamma = StateValues.doubleValue(stateDict, "gamma", gamma);
    super.loadStateDict(stateDict);
    stepSize = newStepSize;
    gamma = newGamma;
  }
}
