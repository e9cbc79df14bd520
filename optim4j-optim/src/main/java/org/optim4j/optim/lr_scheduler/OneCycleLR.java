package org.optim4j.optim.lr_scheduler;

import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.BOOL;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.FLOAT;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.INT;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.OPTIONAL_INT;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.PER_GROUP;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.STRING;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.internal.PyFormat;

/**
 * The 1cycle policy, PyTorch's {@code OneCycleLR}: each group's learning rate rises from
 * {@code max_lr / div_factor} to {@code max_lr}, then falls to {@code initial_lr / final_div_factor}, while the
 * momentum (or Adam's β₁) moves inversely. Step it after every batch, {@code total_steps} times.
 *
 * <pre>
 * initial_lr = max_lr / div_factor,   min_lr = initial_lr / final_div_factor,   T = total_steps
 * two phases (default):  steps 0 … pct·T − 1:  initial_lr → max_lr,    momentum max_m → base_m
 *                        … T − 1:              max_lr → min_lr,         momentum base_m → max_m
 * three phases:          0 … pct·T − 1: initial_lr → max_lr;  … 2·pct·T − 2: max_lr → initial_lr;
 *                        … T − 1: initial_lr → min_lr   (momentum max → base → max → max)
 * within a phase from step s to e:  pct = (t − s) / (e − s),  value = anneal(start, end, pct)
 * cos:     end + (start − end) / 2 · (cos(π · pct) + 1)        linear:  (end − start) · pct + start
 * </pre>
 *
 * <p>The values are read from the groups' {@code initial_lr}, {@code max_lr}, {@code min_lr},
 * {@code max_momentum} and {@code base_momentum} at every step ({@link Schedules#phases}); the construction
 * writes them. As in PyTorch, step {@code total_steps} is still accepted and extrapolates the last phase
 * (pct &gt; 1: the cosine climbs back, linear goes below {@code min_lr}); the step after it throws
 * {@link IllegalArgumentException} {@code "Tried to step total_steps + 1 times. The specified number of total
 * steps is total_steps"} (having counted the step, as PyTorch does).
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link LRSchedulers#create} keys)</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>max_lr</td><td>required</td><td>peak learning rate, a float or one per group</td></tr>
 * <tr><td>total_steps</td><td>null</td><td>steps in the cycle; else epochs × steps_per_epoch</td></tr>
 * <tr><td>epochs</td><td>null</td><td>epochs (with steps_per_epoch)</td></tr>
 * <tr><td>steps_per_epoch</td><td>null</td><td>steps per epoch (with epochs)</td></tr>
 * <tr><td>pct_start</td><td>0.3</td><td>fraction of the cycle spent rising (a float in [0, 1])</td></tr>
 * <tr><td>anneal_strategy</td><td>"cos"</td><td>"cos" or "linear"</td></tr>
 * <tr><td>cycle_momentum</td><td>true</td><td>cycle the momentum, or β₁ when the optimizer has betas</td></tr>
 * <tr><td>base_momentum</td><td>0.85</td><td>momentum at the peak lr, a float or one per group</td></tr>
 * <tr><td>max_momentum</td><td>0.95</td><td>momentum at the ends, a float or one per group</td></tr>
 * <tr><td>div_factor</td><td>25.0</td><td>initial_lr = max_lr / div_factor</td></tr>
 * <tr><td>final_div_factor</td><td>1e4</td><td>min_lr = initial_lr / final_div_factor</td></tr>
 * <tr><td>three_phase</td><td>false</td><td>the paper's three phases instead of fastai's two</td></tr>
 * <tr><td>last_epoch</td><td>−1</td><td>the index of the last batch when resuming</td></tr>
 * </table>
 *
 * <p>State dict: {@code total_steps}, {@code _schedule_phases} (one map per phase: {@code end_step} and the
 * group keys it anneals between), {@code _anneal_func_type}, {@code cycle_momentum} ({@code use_beta1} when
 * on), then the base keys.
 *
 * <p>Paper: Smith, Topin, "Super-Convergence: Very Fast Training of Neural Networks Using Large Learning
 * Rates", 2017.
 *
 * <p>Differences from PyTorch: every check runs before anything is written into the groups; a loaded
 * {@code _anneal_func_type} is checked when loading rather than at the next step.
 */
public class OneCycleLR extends LRScheduler {
  static final KwargSpec SPEC = new KwargSpec("OneCycleLR")
      .required("max_lr", PER_GROUP)
      .add("total_steps", OPTIONAL_INT, null)
      .add("epochs", OPTIONAL_INT, null)
      .add("steps_per_epoch", OPTIONAL_INT, null)
      .add("pct_start", FLOAT, 0.3)
      .add("anneal_strategy", STRING, "cos")
      .add("cycle_momentum", BOOL, true)
      .add("base_momentum", PER_GROUP, 0.85)
      .add("max_momentum", PER_GROUP, 0.95)
      .add("div_factor", FLOAT, 25.0)
      .add("final_div_factor", FLOAT, 1e4)
      .add("three_phase", BOOL, false)
      .add("last_epoch", INT, -1)
      .typeMessage("total_steps", v -> "Expected positive integer total_steps, but got " + PyFormat.str(v))
      .typeMessage("epochs", v -> "Expected positive integer epochs, but got " + PyFormat.str(v))
      .typeMessage("steps_per_epoch", v -> "Expected positive integer steps_per_epoch, but got " + PyFormat.str(v));

  /** One phase: its last step (a Python float, or an int for the last phase) and the group keys it anneals between. */
  private record Phase(Number endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("end_step", endStep);
      m.put("start_lr", startLr);
      m.put("end_lr", endLr);
      m.put("start_momentum", startMomentum);
      m.put("end_momentum", endMomentum);
      return m;
    }
  }

  private int totalSteps;
  private List<Phase> schedulePhases;
  private String annealFuncType;
  private boolean cycleMomentum;
  private boolean useBeta1;

  /** A two-phase cosine cycle peaking at {@code maxLr}, over {@code totalSteps} steps. */
  public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
    this(optimizer, options().maxLr(maxLr).totalSteps(totalSteps));
  }

  /**
   * A 1cycle schedule with these options.
   *
   * @throws NullPointerException without {@code max_lr}
   * @throws IllegalArgumentException with PyTorch's messages: {@code "Expected positive integer total_steps,
   *     but got …"} (likewise epochs, steps_per_epoch), {@code "You must define either total_steps OR (epochs
   *     AND steps_per_epoch)"}, {@code "Expected float between 0 and 1 pct_start, but got …"},
   *     {@code "anneal_strategy must be one of 'cos' or 'linear', instead got …"}, a per-group list of the
   *     wrong length, {@code "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"}
   * @throws ArithmeticException {@code "float division by zero"} when a phase is empty (too few steps for
   *     pct_start)
   */
  public OneCycleLR(Optimizer optimizer, Options options) {
    this(Plan.of(optimizer, options), optimizer);
  }

  private OneCycleLR(Plan plan, Optimizer optimizer) {
    super(plan.apply(optimizer), plan.lastEpoch);
    this.totalSteps = plan.totalSteps;
    this.schedulePhases = plan.phases;
    this.annealFuncType = plan.annealStrategy;
    this.cycleMomentum = plan.cycleMomentum;
    this.useBeta1 = plan.useBeta1;
    initialStep();
  }

  /** Everything PyTorch computes and checks before {@code LRScheduler.__init__}, checked before any write. */
  private static final class Plan {
    int totalSteps;
    List<Phase> phases;
    String annealStrategy;
    List<Double> maxLrs;
    double divFactor;
    double finalDivFactor;
    boolean cycleMomentum;
    boolean useBeta1;
    List<Double> maxMomentums;
    List<Double> baseMomentums;
    int lastEpoch;

    static Plan of(Optimizer optimizer, Options options) {
      Objects.requireNonNull(optimizer, "optimizer must not be null: a scheduler needs an Optimizer");
      Map<String, Object> v = options.values;
      SPEC.checkRequired(v);
      Plan p = new Plan();
      p.lastEpoch = (Integer) v.get("last_epoch");
      Integer total = (Integer) v.get("total_steps");
      Integer epochs = (Integer) v.get("epochs");
      Integer stepsPerEpoch = (Integer) v.get("steps_per_epoch");
      if (total != null) {
        if (total <= 0) {
          throw new IllegalArgumentException("Expected positive integer total_steps, but got " + total);
        }
        p.totalSteps = total;
      } else if (epochs != null && stepsPerEpoch != null) {
        if (epochs <= 0) {
          throw new IllegalArgumentException("Expected positive integer epochs, but got " + epochs);
        }
        if (stepsPerEpoch <= 0) {
          throw new IllegalArgumentException("Expected positive integer steps_per_epoch, but got " + stepsPerEpoch);
        }
        p.totalSteps = Math.multiplyExact(epochs, stepsPerEpoch);
      } else {
        throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
      }
      Number pctStart = (Number) v.get("pct_start");
      double pct = pctStart.doubleValue();
      boolean threePhase = (Boolean) v.get("three_phase");
      double[] ends = Schedules.oneCyclePhaseEnds(p.totalSteps, pct, threePhase);
      p.phases = threePhase
          ? List.of(new Phase(ends[0], "initial_lr", "max_lr", "max_momentum", "base_momentum"),
              new Phase(ends[1], "max_lr", "initial_lr", "base_momentum", "max_momentum"),
              new Phase(p.totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"))
          : List.of(new Phase(ends[0], "initial_lr", "max_lr", "max_momentum", "base_momentum"),
              new Phase(p.totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
      if (pct < 0 || pct > 1 || !(pctStart instanceof Double || pctStart instanceof Float)) {
        throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + PyFormat.str(pctStart));
      }
      p.annealStrategy = (String) v.get("anneal_strategy");
      if (!"cos".equals(p.annealStrategy) && !"linear".equals(p.annealStrategy)) {
        throw new IllegalArgumentException("anneal_strategy must be one of 'cos' or 'linear', instead got "
            + p.annealStrategy);
      }
      p.maxLrs = formatParam("max_lr", optimizer, v.get("max_lr"));
      p.divFactor = ((Number) v.get("div_factor")).doubleValue();
      p.finalDivFactor = ((Number) v.get("final_div_factor")).doubleValue();
      p.cycleMomentum = (Boolean) v.get("cycle_momentum");
      if (p.cycleMomentum) {
        Map<String, Object> defaults = optimizer.defaults();
        if (!defaults.containsKey("momentum") && !defaults.containsKey("betas")) {
          throw new IllegalArgumentException(
              "optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
        }
        p.useBeta1 = defaults.containsKey("betas");
        p.maxMomentums = formatParam("max_momentum", optimizer, v.get("max_momentum"));
        p.baseMomentums = formatParam("base_momentum", optimizer, v.get("base_momentum"));
      }
      return p;
    }

    /** The writes PyTorch makes before {@code LRScheduler.__init__} (only when starting). */
    Optimizer apply(Optimizer optimizer) {
      if (lastEpoch == -1) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
          ParamGroup group = groups.get(i);
          double initialLr = maxLrs.get(i) / divFactor;
          group.set("initial_lr", initialLr);
          group.set("max_lr", maxLrs.get(i));
          group.set("min_lr", initialLr / finalDivFactor);
        }
        if (cycleMomentum) {
          for (int i = 0; i < groups.size(); i++) {
            ParamGroup group = groups.get(i);
            CyclicLR.setMomentum(group, useBeta1, maxMomentums.get(i));
            group.set("max_momentum", maxMomentums.get(i));
            group.set("base_momentum", baseMomentums.get(i));
          }
        }
      }
      return optimizer;
    }
  }

  private Schedules.Anneal anneal() {
    return "cos".equals(annealFuncType) ? Schedules::annealCos : Schedules::annealLinear;
  }

  /**
   * The learning rates of the step, from the groups' values; with {@code cycle_momentum}, also writes the
   * groups' momentum.
   *
   * @throws IllegalArgumentException {@code "Tried to step … times. The specified number of total steps is …"}
   *     past {@code total_steps}
   */
  @Override
  protected List<Double> getLr() {
    Schedules.checkOneCycleStep(lastEpoch, totalSteps);
    double[] ends = new double[schedulePhases.size()];
    for (int i = 0; i < ends.length; i++) {
      ends[i] = schedulePhases.get(i).endStep().doubleValue();
    }
    Schedules.Anneal anneal = anneal();
    List<Double> lrs = new ArrayList<>();
    for (ParamGroup group : optimizer.paramGroups()) {
      lrs.add(Schedules.phases(lastEpoch, ends, values(group, true), anneal));
      if (cycleMomentum) {
        CyclicLR.setMomentum(group, useBeta1, Schedules.phases(lastEpoch, ends, values(group, false), anneal));
      }
    }
    return lrs;
  }

  /** The group's value at the start of each phase, then at the end of the last. */
  private double[] values(ParamGroup group, boolean lr) {
    double[] values = new double[schedulePhases.size() + 1];
    for (int i = 0; i < schedulePhases.size(); i++) {
      Phase p = schedulePhases.get(i);
      values[i] = group.getDouble(lr ? p.startLr() : p.startMomentum());
    }
    Phase last = schedulePhases.get(schedulePhases.size() - 1);
    values[values.length - 1] = group.getDouble(lr ? last.endLr() : last.endMomentum());
    return values;
  }

  /** The state dict (see the class comment for its keys). */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("total_steps", totalSteps);
    List<Object> phases = new ArrayList<>();
    for (Phase p : schedulePhases) {
      phases.add(p.toMap());
    }
    sd.put("_schedule_phases", phases);
    sd.put("_anneal_func_type", annealFuncType);
    sd.put("cycle_momentum", cycleMomentum);
    if (cycleMomentum) {
      sd.put("use_beta1", useBeta1);
    }
    sd.putAll(super.stateDict());
    return sd;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    int newTotalSteps = StateValues.intValue(stateDict, "total_steps", totalSteps);
    List<Phase> newPhases = schedulePhases;
    if (stateDict.containsKey("_schedule_phases")) {
      newPhases = parsePhases(stateDict.get("_schedule_phases"));
    }
    String newAnneal = StateValues.stringValue(stateDict, "_anneal_func_type", annealFuncType);
    if (!"cos".equals(newAnneal) && !"linear".equals(newAnneal)) {
      throw new IllegalArgumentException("Unknown _anneal_func_type: " + newAnneal);
    }
    boolean newCycleMomentum = StateValues.boolValue(stateDict, "cycle_momentum", cycleMomentum);
    boolean newUseBeta1 = StateValues.boolValue(stateDict, "use_beta1", useBeta1);
    super.loadStateDict(stateDict);
    totalSteps = newTotalSteps;
    schedulePhases = newPhases;
    annealFuncType = newAnneal;
    cycleMomentum = newCycleMomentum;
    useBeta1 = newUseBeta1;
  }

  private static List<Phase> parsePhases(Object v) {
    String expected = "a non-empty list of phases (maps with end_step, start_lr, end_lr, start_momentum, end_momentum)";
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw StateValues.wrong("_schedule_phases", expected, v);
    }
    List<Phase> phases = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m) || !(m.get("end_step") instanceof Number end)
          || !(m.get("start_lr") instanceof String a) || !(m.get("end_lr") instanceof String b)
          || !(m.get("start_momentum") instanceof String c) || !(m.get("end_momentum") instanceof String d)) {
        throw StateValues.wrong("_schedule_phases", expected, v);
      }
      phases.add(new Phase(end, a, b, c, d));
    }
    return List.copyOf(phases);
  }

  /** A fresh set of options with PyTorch's defaults ({@code max_lr} must be set). */
  public static Options options() {
    return new Options();
  }

  /** OneCycleLR's options, PyTorch's keyword arguments. */
  public static final class Options {
    final LinkedHashMap<String, Object> values = SPEC.defaults();

    Options() {}

    static Options fromMap(Map<String, ?> kwargs) {
      Options o = new Options();
      o.values.putAll(SPEC.parse(kwargs));
      return o;
    }

    private Options put(String key, Object value) {
      values.put(key, SPEC.check(key, value));
      return this;
    }

    /** The peak learning rate of every group (required). */
    public Options maxLr(double maxLr) {
      return put("max_lr", maxLr);
    }

    /** The peak learning rate of each group (required). */
    public Options maxLr(List<? extends Number> maxLr) {
      return put("max_lr", maxLr);
    }

    /** The number of steps in the cycle (default null: epochs × steps_per_epoch). */
    public Options totalSteps(Integer totalSteps) {
      return put("total_steps", totalSteps);
    }

    /** The number of epochs, with {@link #stepsPerEpoch} (default null). */
    public Options epochs(Integer epochs) {
      return put("epochs", epochs);
    }

    /** The number of steps per epoch, with {@link #epochs} (default null). */
    public Options stepsPerEpoch(Integer stepsPerEpoch) {
      return put("steps_per_epoch", stepsPerEpoch);
    }

    /** The fraction of the cycle spent raising the learning rate (default 0.3). */
    public Options pctStart(double pctStart) {
      return put("pct_start", pctStart);
    }

    /** "cos" (default) or "linear". */
    public Options annealStrategy(String annealStrategy) {
      return put("anneal_strategy", annealStrategy);
    }

    /** Cycle the momentum (or β₁) inversely to the learning rate (default true). */
    public Options cycleMomentum(boolean cycleMomentum) {
      return put("cycle_momentum", cycleMomentum);
    }

    /** The momentum at the peak learning rate, for every group (default 0.85). */
    public Options baseMomentum(double baseMomentum) {
      return put("base_momentum", baseMomentum);
    }

    /** The momentum at the peak learning rate, for each group. */
    public Options baseMomentum(List<? extends Number> baseMomentum) {
      return put("base_momentum", baseMomentum);
    }

    /** The momentum at the ends of the cycle, for every group (default 0.95). */
    public Options maxMomentum(double maxMomentum) {
      return put("max_momentum", maxMomentum);
    }

    /** The momentum at the ends of the cycle, for each group. */
    public Options maxMomentum(List<? extends Number> maxMomentum) {
      return put("max_momentum", maxMomentum);
    }

    /** initial_lr = max_lr / div_factor (default 25.0). */
    public Options divFactor(double divFactor) {
      return put("div_factor", divFactor);
    }

    /** min_lr = initial_lr / final_div_factor (default 1e4). */
    public Options finalDivFactor(double finalDivFactor) {
      return put("final_div_factor", finalDivFactor);
    }

    /** Three phases, as in the paper (default false). */
    public Options threePhase(boolean threePhase) {
      return put("three_phase", threePhase);
    }

    /** The index of the last batch when resuming (default −1). */
    public Options lastEpoch(int lastEpoch) {
      return put("last_epoch", lastEpoch);
    }
  }
}
