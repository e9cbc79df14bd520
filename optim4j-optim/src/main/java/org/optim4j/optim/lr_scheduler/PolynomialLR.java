package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;

/**
 * Decays each group's learning rate polynomially to 0 over {@code total_iters} epochs, PyTorch's
 * {@code PolynomialLR}.
 *
 * <pre>
 * chainable:    lr_t = lr_{t−1} · ((1 − t/T) / (1 − (t − 1)/T))^power   for 1 ≤ t ≤ T = total_iters;
 *               lr_{t−1} after T and on the initial step
 * closed form:  lr_t = base_lr · (1 − min(t, T) / T)^power                ({@link Schedules#polynomial})
 * </pre>
 *
 * <p>Options: {@code total_iters} (default 5), {@code power} (default 1.0), {@code last_epoch} (default −1).
 *
 * <p>State dict: {@code total_iters}, {@code power}, then the base keys.
 */
public class PolynomialLR extends LRScheduler {
  private int totalIters;
  private double power;

  /** Linear decay to 0 over 5 epochs. */
  public PolynomialLR(Optimizer optimizer) {
    this(optimizer, 5, 1.0);
  }

  /** Decay with exponent {@code power} to 0 over {@code totalIters} epochs. */
  public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
    this(optimizer, totalIters, power, -1);
  }

  /** Decay with exponent {@code power} over {@code totalIters} epochs, resuming after {@code lastEpoch}. */
  public PolynomialLR(Optimizer optimizer, int totalIters, double power, int lastEpoch) {
    super(optimizer, lastEpoch);
    this.totalIters = totalIters;
    this.power = power;
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
      lrs.add(ChainableSchedules.polynomial(lr, lastEpoch, totalIters, power));
    }
    return lrs;
  }

  @Override
  protected List<Double> getClosedFormLr() {
    List<Double> lrs = new ArrayList<>();
    for (double base : baseLrs) {
      lrs.add(Schedules.polynomial(lastEpoch, totalIters, base, power));
    }
    return lrs;
  }

  /** {@code total_iters}, {@code power}, then the base keys. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("total_iters", totalIters);
    sd.put("power", power);
    sd.putAll(super.stateDict());
    return sd;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    int newTotalIters = StateValues.intValue(stateDict, "total_iters", totalIters);
    double newPower = StateValues.doubleValue(stateDict, "power", power);
    super.loadStateDict(stateDict);
    totalIters = newTotalIters;
    power = newPower;
  }
}
