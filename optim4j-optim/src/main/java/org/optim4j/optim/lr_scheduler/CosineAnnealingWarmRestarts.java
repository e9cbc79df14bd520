package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.internal.PyFormat;

/**
 * Cosine annealing with warm restarts, PyTorch's {@code CosineAnnealingWarmRestarts} (SGDR): the learning
 * rate falls along a cosine from its initial value to {@code eta_min} over {@code T_i} epochs, then restarts;
 * each cycle is {@code T_mult} times longer than the one before.
 *
 * <pre>
 * lr = η_min + (base_lr − η_min)(1 + cos(π T_cur / T_i)) / 2           ({@link Schedules#cosine})
 * step():        T_cur ← T_cur + 1;  if T_cur ≥ T_i:  T_cur ← T_cur − T_i,  T_i ← T_i · T_mult
 * step(epoch):   T_cur, T_i ← the position of epoch in cycles T_0, T_0·T_mult, …   ({@link Schedules#warmRestart})
 * </pre>
 *
 * <p>The epoch may be fractional, to step per batch: {@code scheduler.step(epoch + i / (double) iters)}. Its
 * own {@code step} neither counts steps nor warns, as in PyTorch; {@code last_epoch} is ⌊epoch⌋.
 *
 * <p>Options: {@code T_0} (int ≥ 1, required), {@code T_mult} (int ≥ 1, default 1), {@code eta_min}
 * (default 0.0), {@code last_epoch} (default −1).
 *
 * <p>State dict: {@code T_0}, {@code T_i}, {@code T_mult}, {@code eta_min}, {@code T_cur} (an Integer while
 * it is one in PyTorch, a Double after a fractional epoch or a restart computed with T_mult &gt; 1), then the
 * base keys.
 *
 * <p>Paper: Loshchilov, Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", ICLR 2017.
 */
public class CosineAnnealingWarmRestarts extends LRScheduler {
  private int t0;
  private long tI;
  private int tMult;
  private double etaMin;
  /** PyTorch's {@code T_cur}: a Python int or float, so an Integer/Long or a Double. */
  private Number tCur;

  /** Restarts every {@code t0} epochs, annealing to 0. */
  public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) {
    this(optimizer, t0, 1, 0.0);
  }

  /**
   * First cycle of {@code t0} epochs, each next one {@code tMult} times longer, annealing to {@code etaMin}.
   *
   * @throws IllegalArgumentException {@code "Expected positive integer T_0, but got …"} or {@code "Expected
   *     integer T_mult >= 1, but got …"}
   */
  public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
    this(optimizer, t0, tMult, etaMin, -1);
  }

  /** As {@link #CosineAnnealingWarmRestarts(Optimizer, int, int, double)}, resuming after {@code lastEpoch}. */
  public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin, int lastEpoch) {
    super(checked(optimizer, t0, tMult), lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.tCur = lastEpoch;
    initialStep();
  }

  private static Optimizer checked(Optimizer optimizer, int t0, int tMult) {
    if (t0 <= 0) {
      throw new IllegalArgumentException("Expected positive integer T_0, but got " + t0);
    }
    if (tMult < 1) {
      throw new IllegalArgumentException("Expected integer T_mult >= 1, but got " + tMult);
    }
    return optimizer;
  }

  @Override
  protected List<Double> getLr() {
    List<Double> lrs = new ArrayList<>();
    for (double base : baseLrs) {
      lrs.add(Schedules.cosine(tCur.doubleValue(), tI, base, etaMin));
    }
    return lrs;
  }

  /** Advances one epoch: {@code T_cur + 1}, restarting when it reaches {@code T_i}. */
  @Override
  public void step() {
    stepTo(null);
  }

  /** Jumps to a (possibly fractional) epoch ≥ 0; {@code last_epoch} becomes ⌊epoch⌋. */
  public void step(double epoch) {
    stepTo(epoch);
  }

  /**
   * Jumps to an epoch ≥ 0, as {@link #step(double)} (with PyTorch's int arithmetic: {@code T_cur} stays an
   * int when T_mult is 1). Not deprecated here, and no warning: this is CosineAnnealingWarmRestarts' own step.
   *
   * @throws IllegalArgumentException {@code "Expected non-negative epoch, but got …"}
   */
  @Override
  @SuppressWarnings("deprecation") // overrides the deprecated base form with this scheduler's supported one
  public void step(int epoch) {
    stepTo(epoch);
  }

  private void stepTo(Number epoch) {
    if (epoch == null && lastEpoch < 0) {
      epoch = 0;
    }
    if (epoch == null) {
      epoch = lastEpoch + 1;
      tCur = add(tCur, 1);
      if (tCur.doubleValue() >= tI) {
        tCur = tCur instanceof Double d ? (Number) PyMath.mod(d, (double) tI) : (Number) PyMath.mod(tCur.longValue(), tI);
        tI = Math.multiplyExact(tI, (long) tMult);
      }
    } else {
      double e = epoch.doubleValue();
      if (e < 0) {
        throw new IllegalArgumentException("Expected non-negative epoch, but got " + PyFormat.str(epoch));
      }
      if (e >= t0) {
        Schedules.Restart r = Schedules.warmRestart(e, t0, tMult);
        if (tMult == 1) {
          tCur = epoch instanceof Double ? (Number) r.tCur() : (Number) PyMath.mod(epoch.longValue(), t0);
        } else {
          tCur = r.tCur();
          tI = r.tI();
        }
      } else {
        tI = t0;
        tCur = epoch;
      }
    }
    lastEpoch = (int) Math.floor(epoch.doubleValue());
    getLrCalledWithinStep = true;
    List<Double> values;
    try {
      values = getLr();
    } finally {
      getLrCalledWithinStep = false;
    }
    writeLrs(values);
  }

  private static Number add(Number a, int b) {
    return a instanceof Double d ? (Number) (d + b) : (Number) (a.longValue() + b);
  }

  /** {@code T_0}, {@code T_i}, {@code T_mult}, {@code eta_min}, {@code T_cur}, then the base keys. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("T_0", t0);
    sd.put("T_i", pyInt(tI));
    sd.put("T_mult", tMult);
    sd.put("eta_min", etaMin);
    sd.put("T_cur", tCur instanceof Double ? tCur : pyInt(tCur.longValue()));
    sd.putAll(super.stateDict());
    return sd;
  }

  private static Number pyInt(long v) {
    return v == (int) v ? (Number) (int) v : (Number) v;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    int newT0 = StateValues.intValue(stateDict, "T_0", t0);
    long newTI = StateValues.longValue(stateDict, "T_i", tI);
    int newTMult = StateValues.intValue(stateDict, "T_mult", tMult);
    double newEtaMin = StateValues.doubleValue(stateDict, "eta_min", etaMin);
    Number newTCur = StateValues.number(stateDict, "T_cur", tCur);
    if (!(newTCur instanceof Double)) {
      newTCur = newTCur instanceof Float f ? (Number) f.doubleValue() : (Number) newTCur.longValue();
    }
    super.loadStateDict(stateDict);
    t0 = newT0;
    tI = newTI;
    tMult = newTMult;
    etaMin = newEtaMin;
    tCur = newTCur;
  }
}
