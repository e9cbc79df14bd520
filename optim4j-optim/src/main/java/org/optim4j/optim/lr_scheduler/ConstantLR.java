package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;

/**
 * Multiplies each group's learning rate by a constant factor until epoch {@code total_iters}, PyTorch's
 * {@code ConstantLR} (a warm-up at a reduced rate).
 *
 * <pre>
 * chainable:    lr_0 = lr · factor;   lr_t = lr_{t−1} · (1 / factor)   at t = total_iters;   else lr_{t−1}
 * closed form:  lr_t = base_lr · factor   for t &lt; total_iters,   base_lr   after     ({@link Schedules#constant})
 * </pre>
 *
 * <p>Options: {@code factor} (default 1/3, in [0, 1]), {@code total_iters} (default 5), {@code last_epoch}
 * (default −1). A factor of 0 fails at epoch {@code total_iters} with {@link ArithmeticException}
 * {@code "float division by zero"}, as in PyTorch.
 *
 * <p>State dict: {@code factor}, {@code total_iters}, then the base keys.
 */
public class ConstantLR extends LRScheduler {
  private double factor;
  private int totalIters;

  /** Factor 1/3 for 5 epochs. */
  public ConstantLR(Optimizer optimizer) {
    this(optimizer, 1.0 / 3, 5);
  }

  /**
   * {@code factor} for {@code totalIters} epochs.
   *
   * @throws IllegalArgumentException {@code "Constant multiplicative factor expected to be between 0 and 1."}
   */
  public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
    this(optimizer, factor, totalIters, -1);
  }

  /** {@code factor} for {@code totalIters} epochs, resuming after {@code lastEpoch} (−1 to start). */
  public ConstantLR(Optimizer optimizer, double factor, int totalIters, int lastEpoch) {
    super(checked(optimizer, factor), lastEpoch);
    this.factor = factor;
    this.totalIters = totalIters;
    initialStep();
  }

  private static Optimizer checked(Optimizer optimizer, double factor) {
    if (factor > 1.0 || factor < 0) {
      throw new IllegalArgumentException("Constant multiplicative factor expected to be between 0 and 1.");
    }
    return optimizer;
  }

  @Override
  protected List<Double> getLr() {
    List<Double> lrs = new ArrayList<>();
    for (double lr : currentLrs()) {
      lrs.add(ChainableSchedules.constant(lr, lastEpoch, totalIters, factor));
    }
    return lrs;
  }

  @Override
  protected List<Double> getClosedFormLr() {
    List<Double> lrs = new ArrayList<>();
    for (double base : baseLrs) {
      lrs.add(Schedules.constant(lastEpoch, totalIters, base, factor));
    }
    return lrs;
  }

  /** {@code factor}, {@code total_iters}, then the base keys. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("factor", factor);
    sd.put("total_iters", totalIters);
    sd.putAll(super.stateDict());
    return sd;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    double newFactor = StateValues.doubleValue(stateDict, "factor", factor);
    int newTotalIters = StateValues.intValue(stateDict, "total_iters", totalIters);
    super.loadStateDict(stateDict);
    factor = newFactor;
    totalIters = newTotalIters;
  }
}
