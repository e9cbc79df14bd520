package org.optim4j.optim;

import static org.optim4j.optim.OptionSpec.Kind.BOOL;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT_OR_TENSOR;
import static org.optim4j.optim.OptionSpec.Kind.OPTIONAL_BOOL;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.AsgdStep;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.Segments;
import org.optim4j.tensor.Tensor;

/**
 * Averaged stochastic gradient descent, PyTorch's {@code torch.optim.ASGD}: SGD with a decaying step size that
 * also keeps a running average of the iterates.
 *
 * <pre>
 * input: γ (lr), λ (lambd), α (alpha), t₀ (t0), θ₀ (params), f(θ) (objective), ω (weight decay), maximize
 * initialize: η₀ ← γ, μ₀ ← 1, ā₀ ← 0 (the averaged iterate)
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     if ω ≠ 0:   g_t ← g_t + ω θ_{t−1}
 *     θ_t ← θ_{t−1} (1 − λ η_{t−1}) − η_{t−1} g_t
 *     ā_t ← θ_t   if μ_{t−1} = 1,   else  ā_t ← ā_{t−1} + μ_{t−1} (θ_t − ā_{t−1})
 *     η_t ← γ / (1 + λ γ t)^α
 *     μ_t ← 1 / max(1, t − t₀)
 * return θ_t   (the average ā_t is the state ax; it is not copied into the parameters)
 * </pre>
 *
 * <p>PyTorch's documentation has no algorithm box for ASGD; this one is its code. η and μ are kept as 0-dim
 * float32 tensors ({@code eta}, {@code mu}) even for float64 parameters, as PyTorch keeps them: every new η and
 * μ is computed in double precision and rounded to float32 when stored (with a tensor {@code lr}, η is computed
 * in the tensor's dtype), and the update reads the stored values. (A loaded state dict gives them the
 * parameter's dtype, as PyTorch casts every state tensor but {@code step}; the values stored afterwards are still
 * rounded to float32.) With the default t₀ = 10⁶, μ stays 1 for the first million steps, and the average is
 * simply the last iterate.
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.01</td><td>learning rate γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>lambd</td><td>{@link Options#lambd}</td><td>0.0001</td><td>decay term λ</td></tr>
 * <tr><td>alpha</td><td>{@link Options#alpha}</td><td>0.75</td><td>power α of the η update</td></tr>
 * <tr><td>t0</td><td>{@link Options#t0}</td><td>1000000.0</td><td>step t₀ at which averaging starts</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0</td><td>L2 penalty ω</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * <tr><td>capturable</td><td>{@link Options#capturable}</td><td>false</td><td>CUDA-graph capture; accepted, same maths</td></tr>
 * </table>
 *
 * <p>State, created at a parameter's first gradient: {@code step} (0-dim float32, incremented before use),
 * {@code eta} (0-dim float32, the learning rate at creation), {@code mu} (0-dim float32, 1) and {@code ax}
 * (the parameter's dtype, zeros). Sparse gradients are rejected ({@code "ASGD does not support sparse
 * gradients"}).
 *
 * <p>Paper: Polyak and Juditsky, "Acceleration of Stochastic Approximation by Averaging", SIAM Journal on
 * Control and Optimization 30(4), 1992.
 *
 * <p>Differences from PyTorch: {@code foreach} and {@code capturable} choose a path, not the maths: every path
 * computes PyTorch's single-tensor arithmetic bit for bit. By default each group is updated by one multi-tensor
 * kernel call over all its parameters, split across threads; {@code foreach=False}, or a group with views, sparse
 * gradients or dtypes other than float32 and float64, takes the per-tensor path of {@link
 * org.optim4j.optim.functional.Functional}. PyTorch's own multi-tensor ASGD ({@code foreach=True}) computes θ − η(g
 * + λθ) in one expression and the new η in float32 arithmetic from the float32 step tensor, so its η differs from
 * the single-tensor one by about 1e-9 relative; PyTorch refuses {@code capturable=True} for CPU tensors at the first
 * step. {@code differentiable=true} throws {@link UnsupportedOperationException}; a sparse gradient is rejected
 * before any group is updated (PyTorch fails at the group that holds it, after updating the groups before it).
 */
public class ASGD extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("ASGD")
      .add("lr", FLOAT_OR_TENSOR, 1e-2)
      .add("lambd", FLOAT, 1e-4)
      .add("alpha", FLOAT, 0.75)
      .add("t0", FLOAT, 1e6)
      .add("weight_decay", FLOAT, 0)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("maximize", BOOL, false)
      .add("differentiable", BOOL, false)
      .add("capturable", BOOL, false);

  private final Segments segments = new Segments(AsgdStep.SCALARS, false);
  private final AsgdStep asgdStep = new AsgdStep();

  /** ASGD of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public ASGD(Iterable<?> params) {
    this(params, options());
  }

  /**
   * ASGD of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks)
   * @throws UnsupportedOperationException for {@code differentiable=true}
   */
  public ASGD(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    StepSupport.rejectDifferentiable(defaults());
  }

  /** ASGD of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public ASGD(Map<String, ? extends Tensor> namedParams, Options options) {
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
    if (!(0 <= Scalars.value("weight_decay", d.get("weight_decay")))) {
      throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.str(d.get("weight_decay")));
    }
    return d;
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    StepSupport.rejectSparseGradients(this, "ASGD");
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
          state.put("eta", Tensor.scalar(group.getDouble("lr")));
          state.put("mu", Tensor.scalar(1.0));
          state.put("ax", Tensor.zerosLike(p));
        }
        Tensor mu = StepSupport.get(state, "mu");
        Tensor ax = StepSupport.get(state, "ax");
        Tensor eta = StepSupport.get(state, "eta");
        segments.add(p, p.grad(), ax, null, null, StepSupport.get(state, "step"));
        segments.setScalarState(eta, mu);
      }
      if (group.multiTensor() && segments.fast()) {
        asgdStep.step(segments, group.getDouble("lambd"), group.get("lr"), group.getDouble("t0"),
            group.getDouble("alpha"), group.getDouble("weight_decay"), group.getBoolean("maximize"));
      } else {
        Functional.asgd(segments.list(Segments.PARAM), segments.list(Segments.GRAD), segments.list(Segments.A),
            segments.list(Segments.Y), segments.list(Segments.X), segments.list(Segments.STEP),
            group.getDouble("lambd"), group.get("lr"), group.getDouble("t0"), group.getDouble("alpha"),
            group.getDouble("weight_decay"), group.getBoolean("maximize"));
      }
      segments.clear(true);
    }
    return loss;
  }

  /**
   * Fills the options that old checkpoints lack and turns plain-number {@code step}, {@code eta} and {@code mu}
   * into 0-dim float32 tensors, as PyTorch's {@code ASGD.__setstate__}.
   *
   * @throws IllegalStateException {@code 'step'} (or {@code 'eta'}, {@code 'mu'}) for a non-empty state without it
   */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      SGD.setDefault(g, "foreach", null);
      SGD.setDefault(g, "maximize", false);
      SGD.setDefault(g, "differentiable", false);
      SGD.setDefault(g, "capturable", false);
      for (Tensor p : g.params()) {
        Map<String, Object> s = state.get(p);
        if (s != null && !s.isEmpty()) {
          StepSupport.toScalarTensor(s, "step");
          StepSupport.toScalarTensor(s, "eta");
          StepSupport.toScalarTensor(s, "mu");
        }
      }
    }
  }

  /** ASGD's construction options; each setter returns this. */
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

    /** Decay term (default 1e-4). */
    public Options lambd(double lambd) {
      return put("lambd", lambd);
    }

    /** Power of the step-size decay (default 0.75). */
    public Options alpha(double alpha) {
      return put("alpha", alpha);
    }

    /** Step at which averaging starts (default 1e6). */
    public Options t0(double t0) {
      return put("t0", t0);
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
