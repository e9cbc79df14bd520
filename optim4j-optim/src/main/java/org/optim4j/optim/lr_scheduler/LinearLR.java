package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;

/**
 * Changes each group's learning rate linearly from {@code start_factor} to {@code end_factor} times its
 * initial value over {@code total_iters} epochs, PyTorch's {@code LinearLR} (typically a warm-up).
 *
 * <pre>
 * chainable:    lr_0 = lr · start;   lr_t = lr_{t−1} · (1 + (end − start) / (T · start + (t − 1)(end − start)))
 *               for 1 ≤ t ≤ T = total_iters;   lr_{t−1} after T (and on the initial step when resuming)
 * closed form:  lr_t = base_lr · (start + (end − start) · min(t, T) / T)        ({@link Schedules#linear})
 * </pre>
 *
 * <p>Options: {@code start_factor} (default 1/3, in (0, 1]), {@code end_factor} (default 1.0, in [0, 1]),
 * {@code total_iters} (default 5), {@code last_epoch} (default −1).
 *
 * <p>State dict: {@code start_factor}, {@code end_factor}, {@code total_iters}, then the base keys.
 */
public class LinearLR extends LRScheduler {
  private double startFactor;
  private double endFactor;
  private int totalIters;

  /** From 1/3 to 1 over 5 epochs. */
  public LinearLR(Optimizer optimizer) {
    this(optimizer, 1.0 / 3, 1.0, 5);
  }

  /**
   * From {@code startFactor} to {@code endFactor} over {@code totalIters} epochs.
   *
   * @throws IllegalArgumentException {@code "Starting multiplicative factor expected to be greater than 0 and
   *     less or equal to 1."} or {@code "Ending multiplicative factor expected to be between 0 and 1."}
   */
  public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
    this(optimizer, startFactor, endFactor, totalIters, -1);
  }

  /** From {@code startFactor} to {@code endFactor} over {@code totalIters} epochs, resuming after {@code lastEpoch}. */
  public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters, int lastEpoch) {
    super(checked(optimizer, startFactor, endFactor), lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    initialStep();
  }

  private static Optimizer checked(Optimizer optimizer, double startFactor, double endFactor) {
    if (startFactor > 1.0 || startFactor <= 0) {
      throw new IllegalArgumentException(
          "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
    }
    if (endFactor > 1.0 || endFactor < 0) {
      throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
    }
    return optimizer;
  }

  @Override
  protected List<Double> getLr() {
    List<Double> current = currentLrs();
    if (isInitial() && lastEpoch != 0) {
      return current;
    }
    List<Double> lrs = new ArrayList<>();
    for (double lr : current) {
      lrs.add(ChainableSchedules.linear(lr, lastEpoch, totalIters, startFactor, endFactor));
    }
    return lrs;
  }

  @Override
  protected List<Double> getClosedFormLr() {
    List<Double> lrs = new ArrayList<>();
    for (double base : baseLrs) {
      lrs.add(Schedules.linear(lastEpoch, totalIters, base, startFactor, endFactor));
    }
    return lrs;
  }

  /** {@code start_factor}, {@code end_factor}, {@code total_iters}, then the base keys. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("start_factor", startFactor);
    sd.put("end_factor", endFactor);
    sd.put("total_iters", totalIters);
    sd.putAll(super.stateDict());
    return sd;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    double newStart = StateValues.doubleValue(stateDict, "start_factor", startFactor);
    double newEnd = StateValues.doubleValue(stateDict, "end_factor", endFactor);
    int newTotalIters = StateValues.intValue(stateDict, "total_iters", totalIters);
    super.loadStateDict(stateDict);
    startFactor = newStart;
    endFactor = newEnd;
    totalIters = newTotalIters;
  }
}
