package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;

/**
 * Decays each group's learning rate by γ every epoch, PyTorch's {@code ExponentialLR}.
 *
 * <pre>
 * chainable:    lr_t = lr_{t−1} · γ          (the initial step leaves lr unchanged)
 * closed form:  lr_t = base_lr · γ^t         ({@link Schedules#exponential})
 * </pre>
 *
 * <p>Options: {@code gamma} (required), {@code last_epoch} (default −1).
 *
 * <p>State dict: {@code gamma}, then the base keys.
 */
public class ExponentialLR extends LRScheduler {
  private double gamma;

  /** Decays by {@code gamma} every epoch. */
  public ExponentialLR(Optimizer optimizer, double gamma) {
    this(optimizer, gamma, -1);
  }

  /** Decays by {@code gamma} every epoch, resuming after {@code lastEpoch} (−1 to start). */
  public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch) {
    super(optimizer, lastEpoch);
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected List<Double> getLr() {
    List<Double> current = currentLrs();
    if (isInitial()) {
      return current;
    }
    List<Double> lrs = new ArrayList<>();
    for (double lr : current) {
      lrs.add(ChainableSchedules.exponential(lr, gamma));
    }
    return lrs;
  }

  @Override
  protected List<Double> getClosedFormLr() {
    List<Double> lrs = new ArrayList<>();
    for (double base : baseLrs) {
      lrs.add(Schedules.exponential(lastEpoch, base, gamma));
    }
    return lrs;
  }

  /** {@code gamma}, then the base keys. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("gamma", gamma);
    sd.putAll(super.stateDict());
    return sd;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    double newGamma = StateValues.doubleValue(stateDict, "gamma", gamma);
    super.loadStateDict(stateDict);
    gamma = newGamma;
  }
}
