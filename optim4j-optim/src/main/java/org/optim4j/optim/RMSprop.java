package org.optim4j.optim;

import static org.optim4j.optim.OptionSpec.Kind.BOOL;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT_OR_TENSOR;
import static org.optim4j.optim.OptionSpec.Kind.OPTIONAL_BOOL;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.RmspropStep;
import org.optim4j.optim.internal.Segments;
import org.optim4j.tensor.Tensor;

/**
 * RMSprop, steps scaled by a running average of squared gradients, optionally centered and with momentum,
 * PyTorch's {@code torch.optim.RMSprop}.
 *
 * <pre>
 * input: α (alpha), γ (lr), θ₀ (params), f(θ) (objective), λ (weight decay), μ (momentum), centered, ε (epsilon)
 * initialize: v₀ ← 0 (square average), b₀ ← 0 (buffer), g₀^ave ← 0
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     if λ ≠ 0:   g_t ← g_t + λ θ_{t−1}
 *     v_t ← α v_{t−1} + (1 − α) g_t²
 *     ṽ_t ← v_t
 *     if centered:
 *         g_t^ave ← α g_{t−1}^ave + (1 − α) g_t
 *         ṽ_t ← ṽ_t − (g_t^ave)²
 *     if μ &gt; 0:
 *         b_t ← μ b_{t−1} + g_t / (√ṽ_t + ε)
 *         θ_t ← θ_{t−1} − γ b_t
 *     else:
 *         θ_t ← θ_{t−1} − γ g_t / (√ṽ_t + ε)
 * return θ_t
 * </pre>
 *
 * <p>As in PyTorch's code, ε is added after the square root, {@code g^ave} is {@code lerp(g^ave, g_t, 1 − α)},
 * and the momentum buffer starts at zero (unlike SGD's, which starts as the first gradient).
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.01</td><td>learning rate γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>alpha</td><td>{@link Options#alpha}</td><td>0.99</td><td>smoothing constant α</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>1e-08</td><td>ε, added to the denominator</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0</td><td>L2 penalty λ</td></tr>
 * <tr><td>momentum</td><td>{@link Options#momentum}</td><td>0</td><td>momentum factor μ</td></tr>
 * <tr><td>centered</td><td>{@link Options#centered}</td><td>false</td><td>normalize by an estimate of the gradient's variance</td></tr>
 * <tr><td>capturable</td><td>{@link Options#capturable}</td><td>false</td><td>CUDA-graph capture; accepted, same maths</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * </table>
 *
 * <p>State, created at a parameter's first gradient: {@code step} (a 0-dim float32 tensor), {@code square_avg},
 * {@code momentum_buffer} if the group's momentum is positive then, and {@code grad_avg} if it is centered then
 * (the parameter's dtype). Turning momentum or centering on later fails as in PyTorch ({@code 'momentum_buffer'},
 * {@code 'grad_avg'}). Sparse gradients are rejected ({@code "RMSprop does not support sparse gradients"}).
 *
 * <p>Paper: Hinton, "Neural Networks for Machine Learning", lecture 6e (2012); centered version: Graves,
 * "Generating Sequences With Recurrent Neural Networks", 2013 (arXiv:1308.0850).
 *
 * <p>Differences from PyTorch: {@code foreach} and {@code capturable} choose a path, not the maths: every path
 * computes PyTorch's single-tensor arithmetic bit for bit. By default each group is updated by one multi-tensor
 * kernel call over all its parameters, split across threads; {@code foreach=False}, or a group with views, sparse
 * gradients or dtypes other than float32 and float64, takes the per-tensor path of {@link
 * org.optim4j.optim.functional.Functional}. PyTorch refuses {@code capturable=True} for CPU tensors at the first
 * step. {@code differentiable=true} throws {@link UnsupportedOperationException}; a sparse gradient is rejected
 * before any group is updated.
 */
public class RMSprop extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("RMSprop")
      .add("lr", FLOAT_OR_TENSOR, 1e-2)
      .add("alpha", FLOAT, 0.99)
      .add("eps", FLOAT, 1e-8)
      .add("weight_decay", FLOAT, 0)
      .add("momentum", FLOAT, 0)
      .add("centered", BOOL, false)
      .add("capturable", BOOL, false)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("maximize", BOOL, false)
      .add("differentiable", BOOL, false);

  private final Segments segments = new Segments(RmspropStep.SCALARS, false);
  private final RmspropStep rmspropStep = new RmspropStep();

  /** RMSprop of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public RMSprop(Iterable<?> params) {
    this(params, options());
  }

  /**
   * RMSprop of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks)
   * @throws UnsupportedOperationException for {@code differentiable=true}
   */
  public RMSprop(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), false);
  }

  /** RMSprop of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public RMSprop(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), false);
  }

  /** A fresh set of options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  private static Map<String, Object> validated(Map<String, Object> values) {
    ClassicSupport.checkLr(values.get("lr"));
    ClassicSupport.checkNonNegative(values, "eps", "epsilon");
    ClassicSupport.checkNonNegative(values, "momentum", "momentum");
    ClassicSupport.checkNonNegative(values, "weight_decay", "weight_decay");
    ClassicSupport.checkNonNegative(values, "alpha", "alpha");
    return ClassicSupport.ordered(values, "lr", "momentum", "alpha", "eps", "centered", "weight_decay", "capturable",
        "foreach", "maximize", "differentiable");
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    ClassicSupport.rejectSparse(paramGroups(), "RMSprop");
    List<ParamGroup> groups = paramGroups();
    for (int gi = 0; gi < groups.size(); gi++) {
      ParamGroup group = groups.get(gi);
      ClassicSupport.checkNotDifferentiable(group);
      double momentum = group.getDouble("momentum");
      boolean centered = group.getBoolean("centered");
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
          if (momentum > 0) {
            state.put("momentum_buffer", Tensor.zerosLike(p));
          }
          if (centered) {
            state.put("grad_avg", Tensor.zerosLike(p));
          }
        }
        Tensor squareAvg = ClassicSupport.stateTensor(state, "square_avg");
        Tensor step = ClassicSupport.stateTensor(state, "step");
        Tensor buf = momentum > 0 ? ClassicSupport.stateTensor(state, "momentum_buffer") : null;
        Tensor gradAvg = centered ? ClassicSupport.stateTensor(state, "grad_avg") : null;
        segments.add(p, p.grad(), squareAvg, gradAvg, buf, step);
      }
      if (group.multiTensor() && segments.fast()) {
        rmspropStep.step(segments, group.get("lr"), group.getDouble("alpha"), group.getDouble("eps"),
            group.getDouble("weight_decay"), momentum, group.getBoolean("maximize"));
      } else {
        Functional.rmsprop(segments.list(Segments.PARAM), segments.list(Segments.GRAD), segments.list(Segments.A),
            segments.list(Segments.B), segments.list(Segments.C), segments.list(Segments.STEP), group.get("lr"),
            group.getDouble("alpha"), group.getDouble("eps"), group.getDouble("weight_decay"), momentum, centered,
            group.getBoolean("maximize"));
      }
      segments.clear(true);
    }
    return loss;
  }

  /**
   * Fills the options that old checkpoints lack and turns a plain-number {@code step} into a 0-dim float32
   * tensor, as PyTorch's {@code RMSprop.__setstate__}.
   *
   * @throws IllegalStateException {@code 'step'} for a non-empty state without a step
   */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      ClassicSupport.setDefaults(g, "momentum", 0, "centered", false, "foreach", null, "maximize", false,
          "differentiable", false, "capturable", false);
    }
    ClassicSupport.convertSteps(groups, state);
  }

  /** RMSprop's construction options (in the order of PyTorch's signature); each setter returns this. */
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

    /** Smoothing constant (default 0.99). */
    public Options alpha(double alpha) {
      return put("alpha", alpha);
    }

    /** Term added to the denominator (default 1e-8). */
    public Options eps(double eps) {
      return put("eps", eps);
    }

    /** L2 penalty (default 0). */
    public Options weightDecay(double weightDecay) {
      return put("weight_decay", weightDecay);
    }

    /** Momentum factor (default 0). */
    public Options momentum(double momentum) {
      return put("momentum", momentum);
    }

    /** Centered RMSprop (default false). */
    public Options centered(boolean centered) {
      return put("centered", centered);
    }

    /** PyTorch's CUDA-graph flag (default false); accepted, same maths. */
    public Options capturable(boolean capturable) {
      return put("capturable", capturable);
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
