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

/**
 * The cyclical learning-rate policy, PyTorch's {@code CyclicLR}: each group's learning rate cycles between
 * {@code base_lr} and {@code max_lr}, rising for {@code step_size_up} steps and falling for
 * {@code step_size_down}; the momentum (or Adam's β₁) cycles inversely. Step it after every batch.
 *
 * <pre>
 * total = step_size_up + step_size_down,   ratio = step_size_up / total
 * cycle = ⌊1 + t / total⌋,   x = 1 + t / total − cycle
 * h = x / ratio  if x ≤ ratio,  else (x − 1) / (ratio − 1)                       ({@link Schedules#cyclicHeight})
 * lr_t = base_lr + (max_lr − base_lr) · h · scale(cycle or t)                       ({@link Schedules#cyclicLr})
 * m_t  = max_m − (max_m − base_m) · h · scale(cycle or t)                             ({@link Schedules#cyclicMomentum})
 * scale: triangular 1 (of the cycle);  triangular2 1 / 2^(cycle − 1) (of the cycle);  exp_range γ^t (of t);
 *        or a custom scale_fn of the cycle or of t (scale_mode)
 * </pre>
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link LRSchedulers#create} keys)</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>base_lr</td><td>required</td><td>lower bound, a float or one per group; written into the groups' lr at construction</td></tr>
 * <tr><td>max_lr</td><td>required</td><td>upper bound, a float or one per group</td></tr>
 * <tr><td>step_size_up</td><td>2000</td><td>steps of the rising half</td></tr>
 * <tr><td>step_size_down</td><td>null</td><td>steps of the falling half (null: step_size_up)</td></tr>
 * <tr><td>mode</td><td>"triangular"</td><td>"triangular", "triangular2" or "exp_range" (ignored with a scale_fn)</td></tr>
 * <tr><td>gamma</td><td>1.0</td><td>exp_range's base</td></tr>
 * <tr><td>scale_fn</td><td>null</td><td>a custom {@link LrLambda} (not available through the factory)</td></tr>
 * <tr><td>scale_mode</td><td>"cycle"</td><td>what a custom scale_fn takes: "cycle" or (anything else) the step</td></tr>
 * <tr><td>cycle_momentum</td><td>true</td><td>cycle the momentum, or β₁ when the optimizer has betas</td></tr>
 * <tr><td>base_momentum</td><td>0.8</td><td>lower momentum bound, a float or one per group</td></tr>
 * <tr><td>max_momentum</td><td>0.9</td><td>upper momentum bound, a float or one per group; set at construction</td></tr>
 * <tr><td>last_epoch</td><td>−1</td><td>the index of the last batch when resuming</td></tr>
 * </table>
 *
 * <p>With {@code cycle_momentum}, the optimizer's defaults must have {@code momentum} or {@code betas}; the
 * groups get {@code max_momentum} and {@code base_momentum} keys, and an SGD with momentum 0 gets its
 * momentum switched on, as in PyTorch. No closed form: {@code step(epoch)} evaluates the cycle at that step.
 *
 * <p>State dict: {@code max_lrs}, {@code total_size}, {@code step_ratio}, {@code mode}, {@code gamma},
 * {@code scale_mode}, {@code cycle_momentum} (then {@code use_beta1}, {@code base_momentums},
 * {@code max_momentums} when it is on), the base keys, and {@code _scale_fn_custom}: the custom function's
 * {@link LrLambda#stateDict()}, or null.
 *
 * <p>Paper: Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017.
 *
 * <p>Differences from PyTorch: every check runs before anything is written into the groups (PyTorch writes
 * the lrs before checking {@code max_lr} and the momentum options).
 */
public class CyclicLR extends LRScheduler {
  static final KwargSpec SPEC = new KwargSpec("CyclicLR")
      .required("base_lr", PER_GROUP)
      .required("max_lr", PER_GROUP)
      .add("step_size_up", INT, 2000)
      .add("step_size_down", OPTIONAL_INT, null)
      .add("mode", STRING, "triangular")
      .add("gamma", FLOAT, 1.0)
      .add("scale_mode", STRING, "cycle")
      .add("cycle_momentum", BOOL, true)
      .add("base_momentum", PER_GROUP, 0.8)
      .add("max_momentum", PER_GROUP, 0.9)
      .add("last_epoch", INT, -1);

  private List<Double> maxLrs;
  private double totalSize;
  private double stepRatio;
  private String mode;
  private double gamma;
  private String scaleMode;
  private boolean cycleMomentum;
  private boolean useBeta1;
  private List<Double> baseMomentums;
  private List<Double> maxMomentums;
  private final LrLambda scaleFnCustom;

  /** Cycles between {@code baseLr} and {@code maxLr} with PyTorch's defaults (triangular, 2000 steps up). */
  public CyclicLR(Optimizer optimizer, double baseLr, double maxLr) {
    this(optimizer, options().baseLr(baseLr).maxLr(maxLr));
  }

  /**
   * A cyclic schedule with these options.
   *
   * @throws NullPointerException without {@code base_lr} or {@code max_lr}
   * @throws IllegalArgumentException with PyTorch's message: a per-group list of the wrong length, {@code "mode
   *     is invalid and scale_fn is None"}, {@code "optimizer must support momentum or beta1 with
   *     `cycle_momentum` option enabled"}
   * @throws ArithmeticException {@code "float division by zero"} when both step sizes are 0
   */
  public CyclicLR(Optimizer optimizer, Options options) {
    this(Plan.of(optimizer, options), optimizer);
  }

  private CyclicLR(Plan plan, Optimizer optimizer) {
    super(plan.apply(optimizer), plan.lastEpoch);
    this.maxLrs = plan.maxLrs;
    this.totalSize = plan.totalSize;
    this.stepRatio = plan.stepRatio;
    this.mode = plan.mode;
    this.gamma = plan.gamma;
    this.scaleFnCustom = plan.scaleFn;
    this.scaleMode = plan.scaleMode;
    initScaleFn();
    this.cycleMomentum = plan.cycleMomentum;
    this.useBeta1 = plan.useBeta1;
    this.baseMomentums = plan.baseMomentums;
    this.maxMomentums = plan.maxMomentums;
    initialStep();
    this.baseLrs = plan.baseLrs;
  }

  /** Everything PyTorch computes and checks before {@code LRScheduler.__init__}, checked before any write. */
  private static final class Plan {
    List<Double> baseLrs;
    List<Double> maxLrs;
    double totalSize;
    double stepRatio;
    String mode;
    double gamma;
    LrLambda scaleFn;
    String scaleMode;
    boolean cycleMomentum;
    boolean useBeta1;
    List<Double> baseMomentums;
    List<Double> maxMomentums;
    int lastEpoch;

    static Plan of(Optimizer optimizer, Options options) {
      Objects.requireNonNull(optimizer, "optimizer must not be null: a scheduler needs an Optimizer");
      Map<String, Object> v = options.values;
      SPEC.checkRequired(v);
      Plan p = new Plan();
      p.lastEpoch = (Integer) v.get("last_epoch");
      p.baseLrs = formatParam("base_lr", optimizer, v.get("base_lr"));
      p.maxLrs = formatParam("max_lr", optimizer, v.get("max_lr"));
      double up = (Integer) v.get("step_size_up");
      Integer downGiven = (Integer) v.get("step_size_down");
      double down = downGiven != null ? (double) downGiven : up;
      p.totalSize = up + down;
      p.stepRatio = PyMath.div(up, p.totalSize);
      p.mode = (String) v.get("mode");
      p.scaleFn = options.scaleFn;
      if (!isBuiltInMode(p.mode) && p.scaleFn == null) {
        throw new IllegalArgumentException("mode is invalid and scale_fn is None");
      }
      p.gamma = ((Number) v.get("gamma")).doubleValue();
      p.scaleMode = (String) v.get("scale_mode");
      p.cycleMomentum = (Boolean) v.get("cycle_momentum");
      if (p.cycleMomentum) {
        Map<String, Object> defaults = optimizer.defaults();
        if (!defaults.containsKey("momentum") && !defaults.containsKey("betas")) {
          throw new IllegalArgumentException(
              "optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
        }
        p.useBeta1 = defaults.containsKey("betas");
        p.baseMomentums = formatParam("base_momentum", optimizer, v.get("base_momentum"));
        p.maxMomentums = formatParam("max_momentum", optimizer, v.get("max_momentum"));
      }
      return p;
    }

    /** The writes PyTorch makes before {@code LRScheduler.__init__} (only when starting). */
    Optimizer apply(Optimizer optimizer) {
      if (lastEpoch == -1) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
          setGroupValue(groups.get(i), "lr", baseLrs.get(i));
        }
        if (cycleMomentum) {
          for (int i = 0; i < groups.size(); i++) {
            ParamGroup group = groups.get(i);
            setMomentum(group, useBeta1, maxMomentums.get(i));
            group.set("max_momentum", maxMomentums.get(i));
            group.set("base_momentum", baseMomentums.get(i));
          }
        }
      }
      return optimizer;
    }
  }

  private static boolean isBuiltInMode(String mode) {
    return "triangular".equals(mode) || "triangular2".equals(mode) || "exp_range".equals(mode);
  }

  /** Sets a group's momentum, or the first of its betas, as PyTorch does (a new tuple). */
  static void setMomentum(ParamGroup group, boolean useBeta1, double momentum) {
    if (useBeta1) {
      List<Object> betas = new ArrayList<>((List<?>) group.get("betas"));
      betas.set(0, momentum);
      group.set("betas", List.copyOf(betas));
    } else {
      group.set("momentum", momentum);
    }
  }

  /** PyTorch's {@code _init_scale_fn}: a built-in mode fixes the scale mode. */
  private void initScaleFn() {
    if (scaleFnCustom != null) {
      return;
    }
    if ("triangular".equals(mode) || "triangular2".equals(mode)) {
      scaleMode = "cycle";
    } else if ("exp_range".equals(mode)) {
      scaleMode = "iterations";
    }
  }

  /** The scale function at {@code x} (the cycle or the step): the custom one, else the mode's. */
  private double scaleFn(int x) {
    if (scaleFnCustom != null) {
      return scaleFnCustom.applyAsDouble(x);
    }
    return switch (mode) {
      case "triangular" -> Schedules.triangularScale(x);
      case "triangular2" -> Schedules.triangular2Scale(x);
      default -> Schedules.expRangeScale(gamma, x);
    };
  }

  /** The learning rates of the step; with {@code cycle_momentum}, also writes the groups' momentum. */
  @Override
  protected List<Double> getLr() {
    int cycle = Schedules.cyclicCycle(lastEpoch, totalSize);
    double height = Schedules.cyclicHeight(lastEpoch, totalSize, stepRatio);
    int scaleArg = "cycle".equals(scaleMode) ? cycle : lastEpoch;
    if (baseLrs.size() != maxLrs.size()) {
      throw new IllegalArgumentException("zip() argument 2 is " + (maxLrs.size() < baseLrs.size() ? "shorter" : "longer")
          + " than argument 1");
    }
    List<Double> lrs = new ArrayList<>();
    for (int i = 0; i < baseLrs.size(); i++) {
      lrs.add(Schedules.cyclicLr(baseLrs.get(i), maxLrs.get(i), height, scaleFn(scaleArg)));
    }
    if (cycleMomentum) {
      List<Double> momentums = new ArrayList<>();
      for (int i = 0; i < baseMomentums.size(); i++) {
        momentums.add(Schedules.cyclicMomentum(baseMomentums.get(i), maxMomentums.get(i), height, scaleFn(scaleArg)));
      }
      List<ParamGroup> groups = optimizer.paramGroups();
      for (int i = 0; i < groups.size() && i < momentums.size(); i++) {
        setMomentum(groups.get(i), useBeta1, momentums.get(i));
      }
    }
    return lrs;
  }

  /** The state dict (see the class comment for its keys). */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("max_lrs", new ArrayList<>(maxLrs));
    sd.put("total_size", totalSize);
    sd.put("step_ratio", stepRatio);
    sd.put("mode", mode);
    sd.put("gamma", gamma);
    sd.put("scale_mode", scaleMode);
    sd.put("cycle_momentum", cycleMomentum);
    if (baseMomentums != null) {
      sd.put("use_beta1", useBeta1);
      sd.put("base_momentums", new ArrayList<>(baseMomentums));
      sd.put("max_momentums", new ArrayList<>(maxMomentums));
    }
    sd.putAll(super.stateDict());
    sd.put("_scale_fn_custom", scaleFnCustom == null ? null : scaleFnCustom.stateDict());
    return sd;
  }

  /**
   * Loads a state dict; the custom scale function gets its saved state back.
   *
   * @throws IllegalArgumentException for a value of the wrong type, a saved custom-function state without a
   *     custom function, or a mode that is not built in without a custom function
   */
  @Override
  @SuppressWarnings("unchecked") // a non-null _scale_fn_custom is checked to be a Map
  public void loadStateDict(Map<String, ?> stateDict) {
    List<Double> newMaxLrs = StateValues.doubleList(stateDict, "max_lrs", maxLrs);
    double newTotalSize = StateValues.doubleValue(stateDict, "total_size", totalSize);
    double newStepRatio = StateValues.doubleValue(stateDict, "step_ratio", stepRatio);
    String newMode = StateValues.stringValue(stateDict, "mode", mode);
    double newGamma = StateValues.doubleValue(stateDict, "gamma", gamma);
    String newScaleMode = StateValues.stringValue(stateDict, "scale_mode", scaleMode);
    boolean newCycleMomentum = StateValues.boolValue(stateDict, "cycle_momentum", cycleMomentum);
    boolean newUseBeta1 = StateValues.boolValue(stateDict, "use_beta1", useBeta1);
    List<Double> newBaseMomentums = StateValues.doubleList(stateDict, "base_momentums", baseMomentums);
    List<Double> newMaxMomentums = StateValues.doubleList(stateDict, "max_momentums", maxMomentums);
    Object fnState = stateDict.get("_scale_fn_custom");
    if (fnState != null && (!(fnState instanceof Map) || scaleFnCustom == null)) {
      throw StateValues.wrong("_scale_fn_custom", scaleFnCustom == null
          ? "None (this CyclicLR has no custom scale_fn)" : "a map or None", fnState);
    }
    if (scaleFnCustom == null && !isBuiltInMode(newMode)) {
      throw new IllegalArgumentException("mode is invalid and scale_fn is None");
    }
    if (newCycleMomentum && (newBaseMomentums == null || newMaxMomentums == null)) {
      throw StateValues.wrong("base_momentums", "a list of floats when cycle_momentum is on", null);
    }
    super.loadStateDict(stateDict);
    maxLrs = newMaxLrs;
    totalSize = newTotalSize;
    stepRatio = newStepRatio;
    mode = newMode;
    gamma = newGamma;
    scaleMode = newScaleMode;
    cycleMomentum = newCycleMomentum;
    useBeta1 = newUseBeta1;
    baseMomentums = newBaseMomentums;
    maxMomentums = newMaxMomentums;
    if (fnState != null) {
      scaleFnCustom.loadStateDict((Map<String, ?>) fnState);
    }
    initScaleFn();
  }

  /** A fresh set of options with PyTorch's defaults ({@code base_lr} and {@code max_lr} must be set). */
  public static Options options() {
    return new Options();
  }

  /** CyclicLR's options, PyTorch's keyword arguments. */
  public static final class Options {
    final LinkedHashMap<String, Object> values = SPEC.defaults();
    LrLambda scaleFn;

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

    /** The lower learning-rate bound of every group (required). */
    public Options baseLr(double baseLr) {
      return put("base_lr", baseLr);
    }

    /** The lower learning-rate bound of each group (required). */
    public Options baseLr(List<? extends Number> baseLr) {
      return put("base_lr", baseLr);
    }

    /** The upper learning-rate bound of every group (required). */
    public Options maxLr(double maxLr) {
      return put("max_lr", maxLr);
    }

    /** The upper learning-rate bound of each group (required). */
    public Options maxLr(List<? extends Number> maxLr) {
      return put("max_lr", maxLr);
    }

    /** Steps of the rising half of a cycle (default 2000). */
    public Options stepSizeUp(int stepSizeUp) {
      return put("step_size_up", stepSizeUp);
    }

    /** Steps of the falling half (default null: {@code step_size_up}). */
    public Options stepSizeDown(Integer stepSizeDown) {
      return put("step_size_down", stepSizeDown);
    }

    /** "triangular" (default), "triangular2" or "exp_range". */
    public Options mode(String mode) {
      return put("mode", mode);
    }

    /** exp_range's base γ (default 1.0). */
    public Options gamma(double gamma) {
      return put("gamma", gamma);
    }

    /** A custom scale function (default null), replacing the mode's. */
    public Options scaleFn(LrLambda scaleFn) {
      this.scaleFn = scaleFn;
      return this;
    }

    /** What a custom scale function takes: "cycle" (default) or "iterations". */
    public Options scaleMode(String scaleMode) {
      return put("scale_mode", scaleMode);
    }

    /** Cycle the momentum (or β₁) inversely to the learning rate (default true). */
    public Options cycleMomentum(boolean cycleMomentum) {
      return put("cycle_momentum", cycleMomentum);
    }

    /** The lower momentum bound of every group (default 0.8). */
    public Options baseMomentum(double baseMomentum) {
      return put("base_momentum", baseMomentum);
    }

    /** The lower momentum bound of each group. */
    public Options baseMomentum(List<? extends Number> baseMomentum) {
      return put("base_momentum", baseMomentum);
    }

    /** The upper momentum bound of every group (default 0.9). */
    public Options maxMomentum(double maxMomentum) {
      return put("max_momentum", maxMomentum);
    }

    /** The upper momentum bound of each group. */
    public Options maxMomentum(List<? extends Number> maxMomentum) {
      return put("max_momentum", maxMomentum);
    }

    /** The index of the last batch when resuming (default −1). */
    public Options lastEpoch(int lastEpoch) {
      return put("last_epoch", lastEpoch);
    }
  }
}
