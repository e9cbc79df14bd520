package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.optim.Optimizer;

/**
 * Steps several chainable schedulers together, PyTorch's {@code ChainedScheduler}: each {@code step()} calls
 * every scheduler's {@code step()} in order, so their factors multiply.
 *
 * <pre>
 * step():  for s in schedulers:  s.step();     last_lr ← the groups' learning rates
 * </pre>
 *
 * <pre>{@code
 * LRScheduler s = new ChainedScheduler(List.of(new ConstantLR(opt, 0.1, 3), new ExponentialLR(opt, 0.9)));
 * }</pre>
 *
 * <p>Options: {@code schedulers} (at least one, none a {@link ReduceLROnPlateau}, all of one optimizer),
 * {@code optimizer} (default: the first scheduler's).
 *
 * <p>State dict: {@code _last_lr}, {@code _schedulers} (each scheduler's state dict). As in PyTorch it has
 * neither {@code last_epoch} nor base learning rates ({@link #lastEpoch()} and {@link #baseLrs()} throw), and
 * {@code step} takes no epoch.
 */
public class ChainedScheduler extends LRScheduler {
  private final List<LRScheduler> schedulers;

  /** Chains the schedulers, on the first one's optimizer. */
  public ChainedScheduler(List<? extends LRScheduler> schedulers) {
    this(schedulers, null);
  }

  /**
   * Chains the schedulers of {@code optimizer} (null for the first scheduler's).
   *
   * @throws IllegalArgumentException with PyTorch's messages: no scheduler, a null one, a ReduceLROnPlateau,
   *     or one of another optimizer
   */
  public ChainedScheduler(List<? extends LRScheduler> schedulers, Optimizer optimizer) {
    super(Composites.check("ChainedScheduler", optimizer, schedulers, true));
    this.schedulers = List.copyOf(schedulers);
    this.lastLr = groupValues(this.schedulers.get(this.schedulers.size() - 1).optimizer(), "lr");
  }

  /** The schedulers, in order. */
  public List<LRScheduler> schedulers() {
    return schedulers;
  }

  /** Steps every scheduler, in order. */
  @Override
  public void step() {
    for (LRScheduler s : schedulers) {
      s.step();
    }
    lastLr = groupValues(schedulers.get(schedulers.size() - 1).optimizer(), "lr");
  }

  /** Not available: PyTorch's ChainedScheduler.step() takes no epoch (a TypeError there). */
  @Override
  @Deprecated
  public void step(int epoch) {
    throw new IllegalArgumentException("ChainedScheduler.step() takes 1 positional argument but 2 were given");
  }

  /** Not available: PyTorch's ChainedScheduler has no {@code last_epoch}; read its schedulers'. */
  @Override
  public int lastEpoch() {
    throw new UnsupportedOperationException("'ChainedScheduler' object has no attribute 'last_epoch'");
  }

  /** Not available (PyTorch's NotImplementedError): the schedulers compute the learning rates. */
  @Override
  protected List<Double> getLr() {
    throw new UnsupportedOperationException("ChainedScheduler has no get_lr(); its schedulers compute the rates");
  }

  /** {@code _last_lr}, then {@code _schedulers}. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("_last_lr", new ArrayList<>(lastLr));
    Composites.putInitialStepKeys(this, sd);
    sd.put("_schedulers", Composites.stateDicts(schedulers));
    return sd;
  }

  /** Loads {@code _last_lr} and each scheduler's state dict. */
  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    Objects.requireNonNull(stateDict, "stateDict");
    List<Double> newLastLr = StateValues.doubleList(stateDict, "_last_lr", lastLr);
    int newStepCount = StateValues.intValue(stateDict, "_step_count", stepCount);
    boolean newIsInitial = StateValues.boolValue(stateDict, "_is_initial", isInitial);
    List<Map<String, ?>> subs = Composites.checkStateDicts(stateDict, schedulers.size());
    Composites.loadStateDicts(schedulers, subs);
    Composites.loadInitialStepKeys(this, stateDict, newStepCount, newIsInitial);
    lastLr = newLastLr;
  }
}
