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
import org.optim4j.optim.internal.NAdamStep;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.Segments;
import org.optim4j.tensor.Tensor;

/**
 * NAdam, PyTorch's {@code torch.optim.NAdam}: Adam with Nesterov momentum and a momentum schedule, with L2 or
 * decoupled weight decay (NAdamW).
 *
 * <pre>
 * input: γ (lr), β₁, β₂ (betas), θ₀ (params), f(θ) (objective), λ (weight decay), ψ (momentum decay),
 *        decoupled_weight_decay, maximize, ε (eps)
 * initialize: m₀ ← 0 (first moment), v₀ ← 0 (second moment)
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     θ_t ← θ_{t−1}
 *     if λ ≠ 0:
 *         θ_t ← θ_{t−1} − γ λ θ_{t−1}   if decoupled_weight_decay,   else  g_t ← g_t + λ θ_{t−1}
 *     μ_t ← β₁ (1 − ½ · 0.96^(t ψ))
 *     μ_{t+1} ← β₁ (1 − ½ · 0.96^((t+1) ψ))
 *     m_t ← β₁ m_{t−1} + (1 − β₁) g_t
 *     v_t ← β₂ v_{t−1} + (1 − β₂) g_t²
 *     m̂_t ← μ_{t+1} m_t / (1 − ∏_{i=1}^{t+1} μ_i)  +  (1 − μ_t) g_t / (1 − ∏_{i=1}^{t} μ_i)
 *     v̂_t ← v_t / (1 − β₂ᵗ)
 *     θ_t ← θ_t − γ m̂_t / (√v̂_t + ε)
 * return θ_t
 * </pre>
 *
 * <p>As in PyTorch's code, the update is two {@code addcdiv_} steps with the denominator {@code √(v_t / (1 −
 * β₂ᵗ)) + ε}: first the gradient term with coefficient {@code −γ(1 − μ_t) / (1 − ∏μ)}, then the momentum term
 * with {@code −γ μ_{t+1} / (1 − ∏μ · μ_{t+1})}, both computed in double precision. The running product ∏μ is
 * the state {@code mu_product}, a 0-dim float32 tensor: each step multiplies it by μ_t in float32 (μ_t rounded
 * first), and the coefficients read its float32 value. Parity with PyTorch depends on this rounding (a double
 * product drifts by about 1e-10 relative); after a state dict is loaded, {@code mu_product} has the parameter's
 * dtype (PyTorch casts every state tensor but {@code step}), and the product continues in that dtype.
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.002</td><td>learning rate γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>betas</td><td>{@link Options#betas}</td><td>(0.9, 0.999)</td><td>β₁, β₂ (Numbers)</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>1e-08</td><td>ε, added to the denominator</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0</td><td>weight decay λ</td></tr>
 * <tr><td>momentum_decay</td><td>{@link Options#momentumDecay}</td><td>0.004</td><td>momentum decay ψ</td></tr>
 * <tr><td>decoupled_weight_decay</td><td>{@link Options#decoupledWeightDecay}</td><td>false</td><td>decay the parameters (NAdamW) instead of adding λθ to the gradient</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>capturable</td><td>{@link Options#capturable}</td><td>false</td><td>CUDA-graph capture; accepted, same maths</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * </table>
 *
 * <p>State, created at a parameter's first gradient: {@code step} (0-dim float32, incremented before use),
 * {@code mu_product} (0-dim float32, 1), {@code exp_avg}, {@code exp_avg_sq} (the parameter's dtype). Sparse
 * gradients are rejected ({@code "NAdam does not support sparse gradients"}).
 *
 * <p>Papers: Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop; Loshchilov and Hutter,
 * "Decoupled Weight Decay Regularization", ICLR 2019 (arXiv:1711.05101).
 *
 * <p>Differences from PyTorch: {@code foreach} and {@code capturable} choose a path, not the maths: every path
 * computes PyTorch's single-tensor arithmetic bit for bit. By default each group is updated by one multi-tensor
 * kernel call over all its parameters, split across threads; {@code foreach=False}, or a group with views, sparse
 * gradients or dtypes other than float32 and float64, takes the per-tensor path of {@link
 * org.optim4j.optim.functional.Functional}. PyTorch's own multi-tensor NAdam differs from it in the last bits;
 * PyTorch refuses {@code capturable=True} for CPU tensors at the first step. {@code differentiable=true} throws
 * {@link UnsupportedOperationException}; betas must be Numbers (PyTorch types them as floats but lets tensors
 * through); a sparse gradient is rejected before any group is updated.
 */
public class NAdam extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("NAdam")
      .add("lr", FLOAT_OR_TENSOR, 2e-3)
      .add("betas", PAIR, List.of(0.9, 0.999))
      .add("eps", FLOAT, 1e-8)
      .add("weight_decay", FLOAT, 0)
      .add("momentum_decay", FLOAT, 4e-3)
      .add("decoupled_weight_decay", BOOL, false)
      .add("maximize", BOOL, false)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("capturable", BOOL, false)
      .add("differentiable", BOOL, false);

  private final Segments segments = new Segments(NAdamStep.SCALARS, false);
  private final NAdamStep nadamStep = new NAdamStep();

  /** NAdam of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public NAdam(Iterable<?> params) {
    this(params, options());
  }

  /**
   * NAdam of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks), or for a tensor beta
   * @throws UnsupportedOperationException for {@code differentiable=true}
   */
  public NAdam(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    StepSupport.rejectDifferentiable(defaults());
  }

  /** NAdam of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public NAdam(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    StepSupport.rejectDifferentiable(defaults());
  }

  /** A fresh set of options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  private static Map<String, Object> validated(Map<String, Object> d) {
    Object lr = d.get("lr");
    if (lr instanceof Tensor t && t.numel() != 1) {
      throw new IllegalArgumentException("Tensor lr must be 1-element");
    }
    if (!(0 <= Scalars.value("lr", lr))) {
      throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.str(lr));
    }
    if (!(0 <= Scalars.value("eps", d.get("eps")))) {
      throw new IllegalArgumentException("Invalid epsilon value: " + PyFormat.str(d.get("eps")));
    }
    StepSupport.checkBetas(d.get("betas"));
    if (!(0 <= Scalars.value("weight_decay", d.get("weight_decay")))) {
      throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.str(d.get("weight_decay")));
    }
    if (!(0 <= Scalars.value("momentum_decay", d.get("momentum_decay")))) {
      throw new IllegalArgumentException("Invalid momentum_decay value: " + PyFormat.str(d.get("momentum_decay")));
    }
    StepSupport.requireFloatBetas("NAdam", d.get("betas"));
    return d;
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    StepSupport.rejectSparseGradients(this, "NAdam");
    List<ParamGroup> groups = paramGroups();
    for (int gi = 0; gi < groups.size(); gi++) {
      ParamGroup group = groups.get(gi);
      if (group.getBoolean("differentiable")) {
        throw new UnsupportedOperationException(OptionSpec.DIFFERENTIABLE_UNSUPPORTED);
      }
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
          state.put("mu_product", Tensor.scalar(1.0));
          state.put("exp_avg", Tensor.zerosLike(p));
          state.put("exp_avg_sq", Tensor.zerosLike(p));
        }
        Tensor expAvg = StepSupport.get(state, "exp_avg");
        Tensor expAvgSq = StepSupport.get(state, "exp_avg_sq");
        Tensor muProduct = StepSupport.get(state, "mu_product");
        segments.add(p, p.grad(), expAvg, expAvgSq, null, StepSupport.get(state, "step"));
        segments.setScalarState(muProduct, null);
      }
      Object betas = group.get("betas");
      double beta1 = StepSupport.beta("NAdam", betas, 0);
      double beta2 = StepSupport.beta("NAdam", betas, 1);
      if (group.multiTensor() && segments.fast()) {
        nadamStep.step(segments, beta1, beta2, group.get("lr"), group.getDouble("weight_decay"),
            group.getDouble("momentum_decay"), group.getDouble("eps"), group.getBoolean("maximize"),
            group.getBoolean("decoupled_weight_decay"));
      } else {
        Functional.nadam(segments.list(Segments.PARAM), segments.list(Segments.GRAD), segments.list(Segments.A),
            segments.list(Segments.B), segments.list(Segments.X), segments.list(Segments.STEP), beta1, beta2,
            group.get("lr"), group.getDouble("weight_decay"), group.getDouble("momentum_decay"), group.getDouble("eps"),
            group.getBoolean("maximize"), group.getBoolean("decoupled_weight_decay"));
      }
      segments.clear(true);
    }
    return loss;
  }

  /**
   * Fills the options that old checkpoints lack and turns plain-number {@code step} and {@code mu_product} into
   * 0-dim float32 tensors, as PyTorch's {@code NAdam.__setstate__}.
   *
   * @throws IllegalStateException {@code 'step'} (or {@code 'mu_product'}) for a non-empty state without it
   */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      SGD.setDefault(g, "maximize", false);
      SGD.setDefault(g, "foreach", null);
      SGD.setDefault(g, "capturable", false);
      SGD.setDefault(g, "differentiable", false);
      SGD.setDefault(g, "decoupled_weight_decay", false);
      for (Tensor p : g.params()) {
        Map<String, Object> s = state.get(p);
        if (s != null && !s.isEmpty()) {
          StepSupport.toScalarTensor(s, "step");
          StepSupport.toScalarTensor(s, "mu_product");
        }
      }
    }
  }

  /** NAdam's construction options; each setter returns this. */
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

    /** Coefficients of the running averages of the gradient and its square (default 0.9, 0.999). */
    public Options betas(double beta1, double beta2) {
      return put("betas", List.of(beta1, beta2));
    }

    /** Term added to the denominator (default 1e-8). */
    public Options eps(double eps) {
      return put("eps", eps);
    }

    /** Weight decay (default 0): L2, or decoupled with {@link #decoupledWeightDecay}. */
    public Options weightDecay(double weightDecay) {
      return put("weight_decay", weightDecay);
    }

    /** Momentum decay ψ of the momentum schedule (default 4e-3). */
    public Options momentumDecay(double momentumDecay) {
      return put("momentum_decay", momentumDecay);
    }

    /** Decoupled weight decay, NAdamW (default false). */
    public Options decoupledWeightDecay(boolean decoupledWeightDecay) {
      return put("decoupled_weight_decay", decoupledWeightDecay);
    }

    /** Maximize the objective (default false). */
    public Options maximize(boolean maximize) {
      return put("maximize", maximize);
    }

    /** Null or true (default null): the multi-tensor path; false: the per-tensor path; same bits either way. */
    public Options foreach(Boolean foreach) {
      return put("foreach", foreach);
    }

    /** PyTorch's CUDA-graph flag (default false); accepted, same maths. */
    public Options capturable(boolean capturable) {
      return put("capturable", capturable);
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
