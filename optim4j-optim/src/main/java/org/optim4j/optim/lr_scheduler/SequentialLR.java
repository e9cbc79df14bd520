package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;

/**
 * Runs schedulers one after another, switching at milestone epochs, PyTorch's {@code SequentialLR} (for
 * example a {@link LinearLR} warm-up, then {@link CosineAnnealingLR}).
 *
 * <pre>
 * construction:  last_epoch ← last_epoch + 1;  every group's lr ← initial_lr;  undo the initial step of every
 *                scheduler (last_epoch − 1, recursively);  initial step of schedulers[bisect_right(milestones, 0)]
 * step():        last_epoch ← last_epoch + 1;  i ← bisect_right(milestones, last_epoch)
 *                at a milestone (milestones[i − 1] = last_epoch):  schedulers[i] restarts at epoch 0
 *                (its closed form, or getLr(), at 0, without counting a step or warning)
 *                otherwise:  schedulers[i].step()
 * </pre>
 *
 * <p>Options: {@code schedulers} (at least one, all of this optimizer, none a {@link ReduceLROnPlateau}),
 * {@code milestones} (one fewer than the schedulers), {@code last_epoch} (default −1; as in PyTorch 2.13 it
 * does not fast-forward the schedulers).
 *
 * <pre>{@code
 * LRScheduler warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * LRScheduler cosine = new CosineAnnealingLR(opt, 95);
 * LRScheduler s = new SequentialLR(opt, List.of(warmup, cosine), List.of(5));
 * }</pre>
 *
 * <p>State dict: {@code _milestones}, {@code last_epoch}, {@code _last_lr}, {@code _schedulers} (the state
 * dict of each scheduler). It has no base learning rates ({@link #baseLrs()} throws), and {@code step} takes
 * no epoch.
 */
public class SequentialLR extends LRScheduler {
  private final List<LRScheduler> schedulers;
  private List<Integer> milestones;

  /** The schedulers, switching at the milestones. */
  public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, List<Integer> milestones) {
    this(optimizer, schedulers, milestones, -1);
  }

  /**
   * The schedulers, switching at the milestones, from epoch {@code lastEpoch + 1}.
   *
   * @throws IllegalArgumentException with PyTorch's messages: no scheduler, a null one (PyTorch's TypeError
   *     for an element without an optimizer), a ReduceLROnPlateau, one of another optimizer, or a number of
   *     milestones that is not one fewer than the schedulers
   * @throws IllegalStateException when a group has no {@code initial_lr}
   */
  public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, List<Integer> milestones,
      int lastEpoch) {
    super(Composites.check("SequentialLR", optimizer, schedulers, false));
    Objects.requireNonNull(milestones, "milestones");
    if (milestones.size() != schedulers.size() - 1) {
      throw new IllegalArgumentException("Sequential Schedulers expects number of schedulers provided to be one more "
          + "than the number of milestone points, but got number of schedulers " + schedulers.size() + " and the "
          + "number of milestones to be equal to " + milestones.size());
    }
    for (Integer m : milestones) {
      Objects.requireNonNull(m, "milestone");
    }
    for (ParamGroup group : optimizer.paramGroups()) {
      if (!group.containsKey("initial_lr")) {
        throw new IllegalStateException("'initial_lr'");
      }
    }
    this.schedulers = List.copyOf(schedulers);
    this.milestones = List.copyOf(milestones);
    this.lastEpoch = lastEpoch + 1;
    for (ParamGroup group : optimizer.paramGroups()) {
      setGroupValue(group, "lr", group.getDouble("initial_lr"));
    }
    Composites.undoInitialSteps(this.schedulers);
    LRScheduler first = this.schedulers.get(PyMath.bisectRight(this.milestones, 0));
    first.initialStep();
    this.lastLr = first.getLastLr();
  }

  /** The schedulers, in order. */
  public List<LRScheduler> schedulers() {
    return schedulers;
  }

  /** Steps the scheduler of the current epoch (restarting it at its milestone). */
  @Override
  public void step() {
    lastEpoch++;
    int idx = PyMath.bisectRight(milestones, lastEpoch);
    LRScheduler scheduler = schedulers.get(idx);
    if (idx > 0 && milestones.get(idx - 1) == lastEpoch) {
      scheduler.updateLr(0);
    } else {
      scheduler.step();
    }
    lastLr = scheduler.getLastLr();
  }

  /** Not available: PyTorch's SequentialLR.step() takes no epoch (a TypeError there). */
  @Override
  @Deprecated
  public void step(int epoch) {
    throw new IllegalArgumentException("SequentialLR.step() takes 1 positional argument but 2 were given");
  }

  /** Not available (PyTorch's NotImplementedError): the schedulers compute the learning rates. */
  @Override
  protected List<Double> getLr() {
    throw new UnsupportedOperationException("SequentialLR has no get_lr(); its schedulers compute the rates");
  }

  /** {@code _milestones}, {@code last_epoch}, {@code _last_lr}, then {@code _schedulers}. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("_milestones", new ArrayList<>(milestones));
    sd.put("last_epoch", lastEpoch);
    sd.put("_last_lr", new ArrayList<>(lastLr));
    Composites.putInitialStepKeys(this, sd);
    sd.put("_schedulers", Composites.stateDicts(schedulers));
    return sd;
  }

  /** Loads its own keys and each scheduler's state dict. */
  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    Objects.requireNonNull(stateDict, "stateDict");
    List<Integer> newMilestones = milestones;
    if (stateDict.containsKey("_milestones")) {
      Object v = stateDict.get("_milestones");
      if (!(v instanceof List<?> list)) {
        throw StateValues.wrong("_milestones", "a list of ints", v);
      }
      List<Integer> ms = new ArrayList<>();
      for (Object m : list) {
        ms.add(StateValues.toInt("_milestones", m));
      }
      newMilestones = List.copyOf(ms);
    }
    int newLastEpoch = StateValues.intValue(stateDict, "last_epoch", lastEpoch);
    List<Double> newLastLr = StateValues.doubleList(stateDict, "_last_lr", lastLr);
    int newStepCount = StateValues.intValue(stateDict, "_step_count", stepCount);
    boolean newIsInitial = StateValues.boolValue(stateDict, "_is_initial", isInitial);
    List<Map<String, ?>> subs = Composites.checkStateDicts(stateDict, schedulers.size());
    Composites.loadStateDicts(schedulers, subs);
    Composites.loadInitialStepKeys(this, stateDict, newStepCount, newIsInitial);
    milestones = newMilestones;
    lastEpoch = newLastEpoch;
    lastLr = newLastLr;
  }
}
