package org.optim4j.optim.lr_scheduler;

import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.FLOAT;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.INT;
import static org.optim4j.optim.lr_scheduler.KwargSpec.Kind.INT_LIST;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.internal.PyFormat;

/**
 * Builds schedulers by PyTorch class name from PyTorch-style keyword arguments, for configuration files and
 * command lines:
 *
 * <pre>{@code
 * LRScheduler s = LRSchedulers.create("OneCycleLR", opt, Map.of("max_lr", 0.1, "total_steps", 100));
 * }</pre>
 *
 * <p>It knows every scheduler that takes no function argument: {@code StepLR}, {@code MultiStepLR},
 * {@code ConstantLR}, {@code LinearLR}, {@code ExponentialLR}, {@code PolynomialLR}, {@code CosineAnnealingLR},
 * {@code CosineAnnealingWarmRestarts}, {@code CyclicLR} (without a custom scale function), {@code OneCycleLR}
 * and {@code ReduceLROnPlateau}. The keys are the keywords of the PyTorch 2.13 constructor ({@code T_max},
 * {@code max_lr}, {@code last_epoch}, ...); values are Numbers (ints as Integer: a non-integral value for an
 * int keyword is rejected), Strings, Booleans, Lists (milestones; per-group {@code base_lr}, {@code max_lr},
 * {@code min_lr}, {@code base_momentum}, {@code max_momentum}) and null for Python's {@code None} (use a
 * {@link java.util.HashMap}).
 */
public final class LRSchedulers {
  private static final KwargSpec STEP = new KwargSpec("StepLR")
      .required("step_size", INT).add("gamma", FLOAT, 0.1).add("last_epoch", INT, -1);
  private static final KwargSpec MULTI_STEP = new KwargSpec("MultiStepLR")
      .required("milestones", INT_LIST).add("gamma", FLOAT, 0.1).add("last_epoch", INT, -1);
  private static final KwargSpec CONSTANT = new KwargSpec("ConstantLR")
      .add("factor", FLOAT, 1.0 / 3).add("total_iters", INT, 5).add("last_epoch", INT, -1);
  private static final KwargSpec LINEAR = new KwargSpec("LinearLR")
      .add("start_factor", FLOAT, 1.0 / 3).add("end_factor", FLOAT, 1.0).add("total_iters", INT, 5)
      .add("last_epoch", INT, -1);
  private static final KwargSpec EXPONENTIAL = new KwargSpec("ExponentialLR")
      .required("gamma", FLOAT).add("last_epoch", INT, -1);
  private static final KwargSpec POLYNOMIAL = new KwargSpec("PolynomialLR")
      .add("total_iters", INT, 5).add("power", FLOAT, 1.0).add("last_epoch", INT, -1);
  private static final KwargSpec COSINE = new KwargSpec("CosineAnnealingLR")
      .required("T_max", INT).add("eta_min", FLOAT, 0.0).add("last_epoch", INT, -1);
  private static final KwargSpec WARM_RESTARTS = new KwargSpec("CosineAnnealingWarmRestarts")
      .required("T_0", INT).add("T_mult", INT, 1).add("eta_min", FLOAT, 0.0).add("last_epoch", INT, -1)
      .typeMessage("T_0", v -> "Expected positive integer T_0, but got " + PyFormat.str(v))
      .typeMessage("T_mult", v -> "Expected integer T_mult >= 1, but got " + PyFormat.str(v));

  private static final Map<String, BiFunction<Optimizer, Map<String, ?>, LRScheduler>> FACTORIES =
      new LinkedHashMap<>();

  static {
    FACTORIES.put("StepLR", (o, kw) -> {
      Map<String, Object> v = STEP.parse(kw);
      return new StepLR(o, integer(v, "step_size"), real(v, "gamma"), integer(v, "last_epoch"));
    });
    FACTORIES.put("MultiStepLR", (o, kw) -> {
      Map<String, Object> v = MULTI_STEP.parse(kw);
      @SuppressWarnings("unchecked") // INT_LIST values are List<Integer>
      List<Integer> milestones = (List<Integer>) v.get("milestones");
      return new MultiStepLR(o, milestones, real(v, "gamma"), integer(v, "last_epoch"));
    });
    FACTORIES.put("ConstantLR", (o, kw) -> {
      Map<String, Object> v = CONSTANT.parse(kw);
      return new ConstantLR(o, real(v, "factor"), integer(v, "total_iters"), integer(v, "last_epoch"));
    });
    FACTORIES.put("LinearLR", (o, kw) -> {
      Map<String, Object> v = LINEAR.parse(kw);
      return new LinearLR(o, real(v, "start_factor"), real(v, "end_factor"), integer(v, "total_iters"),
          integer(v, "last_epoch"));
    });
    FACTORIES.put("ExponentialLR", (o, kw) -> {
      Map<String, Object> v = EXPONENTIAL.parse(kw);
      return new ExponentialLR(o, real(v, "gamma"), integer(v, "last_epoch"));
    });
    FACTORIES.put("PolynomialLR", (o, kw) -> {
      Map<String, Object> v = POLYNOMIAL.parse(kw);
      return new PolynomialLR(o, integer(v, "total_iters"), real(v, "power"), integer(v, "last_epoch"));
    });
    FACTORIES.put("CosineAnnealingLR", (o, kw) -> {
      Map<String, Object> v = COSINE.parse(kw);
      return new CosineAnnealingLR(o, integer(v, "T_max"), real(v, "eta_min"), integer(v, "last_epoch"));
    });
    FACTORIES.put("CosineAnnealingWarmRestarts", (o, kw) -> {
      Map<String, Object> v = WARM_RESTARTS.parse(kw);
      return new CosineAnnealingWarmRestarts(o, integer(v, "T_0"), integer(v, "T_mult"), real(v, "eta_min"),
          integer(v, "last_epoch"));
    });
    FACTORIES.put("CyclicLR", (o, kw) -> new CyclicLR(o, CyclicLR.Options.fromMap(kw)));
    FACTORIES.put("OneCycleLR", (o, kw) -> new OneCycleLR(o, OneCycleLR.Options.fromMap(kw)));
    FACTORIES.put("ReduceLROnPlateau", (o, kw) -> new ReduceLROnPlateau(o, ReduceLROnPlateau.Options.fromMap(kw)));
  }

  private LRSchedulers() {}

  /**
   * The scheduler {@code name} (PyTorch's class name) of {@code optimizer}, built from PyTorch's keyword
   * arguments.
   *
   * @throws IllegalArgumentException for an unknown name or keyword (the message lists the valid ones), a
   *     value of the wrong type, and everything the scheduler's constructor rejects
   * @throws NullPointerException for a missing required keyword (Python's message) or a null optimizer
   */
  public static LRScheduler create(String name, Optimizer optimizer, Map<String, ?> kwargs) {
    Objects.requireNonNull(name, "name");
    BiFunction<Optimizer, Map<String, ?>, LRScheduler> factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown scheduler '" + name + "'; known schedulers: "
          + String.join(", ", FACTORIES.keySet()));
    }
    Objects.requireNonNull(optimizer, "optimizer must not be null: a scheduler needs an Optimizer");
    return factory.apply(optimizer, Objects.requireNonNull(kwargs, "kwargs"));
  }

  /** The names {@link #create} knows. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(FACTORIES.keySet());
  }

  private static int integer(Map<String, Object> v, String key) {
    return (Integer) v.get(key);
  }

  private static double real(Map<String, Object> v, String key) {
    return ((Number) v.get(key)).doubleValue();
  }
}
