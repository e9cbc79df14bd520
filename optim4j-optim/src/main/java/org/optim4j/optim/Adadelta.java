package org.optim4j.optim;

import static org.optim4j.optim.OptionSpec.Kind.BOOL;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT_OR_TENSOR;
import static org.optim4j.optim.OptionSpec.Kind.OPTIONAL_BOOL;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.AdadeltaStep;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.Segments;
import org.optim4j.tensor.Tensor;

/**
 * Adadelta, an adaptive step from running averages of squared gradients and squared updates, PyTorch's
 * {@code torch.optim.Adadelta}.
 *
 * <pre>
 * input: γ (lr), θ₀ (params), f(θ) (objective), ρ (decay), λ (weight decay)
 * initialize: v₀ ← 0 (square avg), u₀ ← 0 (accumulate variables)
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     if λ ≠ 0:   g_t ← g_t + λ θ_{t−1}
 *     v_t ← v_{t−1} ρ + g_t² (1 − ρ)
 *     Δx_t ← √(u_{t−1} + ε) / √(v_t + ε) · g_t
 *     u_t ← u_{t−1} ρ + Δx_t² (1 − ρ)
 *     θ_t ← θ_{t−1} − γ Δx_t
 * return θ_t
 * </pre>
 *
 * <p>As in PyTorch's code, Δx is computed as {@code sqrt(u + ε).div_(sqrt(v + ε)).mul_(g)} (two roundings) and
 * the averages with {@code mul_(ρ).addcmul_(x, x, value=1 − ρ)}. The {@code step} state only counts steps.
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>1.0</td><td>coefficient γ that scales Δx; a Number or a one-element Tensor</td></tr>
 * <tr><td>rho</td><td>{@link Options#rho}</td><td>0.9</td><td>decay ρ of the running averages, in [0, 1]</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>1e-06</td><td>ε, added inside both square roots</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0</td><td>L2 penalty λ</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>capturable</td><td>{@link Options#capturable}</td><td>false</td><td>CUDA-graph capture; accepted, same maths</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * </table>
 *
 * <p>State, created at a parameter's first gradient: {@code step} (a 0-dim float32 tensor), {@code square_avg}
 * and {@code acc_delta} (the parameter's dtype). Sparse gradients are rejected
 * ({@code "Adadelta does not support sparse gradients"}).
 *
 * <p>Paper: Zeiler, "ADADELTA: An Adaptive Learning Rate Method", 2012 (arXiv:1212.5701).
 *
 * <p>Differences from PyTorch: {@code foreach} and {@code capturable} choose a path, not the maths: every path
 * computes PyTorch's single-tensor arithmetic bit for bit. By default each group is updated by one multi-tensor
 * kernel call over all its parameters, split across threads; {@code foreach=False}, or a group with views, sparse
 * gradients or dtypes other than float32 and float64, takes the per-tensor path of {@link
 * org.optim4j.optim.functional.Functional}. PyTorch refuses {@code capturable=True} for CPU tensors at the first
 * step. {@code differentiable=true} throws {@link UnsupportedOperationException}; a sparse gradient is rejected
 * before any group is updated.
 */
public class Adadelta extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("Adadelta")
      .add("lr", FLOAT_OR_TENSOR, 1.0)
      .add("rho", FLOAT, 0.9)
      .add("eps", FLOAT, 1e-6)
      .add("weight_decay", FLOAT, 0)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("capturable", BOOL, false)
      .add("maximize", BOOL, false)
      .add("differentiable", BOOL, false);

  private final Segments segments = new Segments(AdadeltaStep.SCALARS, false);
  private final AdadeltaStep adadeltaStep = new AdadeltaStep();

  /** Adadelta of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public Adadelta(Iterable<?> params) {
    this(params, options());
  }

  /**
   * Adadelta of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks)
   * @throws UnsupportedOperationException for {@code differentiable=true}
   */
  public Adadelta(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), false);
  }

  /** Adadelta of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public Adadelta(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), false);
  }

  /** A fresh set of options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  /** PyTorch's group order: lr, rho, eps, weight_decay, maximize, capturable, foreach, differentiable. */
  private static Map<String, Object> validated(Map<String, Object> values) {
    ClassicSupport.checkLr(values.get("lr"));
    double rho = Scalars.value("rho", values.get("rho"));
    if (!(0 <= rho && rho <= 1)) {
      throw new IllegalArgumentException("Invalid rho value: " + PyFormat.str(values.get("rho")));
    }
    ClassicSupport.checkNonNegative(values, "eps", "epsilon");
    ClassicSupport.checkNonNegative(values, "weight_decay", "weight_decay");
    return ClassicSupport.ordered(values, "lr", "rho", "eps", "weight_decay", "maximize", "capturable", "foreach",
        "differentiable");
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    ClassicSupport.rejectSparse(paramGroups(), "Adadelta");
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
          state.put("step", Tensor.scalar(0.0));
          state.put("square_avg", Tensor.zerosLike(p));
          state.put("acc_delta", Tensor.zerosLike(p));
        }
        Tensor squareAvg = ClassicSupport.stateTensor(state, "square_avg");
        Tensor accDelta = ClassicSupport.stateTensor(state, "acc_delta");
        segments.add(p, p.grad(), squareAvg, accDelta, null, ClassicSupport.stateTensor(state, "step"));
      }
      if (group.multiTensor() && segments.fast()) {
        adadeltaStep.step(segments, group.get("lr"), group.getDouble("rho"), group.getDouble("eps"),
            group.getDouble("weight_decay"), group.getBoolean("maximize"));
      } else {
        Functional.adadelta(segments.list(Segments.PARAM), segments.list(Segments.GRAD), segments.list(Segments.A),
            segments.list(Segments.B), segments.list(Segments.STEP), group.get("lr"), group.getDouble("rho"),
            group.getDouble("eps"), group.getDouble("weight_decay"), group.getBoolean("maximize"));
      }
      segments.clear(true);
    }
    return loss;
  }

  /**
   * Fills the options that old checkpoints lack and turns a plain-number {@code step} into a 0-dim float32
   * tensor, as PyTorch's {@code Adadelta.__setstate__}.
   *
   * @throws IllegalStateException {@code 'step'} for a non-empty state without a step
   */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      ClassicSupport.setDefaults(g, "foreach", null, "maximize", false, "differentiable", false, "capturable", false);
    }
    ClassicSupport.convertSteps(groups, state);
  }

  /** Adadelta's construction options (in the order of PyTorch's signature); each setter returns this. */
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

    /** Coefficient that scales Δx before it is applied (default 1.0). */
    public Options lr(double lr) {
      return put("lr", lr);
    }

    /** The learning rate as a one-element tensor. */
    public Options lr(Tensor lr) {
      return put("lr", lr);
    }

    /** Decay of the running averages (default 0.9). */
    public Options rho(double rho) {
      return put("rho", rho);
    }

    /** Term added inside the square roots (default 1e-6). */
    public Options eps(double eps) {
      return put("eps", eps);
    }

    /** L2 penalty (default 0). */
    public Options weightDecay(double weightDecay) {
      return put("weight_decay", weightDecay);
    }

    /** Null or true (default null): the multi-tensor path; false: the per-tensor path; same bits either way. */
    public Options foreach(Boolean foreach) {
      return put("foreach", foreach);
    }

    /** PyTorch's CUDA-graph flag (default false); accepted, same maths. */
    public Options capturable(boolean capturable) {
      return put("capturable", capturable);
    }

    /** Maximize the objective (default false). */
    public Options maximize(boolean maximize) {
      return put("maximize", maximize);
    }

    /** Must stay false (the default). */
    public Options differentiable(boolean differentiable) {
      return put("differentiable", differentiable);
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
