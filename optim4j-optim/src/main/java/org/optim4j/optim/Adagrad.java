package org.optim4j.optim;

import static org.optim4j.optim.OptionSpec.Kind.BOOL;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT_OR_TENSOR;
import static org.optim4j.optim.OptionSpec.Kind.OPTIONAL_BOOL;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.AdagradStep;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.Segments;
import org.optim4j.tensor.Tensor;

/**
 * Adagrad, per-element steps scaled by the accumulated squared gradients, PyTorch's {@code torch.optim.Adagrad};
 * accepts sparse COO gradients.
 *
 * <pre>
 * input: γ (lr), θ₀ (params), f(θ) (objective), λ (weight decay), τ (initial accumulator value), η (lr decay)
 * initialize: state_sum₀ ← τ
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     γ̃ ← γ / (1 + (t − 1) η)
 *     if λ ≠ 0:   g_t ← g_t + λ θ_{t−1}
 *     state_sum_t ← state_sum_{t−1} + g_t²
 *     θ_t ← θ_{t−1} − γ̃ g_t / (√state_sum_t + ε)
 * return θ_t
 * </pre>
 *
 * <p>The state is created <em>eagerly</em>, as PyTorch's constructor does: right after construction every
 * parameter of the initial groups has {@code step} (a 0-dim float32 tensor, 0) and {@code sum} (the parameter's
 * dtype, filled with the constructor's {@code initial_accumulator_value}; a group's own value is ignored, as in
 * PyTorch). A group added later with {@link #addParamGroup} gets its state at its first gradient, filled with
 * {@code defaults().get("initial_accumulator_value")} (PyTorch's quirk, kept). γ̃ is computed in double
 * precision from the step count, once per parameter and step.
 *
 * <p>A sparse COO gradient takes PyTorch's sparse branch: the gradient is coalesced, {@code sum} grows by the
 * squared values at its indices only, and only those elements of the parameter move, by
 * {@code −γ̃ · g / (√sum + ε)}. Weight decay cannot be combined with a sparse gradient
 * ({@code "weight_decay option is not compatible with sparse gradients"}), nor can {@code fused}
 * ({@code "`fused` does not support sparse grad or complex param"}).
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.01</td><td>learning rate γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>lr_decay</td><td>{@link Options#lrDecay}</td><td>0</td><td>learning-rate decay η</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0</td><td>L2 penalty λ</td></tr>
 * <tr><td>initial_accumulator_value</td><td>{@link Options#initialAccumulatorValue}</td><td>0</td><td>τ, the initial value of {@code sum}</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>1e-10</td><td>ε, added to √sum</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * <tr><td>fused</td><td>{@link Options#fused}</td><td>null</td><td>PyTorch's fused kernel; accepted, same maths</td></tr>
 * </table>
 *
 * <p>Paper: Duchi, Hazan and Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 12, 2011.
 *
 * <p>Differences from PyTorch: {@code foreach} and {@code fused} choose a path, not the maths: every path computes
 * PyTorch's single-tensor arithmetic bit for bit. By default each group is updated by one multi-tensor kernel call
 * over all its parameters, split across threads; {@code foreach=False}, or a group with views, sparse gradients or
 * dtypes other than float32 and float64, takes the per-tensor path of {@link
 * org.optim4j.optim.functional.Functional}. PyTorch's fused CPU kernel may differ from it in the last bit in
 * float32. {@code differentiable=true} throws {@link UnsupportedOperationException}; a sparse gradient that cannot
 * be applied (with weight decay or {@code fused}) is rejected before any parameter is updated (PyTorch has updated
 * the groups before and counted the step of the failing parameter); PyTorch's {@code share_memory()} has no
 * counterpart.
 */
public class Adagrad extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("Adagrad")
      .add("lr", FLOAT_OR_TENSOR, 1e-2)
      .add("lr_decay", FLOAT, 0)
      .add("weight_decay", FLOAT, 0)
      .add("initial_accumulator_value", FLOAT, 0)
      .add("eps", FLOAT, 1e-10)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("maximize", BOOL, false)
      .add("differentiable", BOOL, false)
      .add("fused", OPTIONAL_BOOL, null);

  private final Segments segments = new Segments(AdagradStep.SCALARS, false);
  private final AdagradStep adagradStep = new AdagradStep();

  /** Adagrad of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public Adagrad(Iterable<?> params) {
    this(params, options());
  }

  /**
   * Adagrad of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries), with the state of every
   * parameter created.
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks)
   * @throws IllegalStateException when {@code fused} is combined with {@code foreach} or {@code differentiable}
   * @throws UnsupportedOperationException for {@code differentiable=true}
   */
  public Adagrad(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), true);
    initState();
  }

  /** Adagrad of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public Adagrad(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), true);
    initState();
  }

  /** A fresh set of options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  private static Map<String, Object> validated(Map<String, Object> values) {
    ClassicSupport.checkLr(values.get("lr"));
    ClassicSupport.checkNonNegative(values, "lr_decay", "lr_decay");
    ClassicSupport.checkNonNegative(values, "weight_decay", "weight_decay");
    ClassicSupport.checkNonNegative(values, "initial_accumulator_value", "initial_accumulator_value");
    ClassicSupport.checkNonNegative(values, "eps", "epsilon");
    return ClassicSupport.ordered(values, "lr", "lr_decay", "eps", "weight_decay", "initial_accumulator_value",
        "foreach", "maximize", "differentiable", "fused");
  }

  /** PyTorch's eager state: {@code step} 0 and {@code sum} filled with the constructor's initial value. */
  private void initState() {
    for (ParamGroup group : paramGroups()) {
      for (Tensor p : group.params()) {
        newState(p, state(p));
      }
    }
  }

  private void newState(Tensor p, Map<String, Object> state) {
    state.put("step", Tensor.scalar(0.0));
    state.put("sum", Tensor.fullLike(p,
        Scalars.value("initial_accumulator_value", defaults().get("initial_accumulator_value"))));
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    checkSparse();
    List<ParamGroup> groups = paramGroups();
    for (int gi = 0; gi < groups.size(); gi++) {
      ParamGroup group = groups.get(gi);
      ClassicSupport.checkNotDifferentiable(group);
      segments.clear(group.distinctArrays());
      List<Tensor> params = group.params();
      for (int i = 0; i < params.size(); i++) {
        Tensor p = params.get(i);
        if (p.grad() == null) {
          continue;
        }
        Map<String, Object> state = state(p);
        if (state.isEmpty()) {
          newState(p, state);
        }
        Tensor sum = ClassicSupport.stateTensor(state, "sum");
        segments.add(p, p.grad(), sum, null, null, ClassicSupport.stateTensor(state, "step"));
      }
      if (group.multiTensor() && segments.fast()) {
        adagradStep.step(segments, group.get("lr"), group.getDouble("weight_decay"), group.getDouble("lr_decay"),
            group.getDouble("eps"), group.getBoolean("maximize"));
      } else {
        Functional.adagrad(segments.list(Segments.PARAM), segments.list(Segments.GRAD), segments.list(Segments.A),
            segments.list(Segments.STEP), group.get("lr"), group.getDouble("weight_decay"), group.getDouble("lr_decay"),
            group.getDouble("eps"), group.getBoolean("maximize"));
      }
      segments.clear(true);
    }
    return loss;
  }

  /** PyTorch's errors for a sparse gradient that cannot be applied, before anything is updated. */
  private void checkSparse() {
    List<ParamGroup> groups = paramGroups();
    for (int g = 0; g < groups.size(); g++) {
      ParamGroup group = groups.get(g);
      List<Tensor> params = group.params();
      for (int i = 0; i < params.size(); i++) {
        Tensor p = params.get(i);
        if (p.grad() == null || !p.grad().isSparse()) {
          continue;
        }
        if (group.getBoolean("fused")) {
          throw new IllegalStateException("`fused` does not support sparse grad or complex param");
        }
        if (group.getDouble("weight_decay") != 0) {
          throw new IllegalStateException("weight_decay option is not compatible with sparse gradients");
        }
      }
    }
  }

  /**
   * Fills the options that old checkpoints lack and turns a plain-number {@code step} into a 0-dim float32
   * tensor, as PyTorch's {@code Adagrad.__setstate__}.
   *
   * @throws IllegalStateException {@code 'step'} for a non-empty state without a step
   */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      ClassicSupport.setDefaults(g, "foreach", null, "maximize", false, "differentiable", false, "fused", null);
    }
    ClassicSupport.convertSteps(groups, state);
  }

  /** Adagrad's construction options (in the order of PyTorch's signature); each setter returns this. */
  public static final class Options {
    private final LinkedHashMap<String, Object> values = SPEC.defaults();

    Options() {}

    /** The options given as PyTorch keyword arguments (keys checked, with the list of valid ones). */
    static Options fromMap(Map<String, ?> kwargs) {
      Options o = new Options();
      o.values.putAll(SPEC.parse(kwargs));
      return o;
    }

    private Options put(String key, Object value) {
      values.put(key, SPEC.check(key, value));
      return this;
    }

    /** Learning rate (default 1e-2). */
    public Options lr(double lr) {
      return put("lr", lr);
    }

    /** Learning rate as a one-element tensor. */
    public Options lr(Tensor lr) {
      return put("lr", lr);
    }

    /** Learning-rate decay (default 0). */
    public Options lrDecay(double lrDecay) {
      return put("lr_decay", lrDecay);
    }

    /** L2 penalty (default 0); not compatible with sparse gradients. */
    public Options weightDecay(double weightDecay) {
      return put("weight_decay", weightDecay);
    }

    /** Initial value of the sum of squared gradients (default 0). */
    public Options initialAccumulatorValue(double initialAccumulatorValue) {
      return put("initial_accumulator_value", initialAccumulatorValue);
    }

    /** Term added to the denominator (default 1e-10). */
    public Options eps(double eps) {
      return put("eps", eps);
    }

    /** Null or true (default null): the multi-tensor path; false: the per-tensor path; same bits either way. */
    public Options foreach(Boolean foreach) {
      return put("foreach", foreach);
    }

    /** Maximize the objective (default false). */
    public Options maximize(boolean maximize) {
      return put("maximize", maximize);
    }

    /** Must stay false (the default). */
    public Options differentiable(boolean differentiable) {
      return put("differentiable", differentiable);
    }

    /** PyTorch's fused flag (default null); accepted, same maths (not with sparse gradients). */
    public Options fused(Boolean fused) {
      return put("fused", fused);
    }

    Map<String, Object> values() {
      return new LinkedHashMap<>(values);
    }

    /** The options as PyTorch keyword arguments. */
    @Override
    public String toString() {
      return PyFormat.repr(values);
    }
  }
}
