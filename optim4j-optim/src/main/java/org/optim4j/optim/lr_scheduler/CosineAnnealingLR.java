package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;

/**
 * Anneals each group's learning rate along a cosine from its initial value to {@code eta_min} over
 * {@code T_max} epochs, PyTorch's {@code CosineAnnealingLR} (SGDR's cosine, without restarts).
 *
 * <pre>
 * chainable:    lr_t = (1 + cos(π t / T_max)) / (1 + cos(π (t − 1) / T_max)) · (lr_{t−1} − η_min) + η_min
 *               lr_t = lr_{t−1} + (base_lr − η_min)(1 − cos(π / T_max)) / 2     when (t − 1 − T_max) mod 2T_max = 0
 * closed form:  lr_t = η_min + (base_lr − η_min)(1 + cos(π t / T_max)) / 2        ({@link Schedules#cosine})
 * </pre>
 *
 * <p>{@link #step()} uses PyTorch's recursion ({@link ChainableSchedules#cosine}), which equals the closed
 * form only while nothing else changes the learning rate: a rate set by hand keeps being annealed from its
 * new value, while {@code step(epoch)} recomputes from the base. Past {@code T_max} the rate rises back along
 * the cosine (period 2 T_max). The initial step leaves the rate unchanged; the first {@code step()} of a
 * scheduler whose step count is 1 at an epoch &gt; 0 uses the closed form.
 *
 * <p>Options: {@code T_max} (int, required), {@code eta_min} (default 0.0), {@code last_epoch} (default −1).
 *
 * <p>State dict: {@code T_max}, {@code eta_min}, then the base keys.
 *
 * <p>Paper: Loshchilov, Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017.
 */
public class CosineAnnealingLR extends LRScheduler {
  private int tMax;
  private double etaMin;

  /** Anneals to 0 over {@code tMax} epochs. */
  public CosineAnnealingLR(Optimizer optimizer, int tMax) {
    this(optimizer, tMax, 0.0);
  }

  /** Anneals to {@code etaMin} over {@code tMax} epochs. */
  public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
    this(optimizer, tMax, etaMin, -1);
  }

  /** Anneals to {@code etaMin} over {@code tMax} epochs, resuming after {@code lastEpoch} (−1 to start). */
  public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
    super(optimizer, lastEpoch);
    this.tMax = tMax;
    this.etaMin = etaMin;
    initialStep();
  }

  @Override
  protected List<Double> getLr() {
    List<Double> current = currentLrs();
    if (isInitial()) {
      return current;
    }
    if (stepCount == 1 && lastEpoch > 0) {
      return closedForm();
    }
    List<Double> lrs = new ArrayList<>();
    for (int i = 0; i < current.size(); i++) {
      lrs.add(ChainableSchedules.cosine(current.get(i), lastEpoch, tMax, baseLrs.get(i), etaMin));
    }
    return lrs;
  }

  @Override
  protected List<Double> getClosedFormLr() {
    return closedForm();
  }

  private List<Double> closedForm() {
    List<Double> lrs = new ArrayList<>();
    for (double base : baseLrs) {
      lrs.add(Schedules.cosine(lastEpoch, tMax, base, etaMin));
    }
    return lrs;
  }

  /** {@code T_max}, {@code eta_min}, then the base keys. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("T_max", tMax);
    sd.put("eta_min", etaMin);
    sd.putAll(super.stateDict());
    return sd;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    int newTMax = StateValues.intValue(stateDict, "T_max", tMax);
    double newEtaMin = StateValues.doubleValue(stateDict, "eta_min", etaMin);
    super.loadStateDict(stateDict);
    tMax = newTMax;
    etaMin = newEtaMin;
  }
}
