package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.optim.Optimizer;

/**
 * Decays each group's learning rate by γ at each milestone epoch, PyTorch's {@code MultiStepLR}.
 *
 * <pre>
 * chainable:    lr_t = lr_{t−1} · γ^c   if t is a milestone given c times,   else lr_{t−1}
 * closed form:  lr_t = base_lr · γ^(number of milestones ≤ t)            ({@link Schedules#multiStep})
 * </pre>
 *
 * <p>Options: {@code milestones} (ints, required), {@code gamma} (default 0.1), {@code last_epoch} (default
 * −1). The milestones are kept as a multiset (Python's {@code Counter}): a repeated milestone decays by γ once
 * per repetition, and their order does not matter (PyTorch 2.13 does not check it).
 *
 * <pre>{@code
 * new MultiStepLR(opt, List.of(6, 11), 0.1);   // lr 0.1 for epochs 0–5, 0.01 for 6–10, 0.001 from 11
 * }</pre>
 *
 * <p>State dict: {@code milestones} (a map from milestone to count, in order of first appearance),
 * {@code gamma}, then the base keys.
 */
public class MultiStepLR extends LRScheduler {
  private Map<Integer, Integer> milestones;
  private double gamma;

  /** Decays by 0.1 at each milestone. */
  public MultiStepLR(Optimizer optimizer, Iterable<Integer> milestones) {
    this(optimizer, milestones, 0.1);
  }

  /** Decays by {@code gamma} at each milestone. */
  public MultiStepLR(Optimizer optimizer, Iterable<Integer> milestones, double gamma) {
    this(optimizer, milestones, gamma, -1);
  }

  /** Decays by {@code gamma} at each milestone, resuming after {@code lastEpoch} (−1 to start). */
  public MultiStepLR(Optimizer optimizer, Iterable<Integer> milestones, double gamma, int lastEpoch) {
    super(optimizer, lastEpoch);
    this.milestones = counter(milestones);
    this.gamma = gamma;
    initialStep();
  }

  private static Map<Integer, Integer> counter(Iterable<Integer> milestones) {
    Map<Integer, Integer> counts = new LinkedHashMap<>();
    for (Integer m : Objects.requireNonNull(milestones, "milestones")) {
      counts.merge(Objects.requireNonNull(m, "milestone"), 1, Integer::sum);
    }
    return Collections.unmodifiableMap(counts);
  }

  /** The milestones with how many times each was given, in order of first appearance. */
  public Map<Integer, Integer> milestones() {
    return milestones;
  }

  @Override
  protected List<Double> getLr() {
    List<Double> lrs = new ArrayList<>();
    for (double lr : currentLrs()) {
      lrs.add(ChainableSchedules.multiStep(lr, lastEpoch, milestones, gamma));
    }
    return lrs;
  }

  @Override
  protected List<Double> getClosedFormLr() {
    List<Integer> elements = new ArrayList<>();
    for (Map.Entry<Integer, Integer> e : milestones.entrySet()) {
      elements.addAll(Collections.nCopies(e.getValue(), e.getKey()));
    }
    List<Double> lrs = new ArrayList<>();
    for (double base : baseLrs) {
      lrs.add(Schedules.multiStep(lastEpoch, elements, base, gamma));
    }
    return lrs;
  }

  /** {@code milestones}, {@code gamma}, then the base keys. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("milestones", new LinkedHashMap<>(milestones));
    sd.put("gamma", gamma);
    sd.putAll(super.stateDict());
    return sd;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    Map<Integer, Integer> newMilestones = milestones;
    if (stateDict.containsKey("milestones")) {
      Object v = stateDict.get("milestones");
      if (!(v instanceof Map<?, ?> m)) {
        throw StateValues.wrong("milestones", "a dict from milestone to count", v);
      }
      Map<Integer, Integer> counts = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object key = e.getKey() instanceof String s ? parseKey(s, v) : e.getKey();
        counts.put(StateValues.toInt("milestones", key), StateValues.toInt("milestones", e.getValue()));
      }
      newMilestones = Collections.unmodifiableMap(counts);
    }
    double newGamma = StateValues.doubleValue(stateDict, "gamma", gamma);
    super.loadStateDict(stateDict);
    milestones = newMilestones;
    gamma = newGamma;
  }

  /** A milestone key written as a string (JSON object keys are strings). */
  private static Integer parseKey(String s, Object whole) {
    try {
      return Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      throw StateValues.wrong("milestones", "a dict from milestone to count", whole);
    }
  }
}
