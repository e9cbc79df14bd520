package org.optim4j.optim;

import static org.optim4j.optim.OptionSpec.Kind.BOOL;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT_OR_TENSOR;
import static org.optim4j.optim.OptionSpec.Kind.OPTIONAL_BOOL;
import static org.optim4j.optim.OptionSpec.Kind.PAIR;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.AdamaxStep;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.Segments;
import org.optim4j.tensor.Tensor;

/**
 * Adamax, the infinity-norm variant of Adam, PyTorch's {@code torch.optim.Adamax}.
 *
 * <pre>
 * input: γ (lr), β₁, β₂ (betas), θ₀ (params), f(θ) (objective), λ (weight decay), ε (epsilon)
 * initialize: m₀ ← 0 (first moment), u₀ ← 0 (infinity norm)
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     if λ ≠ 0:   g_t ← g_t + λ θ_{t−1}
 *     m_t ← β₁ m_{t−1} + (1 − β₁) g_t
 *     u_t ← max(β₂ u_{t−1}, |g_t| + ε)
 *     θ_t ← θ_{t−1} − γ m_t / ((1 − β₁ᵗ) u_t)
 * return θ_t
 * </pre>
 *
 * <p>As in PyTorch's code, {@code m_t} is {@code lerp(m_{t−1}, g_t, 1 − β₁)}, ε sits inside the maximum
 * ({@code torch.maximum(exp_inf.mul_(β₂), grad.abs().add_(ε))}, which propagates NaN), and the update is
 * {@code θ.addcdiv_(m_t, u_t, value=−γ / (1 − β₁ᵗ))} with the step size computed in double precision from the
 * step count, once per parameter and step.
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.002</td><td>learning rate γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>betas</td><td>{@link Options#betas}</td><td>(0.9, 0.999)</td><td>β₁ (first moment), β₂ (infinity norm)</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>1e-08</td><td>ε, added to |g| inside the maximum</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0</td><td>L2 penalty λ</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * <tr><td>capturable</td><td>{@link Options#capturable}</td><td>false</td><td>CUDA-graph capture; accepted, same maths</td></tr>
 * </table>
 *
 * <p>State, created at a parameter's first gradient: {@code step} (a 0-dim float32 tensor, incremented before
 * use), {@code exp_avg} and {@code exp_inf} (the parameter's dtype). Sparse gradients are rejected
 * ({@code "Adamax does not support sparse gradients"}).
 *
 * <p>Paper: Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015 (arXiv:1412.6980), §7.1.
 *
 * <p>Differences from PyTorch: {@code foreach} and {@code capturable} choose a path, not the maths: every path
 * computes PyTorch's single-tensor arithmetic bit for bit. By default each group is updated by one multi-tensor
 * kernel call over all its parameters, split across threads; {@code foreach=False}, or a group with views, sparse
 * gradients or dtypes other than float32 and float64, takes the per-tensor path of {@link
 * org.optim4j.optim.functional.Functional}. PyTorch refuses {@code capturable=True} for CPU tensors at the first
 * step. {@code differentiable=true} throws {@link UnsupportedOperationException}; the betas must be Numbers
 * (PyTorch's signature types them as floats); a sparse gradient is rejected before any group is updated.
 */
public class Adamax extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("Adamax")
      .add("lr", FLOAT_OR_TENSOR, 2e-3)
      .add("betas", PAIR, List.of(0.9, 0.999))
      .add("eps", FLOAT, 1e-8)
      .add("weight_decay", FLOAT, 0)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("maximize", BOOL, false)
      .add("differentiable", BOOL, false)
      .add("capturable", BOOL, false);

  private final Segments segments = new Segments(AdamaxStep.SCALARS, false);
  private final AdamaxStep adamaxStep = new AdamaxStep();

  /** Adamax of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public Adamax(Iterable<?> params) {
    this(params, options());
  }

  /**
   * Adamax of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks)
   * @throws UnsupportedOperationException for {@code differentiable=true}
   */
  public Adamax(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), false);
  }

  /** Adamax of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public Adamax(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), false);
  }

  /** A fresh set of options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  private static Map<String, Object> validated(Map<String, Object> d) {
    ClassicSupport.checkLr(d.get("lr"));
    ClassicSupport.checkNonNegative(d, "eps", "epsilon");
    List<?> betas = ClassicSupport.numberPair("Adamax", d, "betas");
    for (int i = 0; i < 2; i++) {
      double beta = Scalars.value("betas[" + i + "]", betas.get(i));
      if (!(0 <= beta && beta < 1)) {
        throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + PyFormat.str(betas.get(i)));
      }
    }
    ClassicSupport.checkNonNegative(d, "weight_decay", "weight_decay");
    return d;
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    ClassicSupport.rejectSparse(paramGroups(), "Adamax");
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
          state.put("exp_avg", Tensor.zerosLike(p));
          state.put("exp_inf", Tensor.zerosLike(p));
        }
        Tensor expAvg = ClassicSupport.stateTensor(state, "exp_avg");
        Tensor expInf = ClassicSupport.stateTensor(state, "exp_inf");
        segments.add(p, p.grad(), expAvg, expInf, null, ClassicSupport.stateTensor(state, "step"));
      }
      List<?> betas = (List<?>) group.get("betas");
      double beta1 = Scalars.value("beta1", betas.get(0));
      double beta2 = Scalars.value("beta2", betas.get(1));
      if (group.multiTensor() && segments.fast()) {
        adamaxStep.step(segments, group.getDouble("eps"), beta1, beta2, group.get("lr"),
            group.getDouble("weight_decay"), group.getBoolean("maximize"));
      } else {
        Functional.adamax(segments.list(Segments.PARAM), segments.list(Segments.GRAD), segments.list(Segments.A),
            segments.list(Segments.B), segments.list(Segments.STEP), group.getDouble("eps"), beta1, beta2,
            group.get("lr"), group.getDouble("weight_decay"), group.getBoolean("maximize"));
      }
      segments.clear(true);
    }
    return loss;
  }

  /**
   * Fills the options that old checkpoints lack and turns a plain-number {@code step} into a 0-dim float32
   * tensor, as PyTorch's {@code Adamax.__setstate__}.
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

  /** Adamax's construction options; each setter returns this. */
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

    /** Learning rate (default 2e-3). */
    public Options lr(double lr) {
      return put("lr", lr);
    }

    /** Learning rate as a one-element tensor. */
    public Options lr(Tensor lr) {
      return put("lr", lr);
    }

    /** Coefficients of the running average of the gradient and of the infinity norm (default 0.9, 0.999). */
    public Options betas(double beta1, double beta2) {
      return put("betas", List.of(beta1, beta2));
    }

    /** Term added to |g| inside the maximum (default 1e-8). */
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

    /** Maximize the objective (default false). */
    public Options maximize(boolean maximize) {
      return put("maximize", maximize);
    }

    /** Must stay false (the default). */
    public Options differentiable(boolean differentiable) {
      return put("differentiable", differentiable);
    }

    /** PyTorch's CUDA-graph flag (default false); accepted, same maths. */
    public Options capturable(boolean capturable) {
      return put("capturable", capturable);
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
