package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;

/** What SequentialLR and ChainedScheduler share: PyTorch's checks, the undo of initial steps, state dicts. */
final class Composites {
  private Composites() {}

  /**
   * PyTorch's checks of the scheduler list, in its order; returns the optimizer (for ChainedScheduler, the
   * first scheduler's when {@code optimizer} is null).
   */
  static Optimizer check(String cls, Optimizer optimizer, List<? extends LRScheduler> schedulers,
      boolean optimizerOptional) {
    if (!optimizerOptional && optimizer == null) {
      throw new NullPointerException("optimizer must not be null: a scheduler needs an Optimizer");
    }
    if (schedulers == null || schedulers.isEmpty()) {
      throw new IllegalArgumentException(cls + " expects at least one scheduler"
          + (optimizerOptional ? " to be chained" : "") + ", but got no scheduler.");
    }
    for (int i = 0; i < schedulers.size(); i++) {
      if (schedulers.get(i) == null) {
        throw new IllegalArgumentException(cls + " at index " + i + " should have `optimizer` as its attribute.");
      }
    }
    Optimizer opt = optimizer != null ? optimizer : schedulers.get(0).optimizer();
    for (int i = 0; i < schedulers.size(); i++) {
      LRScheduler s = schedulers.get(i);
      if (s instanceof ReduceLROnPlateau) {
        throw new IllegalArgumentException(cls + " does not support `ReduceLROnPlateau` scheduler as it requires "
            + "additional kwargs to be specified when calling `step`, but got one at index " + i
            + " in the given schedulers sequence.");
      }
      if (opt != s.optimizer()) {
        throw new IllegalArgumentException(cls + " expects all schedulers to belong to the same optimizer, but got "
            + "scheduler " + s.getClass().getSimpleName() + " at index " + i + " has " + s.optimizer()
            + ", which is different from " + opt.getClass().getSimpleName() + ".");
      }
    }
    return opt;
  }

  /** PyTorch's {@code recursive_undo}: decrements every scheduler's last_epoch, recursing into composites. */
  static void undoInitialSteps(List<LRScheduler> schedulers) {
    for (LRScheduler s : schedulers) {
      if (s instanceof SequentialLR q) {
        undoInitialSteps(q.schedulers());
      } else if (s instanceof ChainedScheduler c) {
        undoInitialSteps(c.schedulers());
      } else {
        s.lastEpoch--;
      }
    }
  }

  /**
   * PyTorch's {@code _step_count} and {@code _is_initial}, which a composite has only when a SequentialLR
   * took its initial step (a composite nested in a SequentialLR).
   */
  static void putInitialStepKeys(LRScheduler composite, Map<String, Object> sd) {
    if (composite.initialStepTaken) {
      sd.put("_step_count", composite.stepCount);
      sd.put("_is_initial", composite.isInitial);
    }
  }

  /** Loads {@code _step_count} and {@code _is_initial} when present (checked first by the caller's reads). */
  static void loadInitialStepKeys(LRScheduler composite, Map<String, ?> sd, int stepCount, boolean isInitial) {
    if (sd.containsKey("_step_count") || sd.containsKey("_is_initial")) {
      composite.initialStepTaken = true;
    }
    composite.stepCount = stepCount;
    composite.isInitial = isInitial;
  }

  static List<Object> stateDicts(List<LRScheduler> schedulers) {
    List<Object> out = new ArrayList<>();
    for (LRScheduler s : schedulers) {
      out.add(s.stateDict());
    }
    return out;
  }

  /** The {@code _schedulers} entry of a state dict being loaded: one map per scheduler; null when absent. */
  @SuppressWarnings("unchecked") // each element is checked to be a Map; keys are the state dict's String keys
  static List<Map<String, ?>> checkStateDicts(Map<String, ?> sd, int count) {
    if (!sd.containsKey("_schedulers")) {
      return null;
    }
    Object v = sd.get("_schedulers");
    if (!(v instanceof List<?> list) || list.size() != count) {
      throw StateValues.wrong("_schedulers", "a list of " + count + " state dicts", v);
    }
    List<Map<String, ?>> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map)) {
        throw StateValues.wrong("_schedulers", "a list of " + count + " state dicts", v);
      }
      out.add((Map<String, ?>) o);
    }
    return out;
  }

  static void loadStateDicts(List<LRScheduler> schedulers, List<Map<String, ?>> states) {
    if (states == null) {
      return;
    }
    for (int i = 0; i < states.size(); i++) {
      schedulers.get(i).loadStateDict(states.get(i));
    }
  }
}
