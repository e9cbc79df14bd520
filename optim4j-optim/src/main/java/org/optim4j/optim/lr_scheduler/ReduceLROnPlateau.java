package org.optim4j.optim.lr_scheduler;

import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.FLOAT;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.INT;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.PER_GROUP;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.STRING;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;

/**
 * Reduces the learning rate when a metric has stopped improving, PyTorch's {@code ReduceLROnPlateau}.
 *
 * <pre>
 * step(metric):  last_epoch ← last_epoch + 1
 *   if better(metric, best):  best ← metric;  bad ← 0     else  bad ← bad + 1
 *   if cooldown_counter &gt; 0:  cooldown_counter ← cooldown_counter − 1;  bad ← 0
 *   if bad &gt; patience:  for each group:  new = max(lr · factor, min_lr_i);  if lr − new &gt; eps:  lr ← new
 *                       cooldown_counter ← cooldown;  bad ← 0
 * better(a, best):  min/rel  a &lt; best · (1 − threshold)     min/abs  a &lt; best − threshold
 *                   max/rel  a &gt; best · (1 + threshold)     max/abs  a &gt; best + threshold
 * </pre>
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link LRSchedulers#create} keys)</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>mode</td><td>"min"</td><td>"min": reduce when the metric stops decreasing; "max": increasing</td></tr>
 * <tr><td>factor</td><td>0.1</td><td>new_lr = lr · factor (must be &lt; 1)</td></tr>
 * <tr><td>patience</td><td>10</td><td>epochs without improvement tolerated before reducing</td></tr>
 * <tr><td>threshold</td><td>1e-4</td><td>how much better counts as an improvement</td></tr>
 * <tr><td>threshold_mode</td><td>"rel"</td><td>"rel" (relative to best) or "abs"</td></tr>
 * <tr><td>cooldown</td><td>0</td><td>epochs to wait after a reduction before counting again</td></tr>
 * <tr><td>min_lr</td><td>0 (an int)</td><td>lower bound, a number for every group or a list of one per group</td></tr>
 * <tr><td>eps</td><td>1e-8</td><td>a reduction smaller than this is skipped</td></tr>
 * </table>
 *
 * <pre>{@code
 * ReduceLROnPlateau p = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(2));
 * p.step(validationLoss);
 * }</pre>
 *
 * <p>As in PyTorch (an {@link LRScheduler} since 2.2), it does not run the base initialisation: no
 * {@code initial_lr} in the groups, no base learning rates ({@link #baseLrs()} throws), no initial step;
 * {@code last_epoch} starts at 0 and {@link #getLastLr()} at the groups' learning rates. Its {@code step}
 * takes the metric; an int argument is a metric too, never an epoch. With a scalar {@code min_lr}, groups
 * added later get it too; with a list, a reduction after adding a group throws.
 *
 * <p>State dict: {@code factor}, {@code default_min_lr} (the scalar min_lr, or null for a list),
 * {@code min_lrs}, {@code patience}, {@code cooldown}, {@code eps}, {@code last_epoch}, {@code _last_lr},
 * {@code mode_worse}, {@code mode}, {@code threshold}, {@code threshold_mode}, {@code best},
 * {@code cooldown_counter}, {@code num_bad_epochs}.
 */
public class ReduceLROnPlateau extends LRScheduler {
  static final KwargSpec SPEC = new KwargSpec("ReduceLROnPlateau")
      .add("mode", STRING, "min")
      .add("factor", FLOAT, 0.1)
      .add("patience", INT, 10)
      .add("threshold", FLOAT, 1e-4)
      .add("threshold_mode", STRING, "rel")
      .add("cooldown", INT, 0)
      .add("min_lr", PER_GROUP, 0)
      .add("eps", FLOAT, 1e-8);

  private double factor;
  private Number defaultMinLr;
  private List<Number> minLrs;
  private int patience;
  private int cooldown;
  private double eps;
  private double modeWorse;
  private String mode;
  private double threshold;
  private String thresholdMode;
  private double best;
  private int cooldownCounter;
  private int numBadEpochs;

  /** With PyTorch's defaults (mode min, factor 0.1, patience 10). */
  public ReduceLROnPlateau(Optimizer optimizer) {
    this(optimizer, options());
  }

  /**
   * With these options.
   *
   * @throws IllegalArgumentException with PyTorch's messages: {@code "Factor should be < 1.0."},
   *     {@code "expected n min_lrs, got m"}, {@code "mode … is unknown!"}, {@code "threshold mode … is unknown!"}
   */
  public ReduceLROnPlateau(Optimizer optimizer, Options options) {
    super(checked(optimizer, options));
    Map<String, Object> v = options.values;
    this.factor = ((Number) v.get("factor")).doubleValue();
    Object minLr = v.get("min_lr");
    if (minLr instanceof List<?> list) {
      this.defaultMinLr = null;
      List<Number> copy = new ArrayList<>();
      for (Object m : list) {
        copy.add((Number) m);
      }
      this.minLrs = Collections.unmodifiableList(copy);
    } else {
      this.defaultMinLr = (Number) minLr;
      this.minLrs = Collections.nCopies(optimizer.paramGroups().size(), defaultMinLr);
    }
    this.patience = (Integer) v.get("patience");
    this.cooldown = (Integer) v.get("cooldown");
    this.eps = ((Number) v.get("eps")).doubleValue();
    this.lastEpoch = 0;
    this.lastLr = groupValues(optimizer, "lr");
    initIsBetter((String) v.get("mode"), ((Number) v.get("threshold")).doubleValue(), (String) v.get("threshold_mode"));
    reset();
  }

  private static Optimizer checked(Optimizer optimizer, Options options) {
    Map<String, Object> v = options.values;
    if (((Number) v.get("factor")).doubleValue() >= 1.0) {
      throw new IllegalArgumentException("Factor should be < 1.0.");
    }
    Objects.requireNonNull(optimizer, "optimizer must not be null: a scheduler needs an Optimizer");
    if (v.get("min_lr") instanceof List<?> list && list.size() != optimizer.paramGroups().size()) {
      throw new IllegalArgumentException("expected " + optimizer.paramGroups().size() + " min_lrs, got " + list.size());
    }
    checkModes((String) v.get("mode"), (String) v.get("threshold_mode"));
    return optimizer;
  }

  private static void checkModes(String mode, String thresholdMode) {
    if (!"min".equals(mode) && !"max".equals(mode)) {
      throw new IllegalArgumentException("mode " + mode + " is unknown!");
    }
    if (!"rel".equals(thresholdMode) && !"abs".equals(thresholdMode)) {
      throw new IllegalArgumentException("threshold mode " + thresholdMode + " is unknown!");
    }
  }

  private void initIsBetter(String mode, double threshold, String thresholdMode) {
    checkModes(mode, thresholdMode);
    this.modeWorse = "min".equals(mode) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    this.mode = mode;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
  }

  private void reset() {
    best = modeWorse;
    cooldownCounter = 0;
    numBadEpochs = 0;
  }

  /**
   * Records the epoch's metric and reduces the learning rates after {@code patience} epochs without
   * improvement.
   */
  public void step(double metrics) {
    stepWith(metrics, lastEpoch + 1);
  }

  /** {@link #step(double)} with an int metric (never an epoch). */
  @Override
  @SuppressWarnings("deprecation") // overrides the deprecated epoch form: here the int is a metric
  public void step(int metrics) {
    step((double) metrics);
  }

  /**
   * Records the metric as the given epoch's.
   *
   * @deprecated as in PyTorch: call {@link #step(double)} instead; warns once
   */
  @Deprecated
  public void step(double metrics, int epoch) {
    warnEpochDeprecated();
    stepWith(metrics, epoch);
  }

  /**
   * PyTorch's {@code step()} without the metric: a TypeError there, here a NullPointerException (a missing
   * required argument).
   */
  @Override
  public void step() {
    throw new NullPointerException("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'");
  }

  private void stepWith(double current, int epoch) {
    lastEpoch = epoch;
    if (isBetter(current, best)) {
      best = current;
      numBadEpochs = 0;
    } else {
      numBadEpochs++;
    }
    if (inCooldown()) {
      cooldownCounter--;
      numBadEpochs = 0;
    }
    if (numBadEpochs > patience) {
      reduceLr();
      cooldownCounter = cooldown;
      numBadEpochs = 0;
    }
    lastLr = groupValues(optimizer, "lr");
  }

  private void reduceLr() {
    List<ParamGroup> groups = optimizer.paramGroups();
    if (groups.size() != minLrs.size()) {
      if (defaultMinLr == null) {
        throw new IllegalStateException("The number of param groups in the `optimizer` (" + groups.size()
            + ") differs from when `ReduceLROnPlateau` was initialized (" + minLrs.size() + "), usually due to a "
            + "new param group being added to the optimizer. Please modify the `min_lrs` field to match the length "
            + "of the `optimizer` param groups.");
      }
      minLrs = Collections.nCopies(groups.size(), defaultMinLr);
    }
    for (int i = 0; i < groups.size(); i++) {
      ParamGroup group = groups.get(i);
      double oldLr = group.getDouble("lr");
      double newLr = PyMath.max(oldLr * factor, minLrs.get(i).doubleValue());
      if (oldLr - newLr > eps) {
        setGroupValue(group, "lr", newLr);
      }
    }
  }

  /** Whether a reduction's cooldown is running. */
  public boolean inCooldown() {
    return cooldownCounter > 0;
  }

  private boolean isBetter(double a, double best) {
    if ("min".equals(mode) && "rel".equals(thresholdMode)) {
      return a < best * (1.0 - threshold);
    } else if ("min".equals(mode) && "abs".equals(thresholdMode)) {
      return a < best - threshold;
    } else if ("max".equals(mode) && "rel".equals(thresholdMode)) {
      return a > best * (threshold + 1.0);
    }
    return a > best + threshold;
  }

  /** The best metric seen (infinity before the first step, negative for mode max). */
  public double best() {
    return best;
  }

  /** The number of consecutive epochs without improvement. */
  public int numBadEpochs() {
    return numBadEpochs;
  }

  /** The cooldown epochs left. */
  public int cooldownCounter() {
    return cooldownCounter;
  }

  /** The lower bound of each group's learning rate. */
  public List<Double> minLrs() {
    List<Double> out = new ArrayList<>();
    for (Number m : minLrs) {
      out.add(m.doubleValue());
    }
    return Collections.unmodifiableList(out);
  }

  /** Not available, as in PyTorch (NotImplementedError): use {@link #getLastLr()}. */
  @Override
  protected List<Double> getLr() {
    throw new UnsupportedOperationException("ReduceLROnPlateau has no get_lr(); use getLastLr()");
  }

  /** The state dict (see the class comment for its keys). */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("factor", factor);
    sd.put("default_min_lr", defaultMinLr);
    sd.put("min_lrs", new ArrayList<>(minLrs));
    sd.put("patience", patience);
    sd.put("cooldown", cooldown);
    sd.put("eps", eps);
    sd.put("last_epoch", lastEpoch);
    sd.put("_last_lr", new ArrayList<>(lastLr));
    sd.put("mode_worse", modeWorse);
    sd.put("mode", mode);
    sd.put("threshold", threshold);
    sd.put("threshold_mode", thresholdMode);
    sd.put("best", best);
    sd.put("cooldown_counter", cooldownCounter);
    sd.put("num_bad_epochs", numBadEpochs);
    return sd;
  }

  /**
   * Loads a state dict, then re-derives {@code mode_worse} from the mode, as PyTorch does.
   *
   * @throws IllegalArgumentException for a value of the wrong type or an unknown mode, before anything changes
   */
  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    Objects.requireNonNull(stateDict, "stateDict");
    double newFactor = StateValues.doubleValue(stateDict, "factor", factor);
    Number newDefaultMinLr = defaultMinLr;
    if (stateDict.containsKey("default_min_lr")) {
      newDefaultMinLr = stateDict.get("default_min_lr") == null ? null
          : StateValues.number(stateDict, "default_min_lr", defaultMinLr);
    }
    List<Number> newMinLrs = StateValues.numberList(stateDict, "min_lrs", minLrs);
    int newPatience = StateValues.intValue(stateDict, "patience", patience);
    int newCooldown = StateValues.intValue(stateDict, "cooldown", cooldown);
    double newEps = StateValues.doubleValue(stateDict, "eps", eps);
    int newLastEpoch = StateValues.intValue(stateDict, "last_epoch", lastEpoch);
    List<Double> newLastLr = StateValues.doubleList(stateDict, "_last_lr", lastLr);
    String newMode = StateValues.stringValue(stateDict, "mode", mode);
    double newThreshold = StateValues.doubleValue(stateDict, "threshold", threshold);
    String newThresholdMode = StateValues.stringValue(stateDict, "threshold_mode", thresholdMode);
    double newBest = StateValues.doubleValue(stateDict, "best", best);
    int newCooldownCounter = StateValues.intValue(stateDict, "cooldown_counter", cooldownCounter);
    int newNumBadEpochs = StateValues.intValue(stateDict, "num_bad_epochs", numBadEpochs);
    checkModes(newMode, newThresholdMode);
    factor = newFactor;
    defaultMinLr = newDefaultMinLr;
    minLrs = newMinLrs;
    patience = newPatience;
    cooldown = newCooldown;
    eps = newEps;
    lastEpoch = newLastEpoch;
    lastLr = newLastLr;
    best = newBest;
    cooldownCounter = newCooldownCounter;
    numBadEpochs = newNumBadEpochs;
    initIsBetter(newMode, newThreshold, newThresholdMode);
  }

  /** A fresh set of options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  /** ReduceLROnPlateau's options, PyTorch's keyword arguments. */
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

    /** "min" (default) or "max". */
    public Options mode(String mode) {
      return put("mode", mode);
    }

    /** The factor of a reduction (default 0.1; must be &lt; 1). */
    public Options factor(double factor) {
      return put("factor", factor);
    }

    /** Epochs without improvement tolerated (default 10). */
    public Options patience(int patience) {
      return put("patience", patience);
    }

    /** The improvement threshold (default 1e-4). */
    public Options threshold(double threshold) {
      return put("threshold", threshold);
    }

    /** "rel" (default) or "abs". */
    public Options thresholdMode(String thresholdMode) {
      return put("threshold_mode", thresholdMode);
    }

    /** Epochs to wait after a reduction (default 0). */
    public Options cooldown(int cooldown) {
      return put("cooldown", cooldown);
    }

    /** The lower bound of every group's learning rate (default 0). */
    public Options minLr(double minLr) {
      return put("min_lr", minLr);
    }

    /** The lower bound of each group's learning rate. */
    public Options minLr(List<? extends Number> minLr) {
      return put("min_lr", minLr);
    }

    /** The smallest reduction applied (default 1e-8). */
    public Options eps(double eps) {
      return put("eps", eps);
    }
  }
}
