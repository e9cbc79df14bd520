package org.optim4j.optim;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * The base of every optimizer, PyTorch's {@code torch.optim.Optimizer}: parameter groups with defaults,
 * lazily created per-parameter state, {@code stateDict()}/{@code loadStateDict()} in PyTorch's layout, hooks,
 * and the {@link #step(Closure)} protocol.
 *
 * <p>A subclass passes its defaults (hyper-parameter name → default value, in PyTorch's order) to the
 * constructor and implements {@link #update(Closure)}: for each group, for each parameter with a gradient,
 * read the group's options and the parameter's {@link #state(Tensor)}, and update the parameter in place.
 *
 * <pre>{@code
 * final class SgdAlternate extends Optimizer {
 *   SgdAlternate(Iterable<? extends Tensor> params, double lr, double momentum) {
 *     super(params, Map.of("lr", lr, "momentum", momentum));
 *   }
 *   @Override protected Tensor update(Closure closure) {
 *     for (ParamGroup pg : paramGroups())
 *       for (Tensor p : pg.params()) {
 *         if (p.grad() == null) continue;
 *         Map<String, Object> state = state(p);
 *         Tensor m = (Tensor) state.get("momentum_buffer");
 *         if (m != null) m.mul_(pg.getDouble("momentum")).add_(p.grad().mul(pg.getDouble("lr")));
 *         else state.put("momentum_buffer", m = p.grad().mul(pg.getDouble("lr")));
 *         p.sub_(m);
 *       }
 *     return null;
 *   }
 * }
 * }</pre>
 *
 * <p>Errors carry PyTorch's messages, with {@code ValueError}/{@code TypeError} as
 * {@link IllegalArgumentException} and {@code RuntimeError}/{@code KeyError} as {@link IllegalStateException}.
 * The duplicate-parameter warning goes to the {@link System.Logger} named after this class. Not thread-safe,
 * like PyTorch's; the global step hooks may be registered from any thread.
 *
 * <p>Differences from PyTorch: {@link #state(Tensor)} accepts only this optimizer's parameters (PyTorch's
 * {@code defaultdict} takes any key); {@link #stateDict()} copies each per-parameter map (the tensors in it
 * are the live state tensors, as in PyTorch); {@link #loadStateDict} validates the whole state dict before
 * changing anything and updates the existing {@link ParamGroup} objects in place; defaults given in an
 * unordered map (such as {@code Map.of}) are ordered by key.
 */
public abstract class Optimizer {
  /**
   * The default of a hyper-parameter that every group must set, PyTorch's {@code required}: a group without
   * it is rejected by {@link #addParamGroup}.
   */
  public static final Object REQUIRED = new Object() {
    @Override
    public String toString() {
      return "<required parameter>";
    }
  };

  static final String DUPLICATE_PARAMS_WARNING = "optimizer contains a parameter group with duplicate parameters; "
      + "in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information";

  private static final System.Logger LOG = System.getLogger(Optimizer.class.getName());
  private static final HookList<StepPreHook> GLOBAL_STEP_PRE_HOOKS = new HookList<>();
  private static final HookList<StepPostHook> GLOBAL_STEP_POST_HOOKS = new HookList<>();

  private final LinkedHashMap<String, Object> defaults;
  private final List<ParamGroup> paramGroups = new ArrayList<>();
  private final List<ParamGroup> paramGroupsView = Collections.unmodifiableList(paramGroups);
  /** Each parameter's key into {@link #state}, made once so that looking a state up allocates nothing. */
  private final Map<Tensor, ParamKey> paramKeys = new IdentityHashMap<>();
  /** Per-parameter state under {@link ParamKey}s, and entries of unknown ids kept from a loaded state dict. */
  private final LinkedHashMap<Object, Object> state = new LinkedHashMap<>();
  private final HookList<StepPreHook> stepPreHooks = new HookList<>();
  private final HookList<StepPostHook> stepPostHooks = new HookList<>();
  private final HookList<StateDictPreHook> stateDictPreHooks = new HookList<>();
  private final HookList<StateDictPostHook> stateDictPostHooks = new HookList<>();
  private final HookList<LoadStateDictPreHook> loadStateDictPreHooks = new HookList<>();
  private final HookList<LoadStateDictPostHook> loadStateDictPostHooks = new HookList<>();
  private long stepCount;

  /** Runs before each step: {@code hook(optimizer, closure)}; a non-null result replaces the closure. */
  @FunctionalInterface
  public interface StepPreHook {
    /** Called before the update; returns a replacement closure, or null to keep {@code closure}. */
    Closure call(Optimizer optimizer, Closure closure);
  }

  /** Runs after each step: {@code hook(optimizer, closure)}. */
  @FunctionalInterface
  public interface StepPostHook {
    /** Called after the update with the closure the step ran. */
    void call(Optimizer optimizer, Closure closure);
  }

  /** Runs when {@link #stateDict()} starts. */
  @FunctionalInterface
  public interface StateDictPreHook {
    /** Called before the state dict is built. */
    void call(Optimizer optimizer);
  }

  /** Runs when {@link #stateDict()} has built the state dict; a non-null result replaces it. */
  @FunctionalInterface
  public interface StateDictPostHook {
    /** Called with the state dict; returns a replacement or null. */
    Map<String, Object> call(Optimizer optimizer, Map<String, Object> stateDict);
  }

  /** Runs when {@link #loadStateDict} starts, with a shallow copy of the argument; a non-null result is loaded instead. */
  @FunctionalInterface
  public interface LoadStateDictPreHook {
    /** Called with the (modifiable) shallow copy; returns a replacement or null. */
    Map<String, ?> call(Optimizer optimizer, Map<String, Object> stateDict);
  }

  /** Runs when {@link #loadStateDict} has installed the loaded state. */
  @FunctionalInterface
  public interface LoadStateDictPostHook {
    /** Called after loading. */
    void call(Optimizer optimizer);
  }

  /**
   * Creates an optimizer of {@code params}: tensors (one group), {@link ParamGroup}s, or name-tensor
   * {@link Map.Entry entries} (PyTorch's {@code named_parameters()}), checked at run time with PyTorch's
   * errors. A {@link java.util.Set} is accepted here (PyTorch's quirk), not inside a group.
   *
   * @param defaults each hyper-parameter with its default ({@link #REQUIRED} for one without); null values
   *     stand for Python's {@code None}
   * @throws IllegalArgumentException for an empty {@code params} ({@code "optimizer got an empty parameter
   *     list"}) and for everything {@link #addParamGroup} rejects
   */
  protected Optimizer(Iterable<?> params, Map<String, ?> defaults) {
    Objects.requireNonNull(params, "params");
    this.defaults = ordered(Objects.requireNonNull(defaults, "defaults"));
    List<Object> items = new ArrayList<>();
    for (Object item : params) {
      items.add(item);
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException("optimizer got an empty parameter list");
    }
    if (items.get(0) instanceof ParamGroup) {
      for (Object item : items) {
        if (!(item instanceof ParamGroup)) {
          throw new IllegalArgumentException("param_group must be a ParamGroup, but got " + typeName(item));
        }
        addParamGroup((ParamGroup) item);
      }
    } else {
      addParamGroup(new ParamGroup(items));
    }
  }

  /**
   * Creates an optimizer of named parameters (one group whose {@code param_names} are the keys, in the map's
   * iteration order: pass an ordered map).
   */
  protected Optimizer(Map<String, ? extends Tensor> namedParams, Map<String, ?> defaults) {
    this(entries(namedParams), defaults);
  }

  private static List<Object> entries(Map<String, ? extends Tensor> namedParams) {
    List<Object> items = new ArrayList<>();
    for (Map.Entry<String, ? extends Tensor> e : Objects.requireNonNull(namedParams, "namedParams").entrySet()) {
      items.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
    }
    return items;
  }

  private static LinkedHashMap<String, Object> ordered(Map<String, ?> defaults) {
    Map<String, ?> source = defaults instanceof LinkedHashMap || defaults instanceof SortedMap
        ? defaults : new TreeMap<>(defaults);
    return new LinkedHashMap<>(source);
  }

  // ---------------------------------------------------------------------------------------------
  // Step

  /** Performs one optimization step without a closure; returns null. */
  public final Tensor step() {
    return step(null);
  }

  /**
   * Performs one optimization step: runs the global then this optimizer's step pre-hooks, then
   * {@link #update} under {@code GradMode.noGrad()} with the closure wrapped to run under
   * {@code GradMode.enableGrad()}, counts the step, then runs this optimizer's then the global post-hooks.
   *
   * @param closure re-evaluates the model and returns the loss, or null
   * @return what {@link #update} returns: the closure's loss, or null
   */
  public final Tensor step(Closure closure) {
    Closure args = closure;
    List<StepPreHook> preHooks = concat(GLOBAL_STEP_PRE_HOOKS.snapshot(), stepPreHooks.snapshot());
    for (int i = 0; i < preHooks.size(); i++) {
      Closure replaced = preHooks.get(i).call(this, args);
      if (replaced != null) {
        args = replaced;
      }
    }
    Closure user = args;
    Closure wrapped = user == null ? null : () -> {
      GradMode.Scope enabled = GradMode.enableGrad();
      try {
        return user.call();
      } finally {
        enabled.close();
      }
    };
    Tensor loss;
    boolean gradEnabled = GradMode.isEnabled(); // not GradMode.noGrad(): a step allocates nothing
    GradMode.setEnabled(false);
    try {
      loss = update(wrapped);
    } finally {
      GradMode.setEnabled(gradEnabled);
    }
    stepCount++;
    List<StepPostHook> postHooks = concat(stepPostHooks.snapshot(), GLOBAL_STEP_POST_HOOKS.snapshot());
    for (int i = 0; i < postHooks.size(); i++) {
      postHooks.get(i).call(this, args);
    }
    return loss;
  }

  /**
   * Updates the parameters once (PyTorch's {@code step} body). Runs under {@code GradMode.noGrad()}; calls
   * {@code closure} (which re-enables grad) if it is not null and returns its loss.
   */
  protected abstract Tensor update(Closure closure);

  /** The number of completed {@link #step} calls. */
  public final long stepCount() {
    return stepCount;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    if (a.isEmpty()) {
      return b;
    }
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  // ---------------------------------------------------------------------------------------------
  // Parameter groups

  /** The parameter groups, live (an unmodifiable list of the groups themselves). */
  public final List<ParamGroup> paramGroups() {
    return paramGroupsView;
  }

  /** The defaults every group starts from, in their order (an unmodifiable live view). */
  public final Map<String, Object> defaults() {
    return Collections.unmodifiableMap(defaults);
  }

  /**
   * Adds a parameter group, PyTorch's {@code add_param_group}: fills in every default the group does not set
   * and makes {@code group} one of this optimizer's live groups. Checks in PyTorch's order; nothing changes
   * when a check fails.
   *
   * @throws IllegalArgumentException with PyTorch's message for a non-tensor parameter, a non-leaf tensor, a
   *     missing {@link #REQUIRED} option, named and unnamed parameters mixed in the group or across groups,
   *     or a parameter already in another group
   */
  public final void addParamGroup(ParamGroup group) {
    if (group == null) {
      throw new IllegalArgumentException("param_group must be a ParamGroup, but got None");
    }
    List<Object> tensors = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Object item : group.items()) {
      if (item instanceof Map.Entry<?, ?> e) {
        names.add(String.valueOf(e.getKey()));
        tensors.add(e.getValue());
      } else {
        tensors.add(item);
      }
    }
    if (!names.isEmpty() && names.size() != tensors.size()) {
      throw new IllegalArgumentException(
          "all optimizer params should be with/without names. Some param names are missing");
    }
    List<Tensor> params = new ArrayList<>();
    for (Object t : tensors) {
      if (!(t instanceof Tensor)) {
        throw new IllegalArgumentException("optimizer can only optimize Tensors, but one of the params is "
            + typeName(t));
      }
      Tensor p = (Tensor) t;
      if (!Scalars.truthy(defaults.get("differentiable")) && !(p.isLeaf() || p.retainsGrad())) {
        throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
      }
      params.add(p);
    }
    LinkedHashMap<String, Object> merged = new LinkedHashMap<>(group.options());
    if (!names.isEmpty()) {
      merged.put("param_names", List.copyOf(names));
    }
    for (Map.Entry<String, Object> d : defaults.entrySet()) {
      if (d.getValue() == REQUIRED && !merged.containsKey(d.getKey())) {
        throw new IllegalArgumentException("parameter group didn't specify a value of required optimization parameter "
            + d.getKey());
      }
      if (!merged.containsKey(d.getKey())) {
        merged.put(d.getKey(), d.getValue());
      }
    }
    Map<Tensor, Boolean> distinct = new IdentityHashMap<>();
    for (Tensor p : params) {
      distinct.put(p, Boolean.TRUE);
    }
    if (distinct.size() != params.size()) {
      LOG.log(System.Logger.Level.WARNING, DUPLICATE_PARAMS_WARNING);
    }
    boolean named = merged.containsKey("param_names");
    for (ParamGroup g : paramGroups) {
      if (named != g.containsKey("param_names")) {
        throw new IllegalArgumentException("all optimizer param groups should be with/without names. cannot add param "
            + "group " + (named ? "with names" : "without names") + " to the optimizer");
      }
    }
    for (Tensor p : params) {
      if (paramKeys.containsKey(p)) {
        throw new IllegalArgumentException("some parameters appear in more than one parameter group");
      }
    }
    group.attach(params, merged);
    paramGroups.add(group);
    for (Tensor p : params) {
      paramKeys.put(p, new ParamKey(p));
    }
  }

  private static String typeName(Object o) {
    return o == null ? "None" : o.getClass().getName();
  }

  // ---------------------------------------------------------------------------------------------
  // State

  /**
   * The state of parameter {@code p}, created empty on first access (PyTorch's {@code defaultdict}): a live,
   * modifiable map from PyTorch's state keys ({@code "step"}, {@code "exp_avg"}, {@code "momentum_buffer"},
   * ...) to values. Replacing a state tensor here takes effect at the next step.
   *
   * @throws IllegalArgumentException if {@code p} is not a parameter of this optimizer
   */
  @SuppressWarnings("unchecked") // the values under ParamKeys are always maps created here or by StateDicts
  public final Map<String, Object> state(Tensor p) {
    Objects.requireNonNull(p, "p");
    ParamKey key = paramKeys.get(p);
    if (key == null) {
      throw new IllegalArgumentException("the tensor is not a parameter of this optimizer");
    }
    Object s = state.get(key);
    if (s == null) {
      s = new LinkedHashMap<String, Object>();
      state.put(key, s);
    }
    return (Map<String, Object>) s;
  }

  /**
   * Resets the gradients of all parameters to null (PyTorch's default {@code set_to_none=True}); see
   * {@link #zeroGrad(boolean)}.
   */
  public final void zeroGrad() {
    zeroGrad(true);
  }

  /**
   * Resets the gradients of all parameters: to null with {@code setToNone}, otherwise to zeros in place
   * (a gradient that is part of a graph is detached first; a sparse gradient becomes an empty sparse tensor).
   */
  public final void zeroGrad(boolean setToNone) {
    GradMode.Scope disabled = GradMode.noGrad();
    try {
      for (ParamGroup group : paramGroups) {
        for (Tensor p : group.params()) {
          Tensor g = p.grad();
          if (g == null) {
            continue;
          }
          if (setToNone) {
            p.setGrad(null);
          } else if (g.isSparse()) {
            p.setGrad(emptySparseLike(g));
          } else {
            if (g.gradFn() != null) {
              g = g.detach();
              p.setGrad(g);
            } else if (g.requiresGrad()) {
              g.requiresGrad_(false);
            }
            g.zero_();
          }
        }
      }
    } finally {
      disabled.close();
    }
  }

  private static Tensor emptySparseLike(Tensor g) {
    int[] valueShape = g.values().shape();
    valueShape[0] = 0;
    Tensor indices = Tensor.zeros(DType.INT64, g.indices().size(0), 0);
    return Tensor.sparseCoo(indices, Tensor.zeros(g.dtype(), valueShape), g.shape());
  }

  // ---------------------------------------------------------------------------------------------
  // State dict

  /**
   * The state of the optimizer in PyTorch's layout: {@code "state"} maps integer ids (counted over the
   * groups' parameters in order) to each parameter's state, {@code "param_groups"} lists the groups' options
   * with {@code "params"} as lists of ids (last). State tensors are the live tensors; maps and lists are
   * copies. Runs the state-dict pre-hooks first and the post-hooks last.
   */
  public final Map<String, Object> stateDict() {
    for (StateDictPreHook hook : stateDictPreHooks.snapshot()) {
      hook.call(this);
    }
    Map<String, Object> sd = StateDicts.pack(paramGroups, state);
    for (StateDictPostHook hook : stateDictPostHooks.snapshot()) {
      Map<String, Object> replaced = hook.call(this, sd);
      if (replaced != null) {
        sd = replaced;
      }
    }
    return sd;
  }

  /**
   * Loads a state dict made by {@link #stateDict()} (here or by PyTorch, converted to Java values), as
   * PyTorch's {@code load_state_dict}: groups and parameters are matched by position; each group takes the
   * loaded options; state tensors are cast to their parameter's dtype, except {@code "step"} (cast to float32
   * only when the group is {@code capturable} or {@code fused}); state under unknown ids is kept as it is.
   * Then {@link #setState} fills what old checkpoints lack. Everything is checked before anything changes.
   *
   * @throws IllegalArgumentException {@code "loaded state dict has a different number of parameter groups"},
   *     {@code "loaded state dict contains a parameter group that doesn't match the size of optimizer's
   *     group"}, or for values of the wrong type
   * @throws IllegalStateException for a missing key ({@code 'param_groups'}, {@code 'state'}, {@code 'params'})
   */
  public final void loadStateDict(Map<String, ?> stateDict) {
    Map<String, Object> sd = new LinkedHashMap<>(Objects.requireNonNull(stateDict, "stateDict"));
    for (LoadStateDictPreHook hook : loadStateDictPreHooks.snapshot()) {
      Map<String, ?> replaced = hook.call(this, sd);
      if (replaced != null) {
        sd = new LinkedHashMap<>(replaced);
      }
    }
    StateDicts.Loaded loaded = StateDicts.unpack(sd, paramGroups);
    setState(loaded.groups(), loaded.byParam());
    for (int i = 0; i < paramGroups.size(); i++) {
      paramGroups.get(i).replaceOptions(loaded.groups().get(i).options());
    }
    state.clear();
    state.putAll(loaded.state());
    if (!defaults.containsKey("differentiable")) {
      defaults.put("differentiable", false);
    }
    for (LoadStateDictPostHook hook : loadStateDictPostHooks.snapshot()) {
      hook.call(this);
    }
  }

  /**
   * PyTorch's {@code __setstate__}: called by {@link #loadStateDict} with the loaded groups and the loaded
   * per-parameter state before they are installed, to fill in options that old checkpoints lack and convert
   * old state (a plain-number {@code step}, for example). Modify the arguments in place; throw to reject the
   * state dict, which leaves the optimizer unchanged. The default does nothing.
   *
   * @param groups the groups to install, in order (their {@link ParamGroup#params()} are this optimizer's)
   * @param state the state to install, by parameter
   */
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {}

  // ---------------------------------------------------------------------------------------------
  // Hooks

  /** Registers a step pre-hook of this optimizer (runs after the global ones). */
  public final RemovableHandle registerStepPreHook(StepPreHook hook) {
    return stepPreHooks.add(hook, false);
  }

  /** Registers a step post-hook of this optimizer (runs before the global ones). */
  public final RemovableHandle registerStepPostHook(StepPostHook hook) {
    return stepPostHooks.add(hook, false);
  }

  /** Registers a state-dict pre-hook; with {@code prepend} it runs before those already registered. */
  public final RemovableHandle registerStateDictPreHook(StateDictPreHook hook, boolean prepend) {
    return stateDictPreHooks.add(hook, prepend);
  }

  /** Registers a state-dict pre-hook after those already registered. */
  public final RemovableHandle registerStateDictPreHook(StateDictPreHook hook) {
    return registerStateDictPreHook(hook, false);
  }

  /** Registers a state-dict post-hook; with {@code prepend} it runs before those already registered. */
  public final RemovableHandle registerStateDictPostHook(StateDictPostHook hook, boolean prepend) {
    return stateDictPostHooks.add(hook, prepend);
  }

  /** Registers a state-dict post-hook after those already registered. */
  public final RemovableHandle registerStateDictPostHook(StateDictPostHook hook) {
    return registerStateDictPostHook(hook, false);
  }

  /** Registers a load-state-dict pre-hook; with {@code prepend} it runs before those already registered. */
  public final RemovableHandle registerLoadStateDictPreHook(LoadStateDictPreHook hook, boolean prepend) {
    return loadStateDictPreHooks.add(hook, prepend);
  }

  /** Registers a load-state-dict pre-hook after those already registered. */
  public final RemovableHandle registerLoadStateDictPreHook(LoadStateDictPreHook hook) {
    return registerLoadStateDictPreHook(hook, false);
  }

  /** Registers a load-state-dict post-hook; with {@code prepend} it runs before those already registered. */
  public final RemovableHandle registerLoadStateDictPostHook(LoadStateDictPostHook hook, boolean prepend) {
    return loadStateDictPostHooks.add(hook, prepend);
  }

  /** Registers a load-state-dict post-hook after those already registered. */
  public final RemovableHandle registerLoadStateDictPostHook(LoadStateDictPostHook hook) {
    return registerLoadStateDictPostHook(hook, false);
  }

  /**
   * Registers a step pre-hook for every optimizer, PyTorch's {@code register_optimizer_step_pre_hook}
   * (global hooks run before each optimizer's own).
   */
  public static RemovableHandle registerOptimizerStepPreHook(StepPreHook hook) {
    return GLOBAL_STEP_PRE_HOOKS.add(hook, false);
  }

  /**
   * Registers a step post-hook for every optimizer, PyTorch's {@code register_optimizer_step_post_hook}
   * (global hooks run after each optimizer's own).
   */
  public static RemovableHandle registerOptimizerStepPostHook(StepPostHook hook) {
    return GLOBAL_STEP_POST_HOOKS.add(hook, false);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * PyTorch's {@code repr}: the class name, then each group's options sorted by key ({@code params}
   * omitted), with Python's spellings ({@code 1e-08}, {@code False}, {@code None}, {@code (0.9, 0.999)}).
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
    for (int i = 0; i < paramGroups.size(); i++) {
      ParamGroup g = paramGroups.get(i);
      sb.append('\n').append("Parameter Group ").append(i).append('\n');
      for (Map.Entry<String, Object> e : new TreeMap<>(g.options()).entrySet()) {
        sb.append("    ").append(e.getKey()).append(": ").append(PyFormat.strOption(e.getKey(), e.getValue()))
            .append('\n');
      }
    }
    return sb.append(')').toString();
  }

  /** A parameter as a key of the state map: compared by identity, as PyTorch keys state by tensor object. */
  record ParamKey(Tensor tensor) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ParamKey k && k.tensor == tensor;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(tensor);
    }
  }
}
