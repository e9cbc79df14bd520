package org.optim4j.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Closure;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.Optimizers;
import org.optim4j.optim.ParamGroup;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * Rebuilds the runs of fixtures/sched (written by tools/reference/gen_sched.py) in Java: optimizers and
 * schedulers from their configs, the named functions of the generator, state-dict layouts in the
 * generator's form, and the comparison rule for scheduler values.
 */
final class SchedFixtures {
  /**
   * The relative tolerance of scheduler values: an actual value {@code a} matches PyTorch's {@code b} when
   * {@code |a − b| ≤ RTOL · max(|b|, scale)}, with {@code scale} the group's base learning rate (the lr its
   * optimizer was configured with) for learning rates and 1 for momenta. Both sides compute in double with
   * the same operations in the same order, so the difference is a few ulps of {@code cos}/{@code pow}
   * (Java's and C's libm may differ in the last bit), accumulated over at most a few hundred chainable
   * steps; the base lr as a floor keeps values that approach 0 from demanding more than the schedule's own
   * precision.
   */
  static final double RTOL = 1e-12;

  private SchedFixtures() {}

  /** Whether {@code actual} matches {@code expected} under {@link #RTOL} with this scale. */
  static boolean close(double actual, double expected, double scale) {
    if (Double.isNaN(actual) || Double.isNaN(expected)) {
      return Double.isNaN(actual) && Double.isNaN(expected);
    }
    if (Double.isInfinite(actual) || Double.isInfinite(expected)) {
      return actual == expected;
    }
    return Math.abs(actual - expected) <= RTOL * Math.max(Math.abs(expected), scale);
  }

  static void assertClose(String what, double actual, double expected, double scale) {
    if (!close(actual, expected, scale)) {
      fail(what + ": " + actual + ", expected " + expected + " (difference " + (actual - expected) + ", rtol " + RTOL
          + ", scale " + scale + ")");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The generator's named functions

  /** A callable object with state, the generator's {@code Warmup}. */
  static final class Warmup implements LrLambda {
    int warmupSteps;

    Warmup(int warmupSteps) {
      this.warmupSteps = warmupSteps;
    }

    @Override
    public double applyAsDouble(int epoch) {
      return Math.min(1.0, (epoch + 1) / (double) warmupSteps);
    }

    @Override
    public Map<String, Object> stateDict() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("warmup_steps", warmupSteps);
      return m;
    }

    @Override
    public void loadStateDict(Map<String, ?> state) {
      warmupSteps = ((Number) state.get("warmup_steps")).intValue();
    }
  }

  /** A callable scale function with state, the generator's {@code CycleDecay}. */
  static final class CycleDecay implements LrLambda {
    double decay;

    CycleDecay(double decay) {
      this.decay = decay;
    }

    @Override
    public double applyAsDouble(int x) {
      return Math.pow(decay, x - 1);
    }

    @Override
    public Map<String, Object> stateDict() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("decay", decay);
      return m;
    }

    @Override
    public void loadStateDict(Map<String, ?> state) {
      decay = ((Number) state.get("decay")).doubleValue();
    }
  }

  /** The generator's LAMBDAS and CALLABLES by name (a new object for a callable). */
  static LrLambda function(String name) {
    return switch (name) {
      case "pow095" -> e -> Math.pow(0.95, e);
      case "div30" -> e -> Math.floorDiv(e, 30);
      case "warmup10" -> e -> Math.min(1.0, (e + 1) / 10.0);
      case "inverse" -> e -> 1.0 / (1.0 + 0.05 * e);
      case "const095" -> e -> 0.95;
      case "decay_every10" -> e -> Math.floorMod(e, 10) == 0 ? 0.5 : 0.99;
      case "half_life20" -> x -> Math.pow(0.5, x / 20.0);
      case "warmup_obj5" -> new Warmup(5);
      case "cycle_decay_obj08" -> new CycleDecay(0.8);
      default -> throw new AssertionError("unknown function " + name);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Optimizers and schedulers from configs

  /** The generator's {@code Plain}: an optimizer whose only hyper-parameter is lr. */
  static final class Plain extends Optimizer {
    Plain(Iterable<?> params, double lr) {
      super(params, Map.of("lr", lr));
    }

    @Override
    protected Tensor update(Closure closure) {
      return null;
    }
  }

  @SuppressWarnings("unchecked") // fixture configs are JSON objects and arrays
  static Optimizer optimizer(Map<String, Object> cfg) {
    List<ParamGroup> groups = new ArrayList<>();
    for (Object g : (List<Object>) cfg.get("groups")) {
      ParamGroup pg = ParamGroup.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true));
      ((Map<String, Object>) g).forEach(pg::with);
      groups.add(pg);
    }
    Map<String, Object> defaults = (Map<String, Object>) cfg.get("defaults");
    String name = (String) cfg.get("name");
    if (name.equals("Plain")) {
      return new Plain(groups, ((Number) defaults.get("lr")).doubleValue());
    }
    return Optimizers.create(name, groups, defaults);
  }

  /** The lr each group was configured with (its own or the optimizer's default). */
  @SuppressWarnings("unchecked")
  static double[] baseLrs(Map<String, Object> cfg) {
    List<Object> groups = (List<Object>) cfg.get("groups");
    double lr = ((Number) ((Map<String, Object>) cfg.get("defaults")).get("lr")).doubleValue();
    double[] out = new double[groups.size()];
    for (int i = 0; i < out.length; i++) {
      Object own = ((Map<String, Object>) groups.get(i)).get("lr");
      out[i] = own == null ? lr : ((Number) own).doubleValue();
    }
    return out;
  }

  /**
   * The scheduler a spec describes, built as a user would: through {@link LRSchedulers#create} where it
   * can (no functions), with constructors for the others.
   */
  @SuppressWarnings({"unchecked", "deprecation"})
  static LRScheduler scheduler(Map<String, Object> spec, Optimizer opt) {
    String name = (String) spec.get("name");
    if (name.equals("SequentialLR") || name.equals("ChainedScheduler")) {
      List<LRScheduler> subs = new ArrayList<>();
      for (Object s : (List<Object>) spec.get("schedulers")) {
        subs.add(scheduler((Map<String, Object>) s, opt));
      }
      if (name.equals("SequentialLR")) {
        return new SequentialLR(opt, subs, (List<Integer>) spec.get("milestones"));
      }
      return Boolean.TRUE.equals(spec.get("pass_optimizer")) ? new ChainedScheduler(subs, opt)
          : new ChainedScheduler(subs);
    }
    Map<String, Object> kwargs = new LinkedHashMap<>((Map<String, Object>) spec.get("kwargs"));
    switch (name) {
      case "LambdaLR", "MultiplicativeLR" -> {
        Object f = kwargs.get("lr_lambda");
        int lastEpoch = kwargs.containsKey("last_epoch") ? (Integer) kwargs.get("last_epoch") : -1;
        boolean lambda = name.equals("LambdaLR");
        if (f instanceof List<?> names) {
          List<LrLambda> fns = new ArrayList<>();
          for (Object n : names) {
            fns.add(function((String) n));
          }
          return lambda ? new LambdaLR(opt, fns, lastEpoch) : new MultiplicativeLR(opt, fns, lastEpoch);
        }
        LrLambda fn = f == null ? null : function((String) f);
        return lambda ? new LambdaLR(opt, fn, lastEpoch) : new MultiplicativeLR(opt, fn, lastEpoch);
      }
      case "CyclicLR" -> {
        Object scaleFn = kwargs.remove("scale_fn");
        CyclicLR.Options options = CyclicLR.Options.fromMap(kwargs);
        if (scaleFn != null) {
          options.scaleFn(function((String) scaleFn));
        }
        return new CyclicLR(opt, options);
      }
      default -> {
        return LRSchedulers.create(name, opt, kwargs);
      }
    }
  }

  /** A group's momentum, or the first of its betas. */
  static double momentum(ParamGroup g) {
    if (g.containsKey("betas")) {
      return ((Number) ((List<?>) g.get("betas")).get(0)).doubleValue();
    }
    return g.getDouble("momentum");
  }

  // ---------------------------------------------------------------------------------------------
  // State-dict layouts

  /** A state dict's layout in the generator's form: [[key, type], ...]. */
  static List<Object> layout(Map<String, ?> sd) {
    List<Object> out = new ArrayList<>();
    for (Map.Entry<String, ?> e : sd.entrySet()) {
      out.add(List.of(e.getKey(), describe(e.getValue())));
    }
    return out;
  }

  /** A value's type in the generator's form ("int", "float", ..., ["list", [...]], ["dict", [[k, t], ...]]). */
  static Object describe(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return "int";
    }
    if (v instanceof Double || v instanceof Float) {
      return "float";
    }
    if (v instanceof String) {
      return "str";
    }
    if (v instanceof List<?> list) {
      List<Object> types = new ArrayList<>();
      for (Object x : list) {
        types.add(describe(x));
      }
      return List.of("list", types);
    }
    if (v instanceof Map<?, ?> map) {
      List<Object> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        entries.add(List.of(String.valueOf(e.getKey()), describe(e.getValue())));
      }
      return List.of("dict", entries);
    }
    throw new AssertionError("unexpected state dict value " + v + " (" + v.getClass() + ")");
  }
}
