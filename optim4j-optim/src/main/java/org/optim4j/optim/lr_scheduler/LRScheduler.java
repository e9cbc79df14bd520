package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.tensor.Tensor;

/**
 * The base of every learning-rate scheduler, PyTorch's {@code torch.optim.lr_scheduler.LRScheduler}: it
 * keeps the base learning rates, counts epochs and writes each new learning rate into the optimizer's
 * parameter groups.
 *
 * <pre>
 * construction (last_epoch = −1):  group["initial_lr"] ← group["lr"] (unless already set);  base_lrs ← initial_lr
 *                                  then the initial step: last_epoch ← 0, group["lr"] ← getLr()
 * step():                          last_epoch ← last_epoch + 1;  group["lr"] ← getLr()   (the chainable form)
 * step(epoch) (deprecated):        last_epoch ← epoch;  group["lr"] ← getClosedFormLr(), or getLr() without one
 * </pre>
 *
 * <p>Call {@link #step()} after {@code optimizer.step()}, once per epoch (or per batch for
 * {@link CyclicLR} and {@link OneCycleLR}). A subclass sets its own fields, then ends its constructor with
 * {@link #initialStep()} (Java runs this constructor before the subclass's fields are set, so it cannot take
 * the first step itself), and implements {@link #getLr()}:
 *
 * <pre>{@code
 * final class HalveEvery extends LRScheduler {
 *   private final int every;
 *   HalveEvery(Optimizer opt, int every) { super(opt, -1); this.every = every; initialStep(); }
 *   @Override protected List<Double> getLr() {
 *     List<Double> lrs = new ArrayList<>();
 *     for (double base : baseLrs()) lrs.add(base * Math.pow(0.5, lastEpoch() / every));
 *     return lrs;
 *   }
 * }
 * }</pre>
 *
 * <p>State dict: PyTorch's keys {@code base_lrs}, {@code last_epoch}, {@code _step_count},
 * {@code _is_initial}, {@code _get_lr_called_within_step}, {@code _last_lr}, after the subclass's own
 * (PyTorch saves every attribute but the optimizer). A subclass with fields of its own overrides
 * {@link #stateDict()} and {@link #loadStateDict} to add them.
 *
 * <p>Warnings go to the {@link System.Logger} named after this class, with PyTorch's texts: the first
 * {@code step()} of a scheduler warns when its optimizer has not stepped since the first scheduler was
 * attached to it (PyTorch's check of {@code optimizer._opt_called}, read here from
 * {@link Optimizer#stepCount()}); {@code step(epoch)} warns once per scheduler that the argument is deprecated.
 *
 * <p>Differences from PyTorch: learning rates are doubles ({@link #getLastLr()} and {@link #baseLrs()} give
 * doubles even when a group's {@code lr} is a one-element tensor, which is still updated in place with
 * {@code fill_}, from double arithmetic); {@code getLr()} called outside {@code step()} does not warn (it is
 * protected); PyTorch's warning that {@code optimizer.step} was replaced after the scheduler was built has
 * no counterpart ({@link Optimizer#step()} is final); a Python {@code ZeroDivisionError} is an
 * {@link ArithmeticException} with Python's message. Not thread-safe.
 */
public abstract class LRScheduler {
  static final String EPOCH_DEPRECATION_WARNING = "The epoch parameter in `scheduler.step()` was not necessary and "
      + "is being deprecated where possible. Please use `scheduler.step()` to step the scheduler. During the "
      + "deprecation, if epoch is different from None, the closed form is used instead of the new chainable form, "
      + "where available. Please open an issue if you are unable to replicate your use case: "
      + "https://github.com/pytorch/pytorch/issues/new/choose.";
  static final String STEP_ORDER_WARNING = "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
      + "In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before "
      + "`lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the "
      + "learning rate schedule. See more details at "
      + "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate";

  static final System.Logger LOG = System.getLogger(LRScheduler.class.getName());

  /**
   * For each optimizer a scheduler has been attached to, its step count when the first one was: PyTorch
   * wraps {@code optimizer.step} then, and the wrapper sets {@code _opt_called}.
   */
  private static final Map<Optimizer, Long> ATTACHED = Collections.synchronizedMap(new WeakHashMap<>());

  final Optimizer optimizer;
  /** PyTorch's {@code base_lrs}; null for the schedulers that do not run this class's constructor. */
  List<Double> baseLrs;
  int lastEpoch;
  int stepCount;
  List<Double> lastLr;
  boolean getLrCalledWithinStep;
  boolean isInitial;
  /** Whether {@link #initialStep()} ran (it adds PyTorch's {@code _step_count} and {@code _is_initial}). */
  boolean initialStepTaken;
  private boolean epochWarned;

  /**
   * Sets up the base state, PyTorch's {@code LRScheduler.__init__} without its last line: with
   * {@code lastEpoch == -1}, each group's {@code initial_lr} is set to its {@code lr} unless it already has
   * one; otherwise every group must have an {@code initial_lr} (resuming). Then {@link #baseLrs()} are the
   * {@code initial_lr}s. Does not take the initial step: the subclass constructor ends with
   * {@link #initialStep()}.
   *
   * @param lastEpoch the index of the last epoch, −1 to start from the beginning
   * @throws NullPointerException if {@code optimizer} is null
   * @throws IllegalStateException PyTorch's KeyError {@code "param 'initial_lr' is not specified in
   *     param_groups[i] when resuming scheduler with last_epoch >= 0. …"} when resuming without it
   */
  protected LRScheduler(Optimizer optimizer, int lastEpoch) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer must not be null: a scheduler needs an Optimizer");
    List<ParamGroup> groups = optimizer.paramGroups();
    if (lastEpoch == -1) {
      for (ParamGroup group : groups) {
        if (!group.containsKey("initial_lr")) {
          Object lr = group.get("lr");
          group.set("initial_lr", lr instanceof Tensor t ? t.clone() : lr);
        }
      }
    } else {
      for (int i = 0; i < groups.size(); i++) {
        if (!groups.get(i).containsKey("initial_lr")) {
          throw new IllegalStateException("param 'initial_lr' is not specified in param_groups[" + i + "] when "
              + "resuming scheduler with last_epoch >= 0.\nThis typically happens when:\n1. You're trying to "
              + "resume training from a checkpoint but haven't properly loaded the optimizer state\n2. You're "
              + "using last_epoch >= 0 for a fresh training run (not recommended)");
        }
      }
    }
    this.baseLrs = groupValues(optimizer, "initial_lr");
    this.lastEpoch = lastEpoch;
    ATTACHED.putIfAbsent(optimizer, optimizer.stepCount());
  }

  /**
   * For the schedulers that, in PyTorch, do not run {@code LRScheduler.__init__} (ReduceLROnPlateau,
   * SequentialLR, ChainedScheduler): no {@code initial_lr}, no base learning rates, no initial step.
   */
  LRScheduler(Optimizer optimizer) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer must not be null: a scheduler needs an Optimizer");
  }

  /**
   * Takes the initial step, PyTorch's {@code _initial_step}: sets the step count to 0 and calls
   * {@link #step()} with {@link #isInitial()} true, which makes {@link #lastEpoch()} 0 (or {@code lastEpoch
   * + 1} when resuming) and writes {@link #getLr()} into the groups. Each concrete constructor ends with it.
   */
  protected final void initialStep() {
    initialStepTaken = true;
    stepCount = 0;
    isInitial = true;
    try {
      step();
    } finally {
      isInitial = false;
    }
  }

  /**
   * Advances the schedule by one epoch (or batch) and writes the new learning rates into the optimizer's
   * groups: {@code last_epoch ← last_epoch + 1}, then {@link #getLr()}. Call it after
   * {@code optimizer.step()}; the first call warns if the optimizer has not stepped.
   */
  public void step() {
    stepWith(null);
  }

  /**
   * Sets the epoch and writes the learning rates of that epoch: the closed form ({@link #getClosedFormLr()})
   * where the scheduler has one, else {@link #getLr()} at that epoch. Warns once per scheduler.
   *
   * @deprecated as in PyTorch: call {@link #step()} instead
   */
  @Deprecated
  public void step(int epoch) {
    stepWith(epoch);
  }

  private void stepWith(Integer epoch) {
    if (stepCount == 1 && !optimizerStepped()) {
      LOG.log(System.Logger.Level.WARNING, STEP_ORDER_WARNING);
    }
    stepCount++;
    if (epoch != null) {
      warnEpochDeprecated();
    }
    updateLr(epoch);
  }

  /** Logs PyTorch's deprecation warning of {@code step(epoch)}, once per scheduler. */
  final void warnEpochDeprecated() {
    if (!epochWarned) {
      epochWarned = true;
      LOG.log(System.Logger.Level.WARNING, EPOCH_DEPRECATION_WARNING);
    }
  }

  private boolean optimizerStepped() {
    Long at = ATTACHED.get(optimizer);
    return at != null && optimizer.stepCount() > at;
  }

  /**
   * PyTorch's {@code _update_lr}: with a null epoch, {@code last_epoch + 1} and {@link #getLr()}; otherwise
   * {@code last_epoch ← epoch} and the closed form (or {@code getLr()}). Writes the values into the groups
   * and records them as the last learning rates. Does not count a step.
   */
  final void updateLr(Integer epoch) {
    List<Double> values;
    getLrCalledWithinStep = true;
    try {
      if (epoch == null) {
        lastEpoch++;
        values = getLr();
      } else {
        lastEpoch = epoch;
        List<Double> closed = getClosedFormLr();
        values = closed != null ? closed : getLr();
      }
    } finally {
      getLrCalledWithinStep = false;
    }
    writeLrs(values);
  }

  /**
   * Writes one learning rate per group (a tensor {@code lr} is filled in place) and records them as the last
   * learning rates.
   *
   * @throws IllegalArgumentException if there is not one value per group
   */
  final void writeLrs(List<Double> values) {
    List<ParamGroup> groups = optimizer.paramGroups();
    if (values.size() != groups.size()) {
      throw new IllegalArgumentException("zip() argument 2 is " + (values.size() < groups.size() ? "shorter" : "longer")
          + " than argument 1");
    }
    for (int i = 0; i < groups.size(); i++) {
      setGroupValue(groups.get(i), "lr", values.get(i));
    }
    lastLr = groupValues(optimizer, "lr");
  }

  /** Sets {@code group[key]}, filling a tensor value in place, as PyTorch's {@code _update_param_group_val}. */
  static void setGroupValue(ParamGroup group, String key, double value) {
    if (group.get(key) instanceof Tensor t) {
      t.fill_(value);
    } else {
      group.set(key, value);
    }
  }

  /** {@code group[key]} of every group, as doubles. */
  static List<Double> groupValues(Optimizer optimizer, String key) {
    List<Double> values = new ArrayList<>();
    for (ParamGroup group : optimizer.paramGroups()) {
      values.add(group.getDouble(key));
    }
    return Collections.unmodifiableList(values);
  }

  /**
   * The learning rates of the next step, one per group: the chainable form, which may read the groups'
   * current {@code lr} (see {@link #currentLrs()}), {@link #lastEpoch()} (already advanced),
   * {@link #baseLrs()}, {@link #isInitial()} and the scheduler's own fields. Called by {@link #step()}; it
   * must have no side effects on the learning rates (CyclicLR and OneCycleLR set the momentum here).
   */
  protected abstract List<Double> getLr();

  /**
   * The learning rates at {@link #lastEpoch()} computed from {@link #baseLrs()}, PyTorch's
   * {@code _get_closed_form_lr}, used by the deprecated {@link #step(int)}; null (the default) for a
   * scheduler without a closed form, for which {@link #getLr()} is used.
   */
  protected List<Double> getClosedFormLr() {
    return null;
  }

  /** The learning rates the last step wrote, one per group (PyTorch's {@code get_last_lr()}). */
  public List<Double> getLastLr() {
    if (lastLr == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " has not taken its initial step: a scheduler's "
          + "constructor must end with initialStep()");
    }
    return lastLr;
  }

  /** The optimizer whose learning rates this scheduler sets. */
  public final Optimizer optimizer() {
    return optimizer;
  }

  /** The index of the last epoch (or batch) stepped, PyTorch's {@code last_epoch}: 0 right after construction. */
  public int lastEpoch() {
    return lastEpoch;
  }

  /**
   * The base learning rate of each group, PyTorch's {@code base_lrs} (the {@code initial_lr}s; CyclicLR's
   * {@code base_lr}s).
   *
   * @throws UnsupportedOperationException for ReduceLROnPlateau, SequentialLR and ChainedScheduler, which
   *     have none (as in PyTorch)
   */
  public final List<Double> baseLrs() {
    if (baseLrs == null) {
      throw new UnsupportedOperationException("'" + getClass().getSimpleName() + "' object has no attribute "
          + "'base_lrs'");
    }
    return baseLrs;
  }

  /** Whether the initial step is running (PyTorch's {@code _is_initial}), for chainable forms that skip it. */
  protected final boolean isInitial() {
    return isInitial;
  }

  /** The number of steps taken, the initial one included (PyTorch's {@code _step_count}). */
  protected final int stepCount() {
    return stepCount;
  }

  /** The current {@code lr} of every group, as doubles (PyTorch's {@code _param_groups_val_list(opt, "lr")}). */
  protected final List<Double> currentLrs() {
    return groupValues(optimizer, "lr");
  }

  /**
   * The scheduler's state, PyTorch's {@code state_dict()}: every field but the optimizer, under PyTorch's
   * keys. The base gives {@code base_lrs}, {@code last_epoch}, {@code _step_count}, {@code _is_initial},
   * {@code _get_lr_called_within_step} and {@code _last_lr} (lists of Doubles, Integers, Booleans); the
   * built-in schedulers put their own fields first, as PyTorch does. The map and its lists are copies.
   */
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("base_lrs", new ArrayList<>(baseLrs()));
    sd.put("last_epoch", lastEpoch);
    sd.put("_step_count", stepCount);
    sd.put("_is_initial", isInitial);
    sd.put("_get_lr_called_within_step", getLrCalledWithinStep);
    sd.put("_last_lr", lastLr == null ? null : new ArrayList<>(lastLr));
    return sd;
  }

  /**
   * Loads a state dict made by {@link #stateDict()} (here or by PyTorch, as Java values), PyTorch's
   * {@code __dict__.update(state_dict)}: each key present replaces that field; absent keys keep their value
   * and unknown keys are ignored. Load the optimizer's state dict as well: the scheduler's state does not
   * include the groups' learning rates.
   *
   * @throws IllegalArgumentException for a value of the wrong type, before anything changes
   */
  public void loadStateDict(Map<String, ?> stateDict) {
    Objects.requireNonNull(stateDict, "stateDict");
    List<Double> newBaseLrs = StateValues.doubleList(stateDict, "base_lrs", baseLrs);
    int newLastEpoch = StateValues.intValue(stateDict, "last_epoch", lastEpoch);
    int newStepCount = StateValues.intValue(stateDict, "_step_count", stepCount);
    boolean newIsInitial = StateValues.boolValue(stateDict, "_is_initial", isInitial);
    boolean newCalled = StateValues.boolValue(stateDict, "_get_lr_called_within_step", getLrCalledWithinStep);
    List<Double> newLastLr = StateValues.doubleList(stateDict, "_last_lr", lastLr);
    baseLrs = newBaseLrs;
    lastEpoch = newLastEpoch;
    stepCount = newStepCount;
    isInitial = newIsInitial;
    getLrCalledWithinStep = newCalled;
    lastLr = newLastLr;
  }

  /**
   * A per-group option as one double per group, PyTorch's {@code _format_param}: a Number for every group,
   * or a List with one Number per group.
   *
   * @throws IllegalArgumentException {@code "name must have the same length as optimizer.param_groups. name
   *     has n values, param_groups has m."}, or for a value that is not a number
   */
  protected static List<Double> formatParam(String name, Optimizer optimizer, Object param) {
    int groups = optimizer.paramGroups().size();
    List<Double> values = new ArrayList<>();
    if (param instanceof List<?> list) {
      if (list.size() != groups) {
        throw new IllegalArgumentException(name + " must have the same length as optimizer.param_groups. " + name
            + " has " + list.size() + " values, param_groups has " + groups + ".");
      }
      for (Object v : list) {
        values.add(number(name, v));
      }
    } else {
      double v = number(name, Objects.requireNonNull(param, name));
      for (int i = 0; i < groups; i++) {
        values.add(v);
      }
    }
    return Collections.unmodifiableList(values);
  }

  private static double number(String name, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(name + " must be a float or a list of floats (Numbers), got "
        + (v == null ? "None" : v.getClass().getSimpleName() + " " + v));
  }

  /** Each value times {@code factor}. */
  static List<Double> scaled(List<Double> lrs, double factor) {
    List<Double> out = new ArrayList<>(lrs.size());
    for (double lr : lrs) {
      out.add(lr * factor);
    }
    return out;
  }
}
