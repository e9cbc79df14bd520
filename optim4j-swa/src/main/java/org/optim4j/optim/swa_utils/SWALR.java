package org.optim4j.optim.swa_utils;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.lr_scheduler.LRScheduler;

/**
 * Anneals each group's learning rate to a fixed SWA value over {@code anneal_epochs} epochs, then keeps it
 * there, PyTorch's {@code torch.optim.swa_utils.SWALR}; meant for Stochastic Weight Averaging with
 * {@link AveragedModel}.
 *
 * <pre>
 * step    = _step_count − 1                      (1 at the first step() after construction)
 *           if anneal_epochs = 0: step ← max(1, step)
 * t(s)    = clamp(s / max(1, anneal_epochs), 0, 1)
 * α(t)    = (1 − cos(π t)) / 2    ("cos")      or      t    ("linear")
 * α′      = α(t(step − 1)),   α = α(t(step))
 * lr′     = swa_lr                                 if α′ = 1
 *           (lr − α′ · swa_lr) / (1 − α′)          otherwise     (the lr before the last annealing step)
 * lr      ← swa_lr · α + lr′ · (1 − α)
 * </pre>
 *
 * <p>Each group's {@code swa_lr} is written into the group (key {@code "swa_lr"}) and read from there at every
 * step. The schedule counts its own steps ({@code _step_count}), not {@code last_epoch}, and starts from
 * whatever lr the group has when SWALR first steps: another scheduler can run first and hand over, as in
 * PyTorch's example:
 *
 * <pre>{@code
 * LRScheduler scheduler = new MultiplicativeLR(optimizer, epoch -> 0.9);
 * SWALR swaScheduler = new SWALR(optimizer, 0.05, 20, "linear");
 * for (int epoch = 0; epoch < 300; epoch++) {
 *   train(...);                                  // optimizer.step() per batch
 *   if (epoch > 160) swaScheduler.step(); else scheduler.step();
 * }
 * }</pre>
 *
 * <p>With {@code anneal_epochs = 0} the lr jumps to {@code swa_lr} already at construction.
 *
 * <p>Options: {@code swa_lr} (required: one value for every group, or a list of one per group),
 * {@code anneal_epochs} (int ≥ 0, default 10), {@code anneal_strategy} ({@code "cos"} or {@code "linear"},
 * default {@code "cos"}), {@code last_epoch} (default −1).
 *
 * <p>State dict: {@code _anneal_strategy}, {@code anneal_epochs}, then the base keys ({@code swa_lr} lives in
 * the optimizer's groups). Loading a state dict sets the annealing function from {@code _anneal_strategy}
 * (any value but {@code "cos"} anneals linearly, as in PyTorch).
 *
 * <p>Paper: Izmailov et al., "Averaging Weights Leads to Wider Optima and Better Generalization", UAI 2018.
 *
 * <p>Differences from PyTorch: the arguments are checked before anything is written, so a failed construction
 * leaves no {@code swa_lr} in the groups (PyTorch writes it before checking {@code anneal_strategy} and
 * {@code anneal_epochs}); {@code swa_lr} values are Numbers (PyTorch also accepts tensors).
 */
public class SWALR extends LRScheduler {
  private static final int DEFAULT_ANNEAL_EPOCHS = 10;
  private static final String DEFAULT_ANNEAL_STRATEGY = "cos";

  private String annealStrategy;
  private int annealEpochs;

  /** Anneals every group to {@code swaLr} along a cosine over 10 epochs. */
  public SWALR(Optimizer optimizer, double swaLr) {
    this(optimizer, swaLr, DEFAULT_ANNEAL_EPOCHS, DEFAULT_ANNEAL_STRATEGY);
  }

  /**
   * Anneals every group to {@code swaLr}.
   *
   * @throws IllegalArgumentException PyTorch's {@code ValueError}s for the strategy and the epochs
   */
  public SWALR(Optimizer optimizer, double swaLr, int annealEpochs, String annealStrategy) {
    this(optimizer, swaLr, annealEpochs, annealStrategy, -1);
  }

  /**
   * Anneals every group to {@code swaLr}, resuming after {@code lastEpoch} (−1 to start).
   *
   * @param optimizer the optimizer whose groups are annealed
   * @param swaLr the learning rate every group is annealed to
   * @param annealEpochs the number of annealing epochs, ≥ 0
   * @param annealStrategy {@code "cos"} or {@code "linear"}
   * @param lastEpoch the index of the last epoch, −1 to start (otherwise the groups need {@code initial_lr})
   * @throws IllegalArgumentException {@code "anneal_strategy must be one of 'cos' or 'linear', instead got
   *     exp"}, then {@code "anneal_epochs must be equal or greater than 0, got -1"}
   * @throws IllegalStateException PyTorch's KeyError when resuming without {@code initial_lr}
   */
  public SWALR(Optimizer optimizer, double swaLr, int annealEpochs, String annealStrategy, int lastEpoch) {
    this(formatSwaLr(optimizer, swaLr), checkStrategy(annealStrategy), checkAnnealEpochs(annealEpochs), optimizer,
        lastEpoch);
  }

  /** Anneals each group to its own {@code swaLrs} entry along a cosine over 10 epochs. */
  public SWALR(Optimizer optimizer, List<? extends Number> swaLrs) {
    this(optimizer, swaLrs, DEFAULT_ANNEAL_EPOCHS, DEFAULT_ANNEAL_STRATEGY);
  }

  /**
   * Anneals each group to its own {@code swaLrs} entry.
   *
   * @throws IllegalArgumentException PyTorch's {@code ValueError}s (see the five-argument constructor)
   */
  public SWALR(Optimizer optimizer, List<? extends Number> swaLrs, int annealEpochs, String annealStrategy) {
    this(optimizer, swaLrs, annealEpochs, annealStrategy, -1);
  }

  /**
   * Anneals each group to its own {@code swaLrs} entry, resuming after {@code lastEpoch} (−1 to start).
   *
   * @param swaLrs one learning rate per group
   * @throws IllegalArgumentException {@code "swa_lr must have the same length as optimizer.param_groups. swa_lr
   *     has 3 values, param_groups has 2."}, then the errors of the strategy and the epochs
   * @throws IllegalStateException PyTorch's KeyError when resuming without {@code initial_lr}
   */
  public SWALR(Optimizer optimizer, List<? extends Number> swaLrs, int annealEpochs, String annealStrategy,
      int lastEpoch) {
    this(formatSwaLr(optimizer, swaLrs), checkStrategy(annealStrategy), checkAnnealEpochs(annealEpochs), optimizer,
        lastEpoch);
  }

  private SWALR(List<Number> swaLrs, String annealStrategy, int annealEpochs, Optimizer optimizer, int lastEpoch) {
    super(optimizer, lastEpoch);
    List<ParamGroup> groups = optimizer.paramGroups();
    for (int i = 0; i < groups.size(); i++) {
      groups.get(i).set("swa_lr", swaLrs.get(i));
    }
    this.annealStrategy = annealStrategy;
    this.annealEpochs = annealEpochs;
    initialStep();
  }

  /** PyTorch's {@code _format_param("swa_lr", optimizer, swa_lr)}: one Number per group. */
  private static List<Number> formatSwaLr(Optimizer optimizer, Object swaLr) {
    Objects.requireNonNull(optimizer, "optimizer must not be null: a scheduler needs an Optimizer");
    Objects.requireNonNull(swaLr, "swa_lr must not be null");
    int groups = optimizer.paramGroups().size();
    List<Number> values = new ArrayList<>(groups);
    if (swaLr instanceof List<?> list) {
      if (list.size() != groups) {
        throw new IllegalArgumentException("swa_lr must have the same length as optimizer.param_groups. swa_lr has "
            + list.size() + " values, param_groups has " + groups + ".");
      }
      for (Object v : list) {
        if (!(v instanceof Number n)) {
          throw new IllegalArgumentException("swa_lr must be a float or a list of floats (Numbers), got "
              + (v == null ? "None" : v.getClass().getSimpleName() + " " + v));
        }
        values.add(n);
      }
    } else {
      for (int i = 0; i < groups; i++) {
        values.add((Number) swaLr);
      }
    }
    return Collections.unmodifiableList(values);
  }

  private static String checkStrategy(String annealStrategy) {
    if (!"cos".equals(annealStrategy) && !"linear".equals(annealStrategy)) {
      throw new IllegalArgumentException("anneal_strategy must be one of 'cos' or 'linear', instead got "
          + (annealStrategy == null ? "None" : annealStrategy));
    }
    return annealStrategy;
  }

  private static int checkAnnealEpochs(int annealEpochs) {
    if (annealEpochs < 0) {
      throw new IllegalArgumentException("anneal_epochs must be equal or greater than 0, got " + annealEpochs);
    }
    return annealEpochs;
  }

  /** The annealing strategy, {@code "cos"} or {@code "linear"} (PyTorch's {@code _anneal_strategy}). */
  public String annealStrategy() {
    return annealStrategy;
  }

  /** The number of annealing epochs. */
  public int annealEpochs() {
    return annealEpochs;
  }

  /** The annealing function α(t) of the strategy: {@code (1 − cos(π t)) / 2} for "cos", t otherwise. */
  private double anneal(double t) {
    return "cos".equals(annealStrategy) ? (1 - Math.cos(Math.PI * t)) / 2 : t;
  }

  /** PyTorch's {@code max(0, min(1, t))}. */
  private static double clamp01(double t) {
    return Math.max(0.0, Math.min(1.0, t));
  }

  /** The formula of the class comment, for every group, from its current {@code lr} and {@code swa_lr}. */
  @Override
  protected List<Double> getLr() {
    int step = stepCount() - 1;
    if (annealEpochs == 0) {
      step = Math.max(1, step);
    }
    double epochs = Math.max(1, annealEpochs);
    double prevAlpha = anneal(clamp01((step - 1) / epochs));
    double alpha = anneal(clamp01(step / epochs));
    List<Double> lrs = new ArrayList<>();
    for (ParamGroup group : optimizer().paramGroups()) {
      double swaLr = group.getDouble("swa_lr");
      double lr = group.getDouble("lr");
      double prevLr = prevAlpha == 1 ? swaLr : (lr - prevAlpha * swaLr) / (1 - prevAlpha);
      lrs.add(swaLr * alpha + prevLr * (1 - alpha));
    }
    return lrs;
  }

  /** {@code _anneal_strategy}, {@code anneal_epochs}, then the base keys, as PyTorch. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("_anneal_strategy", annealStrategy);
    sd.put("anneal_epochs", annealEpochs);
    sd.putAll(super.stateDict());
    return sd;
  }

  /**
   * Loads a state dict made by {@link #stateDict()} (here or by PyTorch), then sets the annealing function
   * from {@code _anneal_strategy}; absent keys keep their values.
   *
   * @throws IllegalArgumentException for a value of the wrong type, before anything changes
   */
  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    Objects.requireNonNull(stateDict, "stateDict");
    String newStrategy = annealStrategy;
    if (stateDict.containsKey("_anneal_strategy")) {
      if (!(stateDict.get("_anneal_strategy") instanceof String s)) {
        throw new IllegalArgumentException("state_dict['_anneal_strategy'] must be a str, got "
            + stateDict.get("_anneal_strategy"));
      }
      newStrategy = s;
    }
    int newEpochs = annealEpochs;
    if (stateDict.containsKey("anneal_epochs")) {
      Object v = stateDict.get("anneal_epochs");
      if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
          || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("state_dict['anneal_epochs'] must be an int, got " + v);
      }
      newEpochs = n.intValue();
    }
    super.loadStateDict(stateDict);
    annealStrategy = newStrategy;
    annealEpochs = newEpochs;
  }
}
