package org.optim4j.optim;

import static org.optim4j.optim.OptionSpec.Kind.BOOL;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT_OR_TENSOR;
import static org.optim4j.optim.OptionSpec.Kind.OPTIONAL_BOOL;
import static org.optim4j.optim.OptionSpec.Kind.PAIR;
import static org.optim4j.optim.OptionSpec.Kind.STATE_DTYPE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.AdamStep;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.Segments;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * Adam, PyTorch's {@code torch.optim.Adam}, with optional AMSGrad and L2 or decoupled weight decay.
 *
 * <pre>
 * input: γ (lr), β₁, β₂ (betas), θ₀ (params), f(θ) (objective), λ (weight decay), amsgrad, maximize, ε (eps)
 * initialize: m₀ ← 0 (first moment), v₀ ← 0 (second moment), v₀^max ← 0
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     if λ ≠ 0:
 *         θ_{t−1} ← θ_{t−1} − γ λ θ_{t−1}   if decoupled_weight_decay,   else  g_t ← g_t + λ θ_{t−1}
 *     m_t ← β₁ m_{t−1} + (1 − β₁) g_t
 *     v_t ← β₂ v_{t−1} + (1 − β₂) g_t²
 *     m̂_t ← m_t / (1 − β₁ᵗ)
 *     if amsgrad:
 *         v_t^max ← max(v_{t−1}^max, v_t)
 *         v̂_t ← v_t^max / (1 − β₂ᵗ)
 *     else:
 *         v̂_t ← v_t / (1 − β₂ᵗ)
 *     θ_t ← θ_{t−1} − γ m̂_t / (√v̂_t + ε)
 * return θ_t
 * </pre>
 *
 * <p>As in PyTorch's code, the update is computed as {@code θ ← θ − (γ / (1 − β₁ᵗ)) · m_t / (√v_t / √(1 − β₂ᵗ) + ε)}
 * (ε is added after the bias correction of √v), {@code m_t} as {@code lerp(m_{t−1}, g_t, 1 − β₁)}, and AMSGrad
 * keeps the maximum of the <em>raw</em> second moment v_t, not of the bias-corrected v̂_t. The bias
 * corrections are computed in double precision from the step count, once per parameter and step.
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.001</td><td>learning rate γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>betas</td><td>{@link Options#betas}</td><td>(0.9, 0.999)</td><td>β₁, β₂: both Numbers or both one-element Tensors</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>1e-08</td><td>ε, added to the denominator</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0</td><td>weight decay λ</td></tr>
 * <tr><td>amsgrad</td><td>{@link Options#amsgrad}</td><td>false</td><td>the AMSGrad variant</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>capturable</td><td>{@link Options#capturable}</td><td>false</td><td>CUDA-graph capture; accepted, same maths</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * <tr><td>fused</td><td>{@link Options#fused}</td><td>null</td><td>PyTorch's fused kernel; accepted, same maths</td></tr>
 * <tr><td>decoupled_weight_decay</td><td>{@link Options#decoupledWeightDecay}</td><td>false</td><td>decay the parameters (AdamW) instead of adding λθ to the gradient</td></tr>
 * <tr><td>state_dtype</td><td>{@link Options#stateDtype}</td><td>absent</td><td>optim4j extension: {@code "bfloat16"} keeps the moments in bfloat16</td></tr>
 * </table>
 *
 * <p>State, created at a parameter's first gradient: {@code step} (a 0-dim float32 tensor, incremented before
 * use), {@code exp_avg}, {@code exp_avg_sq} and, with AMSGrad, {@code max_exp_avg_sq} (the parameter's
 * dtype). Sparse gradients are rejected ({@code "Adam does not support sparse gradients, please consider
 * SparseAdam instead"}), before any parameter is updated. *
 * <p>{@code state_dtype="bfloat16"} (an optim4j extension, absent from the group unless set) creates
 * {@code exp_avg}, {@code exp_avg_sq} and {@code max_exp_avg_sq} as bfloat16 tensors: each step decodes them to
 * float32, computes exactly as with float32 state, and rounds them back to nearest even, so a float32
 * parameter's step moves 20 bytes per element instead of 28 (the multi-tensor path runs it in one pass, with
 * the Vector API when the JVM has {@code jdk.incubator.vector}). State dicts carry the bfloat16 tensors;
 * {@link #loadStateDict} rounds the moments it casts to the parameter's dtype back to bfloat16.
 *
 * <p>Papers: Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015 (arXiv:1412.6980); Reddi,
 * Kale and Kumar, "On the Convergence of Adam and Beyond", ICLR 2018 (AMSGrad).
 *
 * <p>Differences from PyTorch: {@code foreach}, {@code fused} and {@code capturable} choose a path, not the maths:
 * every path computes PyTorch's single-tensor arithmetic bit for bit. By default each group is updated by one
 * multi-tensor kernel call over all its parameters, split across threads; {@code foreach=False}, or a group with
 * views, sparse gradients or dtypes other than float32 and float64, takes the per-tensor path of {@link
 * org.optim4j.optim.functional.Functional}. PyTorch's fused CPU kernel differs from it by an ulp at times, and
 * PyTorch refuses {@code capturable=True} for CPU tensors at the first step. {@code differentiable=true} throws
 * {@link UnsupportedOperationException}; an Integer beta is accepted as a float (PyTorch requires Python floats); a
 * sparse gradient is rejected before any group is updated; {@code state_dtype} is an optim4j extension (above).
 */
public class Adam extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("Adam")
      .add("lr", FLOAT_OR_TENSOR, 1e-3)
      .add("betas", PAIR, List.of(0.9, 0.999))
      .add("eps", FLOAT, 1e-8)
      .add("weight_decay", FLOAT, 0)
      .add("amsgrad", BOOL, false)
      .add("maximize", BOOL, false)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("capturable", BOOL, false)
      .add("differentiable", BOOL, false)
      .add("fused", OPTIONAL_BOOL, null)
      .add("decoupled_weight_decay", BOOL, false)
      .extension("state_dtype", STATE_DTYPE);

  private final Segments segments = new Segments(AdamStep.SCALARS, true);
  private final AdamStep adamStep = new AdamStep();

  /** Adam of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public Adam(Iterable<?> params) {
    this(params, options());
  }

  /**
   * Adam of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks)
   * @throws IllegalStateException when {@code fused} is combined with {@code foreach} or {@code differentiable},
   *     or for a tensor beta with several elements
   * @throws UnsupportedOperationException for {@code differentiable=true}
   */
  public Adam(Iterable<?> params, Options options) {
    this(params, options.values());
  }

  /** Adam of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public Adam(Map<String, ? extends Tensor> namedParams, Options options) {
    this(namedParams, options.values());
  }

  Adam(Iterable<?> params, LinkedHashMap<String, Object> values) {
    super(params, validated(values));
    checkFlags();
  }

  Adam(Map<String, ? extends Tensor> namedParams, LinkedHashMap<String, Object> values) {
    super(namedParams, validated(values));
    checkFlags();
  }

  /** A fresh set of options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  static Map<String, Object> validated(Map<String, Object> d) {
    Object lr = d.get("lr");
    boolean foreach = Scalars.truthy(d.get("foreach"));
    boolean capturable = Scalars.truthy(d.get("capturable"));
    if (lr instanceof Tensor t) {
      if (foreach && !capturable) {
        throw new IllegalArgumentException("lr as a Tensor is not supported for capturable=False and foreach=True");
      }
      if (t.numel() != 1) {
        throw new IllegalArgumentException("Tensor lr must be 1-element");
      }
    }
    if (!(0 <= Scalars.value("lr", lr))) {
      throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.str(lr));
    }
    if (!(0 <= Scalars.value("eps", d.get("eps")))) {
      throw new IllegalArgumentException("Invalid epsilon value: " + PyFormat.str(d.get("eps")));
    }
    List<?> betas = (List<?>) d.get("betas");
    for (int i = 0; i < 2; i++) {
      double beta = Scalars.value("betas[" + i + "]", betas.get(i));
      if (!(0 <= beta && beta < 1)) {
        throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + PyFormat.str(betas.get(i)));
      }
    }
    if (!(0 <= Scalars.value("weight_decay", d.get("weight_decay")))) {
      throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.str(d.get("weight_decay")));
    }
    Object beta1 = betas.get(0);
    Object beta2 = betas.get(1);
    if (!((beta1 instanceof Number && beta2 instanceof Number) || (beta1 instanceof Tensor && beta2 instanceof Tensor))) {
      throw new IllegalArgumentException("betas must be either both floats or both Tensors");
    }
    List<Object> scalars = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Object beta = betas.get(i);
      if (beta instanceof Tensor t) {
        if (!capturable && foreach) {
          throw new IllegalArgumentException("betas[" + i + "] as a Tensor is not supported for capturable=False and "
              + "foreach=True");
        }
        if (t.numel() != 1) {
          throw new IllegalArgumentException("Tensor betas[" + i + "] must be 1-element");
        }
        beta = t.dim() == 0 ? t : t.reshape();
      }
      scalars.add(beta);
    }
    d.put("betas", List.copyOf(scalars));
    return d;
  }

  private void checkFlags() {
    Map<String, Object> d = defaults();
    if (Scalars.truthy(d.get("fused"))) {
      if (Scalars.truthy(d.get("differentiable"))) {
        throw new IllegalStateException("`fused` does not support `differentiable`");
      }
      if (Scalars.truthy(d.get("foreach"))) {
        throw new IllegalStateException("`fused` and `foreach` cannot be `True` together.");
      }
    }
    if (Scalars.truthy(d.get("differentiable"))) {
      throw new UnsupportedOperationException(OptionSpec.DIFFERENTIABLE_UNSUPPORTED);
    }
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    List<ParamGroup> groups = paramGroups();
    for (int gi = 0; gi < groups.size(); gi++) {
      List<Tensor> params = groups.get(gi).params();
      for (int i = 0; i < params.size(); i++) {
        Tensor grad = params.get(i).grad();
        if (grad != null && grad.isSparse()) {
          throw new IllegalStateException(
              "Adam does not support sparse gradients, please consider SparseAdam instead");
        }
      }
    }
    for (int gi = 0; gi < groups.size(); gi++) {
      ParamGroup group = groups.get(gi);
      if (group.getBoolean("differentiable")) {
        throw new UnsupportedOperationException(OptionSpec.DIFFERENTIABLE_UNSUPPORTED);
      }
      boolean amsgrad = group.getBoolean("amsgrad");
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
          state.put("exp_avg", StepSupport.zeroState(p, group));
          state.put("exp_avg_sq", StepSupport.zeroState(p, group));
          if (amsgrad) {
            state.put("max_exp_avg_sq", StepSupport.zeroState(p, group));
          }
        }
        Tensor expAvg = stateTensor(state, "exp_avg");
        Tensor expAvgSq = stateTensor(state, "exp_avg_sq");
        Tensor maxExpAvgSq = amsgrad ? stateTensor(state, "max_exp_avg_sq") : null;
        if (group.getBoolean("foreach") && group.get("lr") instanceof Tensor && !group.getBoolean("capturable")) {
          throw new IllegalStateException("lr as a Tensor is not supported for capturable=False and foreach=True");
        }
        segments.add(p, p.grad(), expAvg, expAvgSq, maxExpAvgSq, stateTensor(state, "step"));
      }
      List<?> betas = (List<?>) group.get("betas");
      if (group.multiTensor() && segments.fast()) {
        adamStep.step(segments, group.get("lr"), betas.get(0), betas.get(1), group.getDouble("weight_decay"),
            group.getDouble("eps"), group.getBoolean("maximize"), group.getBoolean("decoupled_weight_decay"));
      } else {
        Functional.adam(segments.list(Segments.PARAM), segments.list(Segments.GRAD), segments.list(Segments.A),
            segments.list(Segments.B), segments.list(Segments.C), segments.list(Segments.STEP), amsgrad, betas.get(0),
            betas.get(1), group.get("lr"), group.getDouble("weight_decay"), group.getDouble("eps"),
            group.getBoolean("maximize"), group.getBoolean("decoupled_weight_decay"));
      }
      segments.clear(true);
    }
    return loss;
  }

  private static Tensor stateTensor(Map<String, Object> state, String key) {
    if (!state.containsKey(key)) {
      throw new IllegalStateException("'" + key + "'");
    }
    if (state.get(key) instanceof Tensor t) {
      return t;
    }
    throw new IllegalStateException("state '" + key + "' must be a Tensor, got " + Scalars.describe(state.get(key)));
  }

  /**
   * Fills the options that old checkpoints lack and turns a plain-number {@code step} into a 0-dim float32
   * tensor, as PyTorch's {@code Adam.__setstate__}.
   *
   * @throws IllegalStateException {@code 'step'} for a non-empty state without a step
   */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      SGD.setDefault(g, "amsgrad", false);
      SGD.setDefault(g, "maximize", false);
      SGD.setDefault(g, "foreach", null);
      SGD.setDefault(g, "capturable", false);
      SGD.setDefault(g, "differentiable", false);
      SGD.setDefault(g, "decoupled_weight_decay", false);
      SGD.setDefault(g, "fused", null);
      for (Tensor p : g.params()) {
        Map<String, Object> s = state.get(p);
        if (s == null || s.isEmpty()) {
          continue;
        }
        if (!s.containsKey("step")) {
          throw new IllegalStateException("'step'");
        }
        if (!(s.get("step") instanceof Tensor)) {
          s.put("step", Tensor.scalar(pythonFloat(s.get("step"))));
        }
        for (String key : new String[] {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}) {
          if (s.get(key) instanceof Tensor t) {
            s.put(key, StepSupport.inStateDtype(t, g)); // a state dict's moments arrive in the parameter's dtype
          }
        }
      }
    }
  }

  /** Python's {@code float(value)}. */
  private static double pythonFloat(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("could not convert string to float: " + PyFormat.repr(s), e);
      }
    }
    throw new IllegalArgumentException("float() argument must be a string or a real number, not '"
        + (value == null ? "NoneType" : value.getClass().getSimpleName()) + "'");
  }

  /**
   * Adam's construction options; each setter returns this. ({@link AdamW.Options} extends it with AdamW's
   * defaults.)
   */
  public static class Options {
    private final OptionSpec spec;
    private final LinkedHashMap<String, Object> values;

    Options() {
      this(SPEC);
    }

    Options(OptionSpec spec) {
      this.spec = spec;
      this.values = spec.defaults();
    }

    /** The options given as PyTorch keyword arguments (keys checked, with the list of valid ones). */
    static Options fromMap(Map<String, ?> kwargs) {
      Options o = new Options();
      o.values.putAll(SPEC.parse(kwargs));
      return o;
    }

    void putAll(Map<String, ?> kwargs) {
      values.putAll(spec.parse(kwargs));
    }

    Options put(String key, Object value) {
      values.put(key, spec.check(key, value));
      return this;
    }

    /** Learning rate (default 1e-3). */
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

    /** The betas as one-element tensors. */
    public Options betas(Tensor beta1, Tensor beta2) {
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

    /** The AMSGrad variant (default false). */
    public Options amsgrad(boolean amsgrad) {
      return put("amsgrad", amsgrad);
    }

    /** Maximize the objective (default false). */
    public Options maximize(boolean maximize) {
      return put("maximize", maximize);
    }

    /**
     * An optim4j extension: the dtype of the moments of float32 parameters, {@link DType#BFLOAT16} or null (the
     * default: the parameter's dtype). See the class comment.
     *
     * @throws IllegalArgumentException for another dtype
     */
    public Options stateDtype(DType dtype) {
      return put("state_dtype", dtype);
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

    /** PyTorch's fused flag (default null); accepted, same maths. */
    public Options fused(Boolean fused) {
      return put("fused", fused);
    }

    /** Decoupled weight decay, as AdamW (default false). */
    public Options decoupledWeightDecay(boolean decoupledWeightDecay) {
      return put("decoupled_weight_decay", decoupledWeightDecay);
    }

    /** The defaults dict these options give the optimizer. */
    LinkedHashMap<String, Object> values() {
      return new LinkedHashMap<>(values);
    }

    /** The options as PyTorch keyword arguments. */
    @Override
    public String toString() {
      return PyFormat.repr(values);
    }
  }
}
