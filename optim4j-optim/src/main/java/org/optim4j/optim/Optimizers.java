package org.optim4j.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import org.optim4j.tensor.Tensor;

/**
 * Builds optimizers by PyTorch class name from PyTorch-style keyword arguments, for configuration files,
 * command lines and tests:
 *
 * <pre>{@code
 * Optimizer adam = Optimizers.create("Adam", params, Map.of("lr", 1e-3, "betas", List.of(0.9, 0.999)));
 * }</pre>
 *
 * <p>The keys are exactly the keywords of the optimizer's PyTorch 2.13 signature; the values are Numbers
 * (Python floats and ints), Booleans, null (Python's {@code None}; use a {@link java.util.HashMap}), Lists for
 * tuples such as {@code betas}, and one-element Tensors where PyTorch accepts a tensor ({@code lr}).
 */
public final class Optimizers {
  private record Factory(BiFunction<Iterable<?>, Map<String, ?>, Optimizer> plain,
      BiFunction<Map<String, ? extends Tensor>, Map<String, ?>, Optimizer> named) {}

  private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put("SGD", new Factory((p, o) -> new SGD(p, SGD.Options.fromMap(o)),
        (p, o) -> new SGD(p, SGD.Options.fromMap(o))));
    FACTORIES.put("Adam", new Factory((p, o) -> new Adam(p, Adam.Options.fromMap(o)),
        (p, o) -> new Adam(p, Adam.Options.fromMap(o))));
    FACTORIES.put("AdamW", new Factory((p, o) -> new AdamW(p, AdamW.Options.fromMap(o)),
        (p, o) -> new AdamW(p, AdamW.Options.fromMap(o))));
    FACTORIES.put("Adamax", new Factory((p, o) -> new Adamax(p, Adamax.Options.fromMap(o)),
        (p, o) -> new Adamax(p, Adamax.Options.fromMap(o))));
    FACTORIES.put("Adadelta", new Factory((p, o) -> new Adadelta(p, Adadelta.Options.fromMap(o)),
        (p, o) -> new Adadelta(p, Adadelta.Options.fromMap(o))));
    FACTORIES.put("Adagrad", new Factory((p, o) -> new Adagrad(p, Adagrad.Options.fromMap(o)),
        (p, o) -> new Adagrad(p, Adagrad.Options.fromMap(o))));
    FACTORIES.put("RMSprop", new Factory((p, o) -> new RMSprop(p, RMSprop.Options.fromMap(o)),
        (p, o) -> new RMSprop(p, RMSprop.Options.fromMap(o))));
    FACTORIES.put("Rprop", new Factory((p, o) -> new Rprop(p, Rprop.Options.fromMap(o)),
        (p, o) -> new Rprop(p, Rprop.Options.fromMap(o))));
    FACTORIES.put("ASGD", new Factory((p, o) -> new ASGD(p, ASGD.Options.fromMap(o)),
        (p, o) -> new ASGD(p, ASGD.Options.fromMap(o))));
    FACTORIES.put("NAdam", new Factory((p, o) -> new NAdam(p, NAdam.Options.fromMap(o)),
        (p, o) -> new NAdam(p, NAdam.Options.fromMap(o))));
    FACTORIES.put("RAdam", new Factory((p, o) -> new RAdam(p, RAdam.Options.fromMap(o)),
        (p, o) -> new RAdam(p, RAdam.Options.fromMap(o))));
    FACTORIES.put("SparseAdam", new Factory((p, o) -> new SparseAdam(p, SparseAdam.Options.fromMap(o)),
        (p, o) -> new SparseAdam(p, SparseAdam.Options.fromMap(o))));
    FACTORIES.put("LBFGS", new Factory((p, o) -> new LBFGS(p, LBFGS.Options.fromMap(o)),
        (p, o) -> new LBFGS(p, LBFGS.Options.fromMap(o))));
    FACTORIES.put("Adafactor", new Factory((p, o) -> new Adafactor(p, Adafactor.Options.fromMap(o)),
        (p, o) -> new Adafactor(p, Adafactor.Options.fromMap(o))));
    FACTORIES.put("Muon", new Factory((p, o) -> new Muon(p, Muon.Options.fromMap(o)),
        (p, o) -> new Muon(p, Muon.Options.fromMap(o))));
  }

  private Optimizers() {}

  /**
   * The optimizer {@code name} (PyTorch's class name, such as {@code "SGD"}) of {@code params}: tensors,
   * {@link ParamGroup}s or name-tensor entries.
   *
   * @throws IllegalArgumentException for an unknown name or option key (the message lists the valid ones),
   *     a value of the wrong type, and everything the optimizer's constructor rejects
   */
  public static Optimizer create(String name, Iterable<?> params, Map<String, ?> options) {
    Objects.requireNonNull(params, "params");
    return factory(name).plain().apply(params, Objects.requireNonNull(options, "options"));
  }

  /** The optimizer {@code name} of named parameters (PyTorch's {@code named_parameters()}). */
  public static Optimizer create(String name, Map<String, ? extends Tensor> namedParams, Map<String, ?> options) {
    Objects.requireNonNull(namedParams, "namedParams");
    return factory(name).named().apply(namedParams, Objects.requireNonNull(options, "options"));
  }

  /** The names {@link #create} knows, in the order of {@code torch.optim}'s documentation. */
  public static Set<String> names() {
    return java.util.Collections.unmodifiableSet(FACTORIES.keySet());
  }

  private static Factory factory(String name) {
    Objects.requireNonNull(name, "name");
    Factory f = FACTORIES.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown optimizer '" + name + "'; known optimizers: "
          + String.join(", ", FACTORIES.keySet()));
    }
    return f;
  }
}
