package org.optim4j.optim;

import static org.optim4j.optim.OptionSpec.Kind.BOOL;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT_OR_TENSOR;
import static org.optim4j.optim.OptionSpec.Kind.OPTIONAL_BOOL;
import static org.optim4j.optim.OptionSpec.Kind.PAIR;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.RpropStep;
import org.optim4j.optim.internal.Segments;
import org.optim4j.tensor.Tensor;

/**
 * Rprop (resilient backpropagation): per-element step sizes that grow while the gradient keeps its sign and
 * shrink when it flips, PyTorch's {@code torch.optim.Rprop}.
 *
 * <pre>
 * input: θ₀ (params), f(θ) (objective), η₊, η₋ (etaplus, etaminus), Γmax, Γmin (step sizes), γ (lr)
 * initialize: g⁰_prev ← 0, η₀ ← γ (per-element step sizes)
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     for each element i:
 *         if g^i_prev g^i_t &gt; 0:   η^i_t ← min(η^i_{t−1} η₊, Γmax)
 *         elif g^i_prev g^i_t &lt; 0: η^i_t ← max(η^i_{t−1} η₋, Γmin);  g^i_t ← 0
 *         else:                    η^i_t ← η^i_{t−1}
 *     θ_t ← θ_{t−1} − η_t sign(g_t)
 *     g_prev ← g_t
 * return θ_t
 * </pre>
 *
 * <p>As in PyTorch's code, every step size is clamped to {@code [Γmin, Γmax]} after its update (also when it
 * is unchanged), the product {@code g_prev · g_t} is rounded to the parameter's dtype before its sign is taken,
 * and an element's gradient is zeroed where its factor equals η₋. {@code lr} is read only when a parameter's
 * state is created (it fills {@code step_size}); changing a group's {@code lr} later, by hand or by a scheduler,
 * has no effect. There is no weight decay.
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.01</td><td>initial step size γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>etas</td><td>{@link Options#etas}</td><td>(0.5, 1.2)</td><td>(η₋, η₊), with 0 &lt; η₋ &lt; 1 &lt; η₊</td></tr>
 * <tr><td>step_sizes</td><td>{@link Options#stepSizes}</td><td>(1e-06, 50)</td><td>(Γmin, Γmax), the bounds of the step sizes</td></tr>
 * <tr><td>capturable</td><td>{@link Options#capturable}</td><td>false</td><td>CUDA-graph capture; accepted, same maths</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * </table>
 *
 * <p>State, created at a parameter's first gradient: {@code step} (a 0-dim float32 tensor), {@code prev} (zeros)
 * and {@code step_size} (filled with the group's {@code lr}), in the parameter's dtype. Sparse gradients are
 * rejected ({@code "Rprop does not support sparse gradients"}).
 *
 * <p>Paper: Riedmiller and Braun, "A Direct Adaptive Method for Faster Backpropagation Learning: The RPROP
 * Algorithm", IEEE ICNN 1993.
 *
 * <p>Differences from PyTorch: {@code foreach} and {@code capturable} choose a path, not the maths: every path
 * computes PyTorch's single-tensor arithmetic bit for bit. By default each group is updated by one multi-tensor
 * kernel call over all its parameters, split across threads; {@code foreach=False}, or a group with views, sparse
 * gradients or dtypes other than float32 and float64, takes the per-tensor path of {@link
 * org.optim4j.optim.functional.Functional}. PyTorch refuses {@code capturable=True} for CPU tensors at the first
 * step. {@code differentiable=true} throws {@link UnsupportedOperationException}; {@code etas} and {@code
 * step_sizes} must hold Numbers (PyTorch's signature types them as floats); a sparse gradient is rejected before any
 * group is updated.
 */
public class Rprop extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("Rprop")
      .add("lr", FLOAT_OR_TENSOR, 1e-2)
      .add("etas", PAIR, List.of(0.5, 1.2))
      .add("step_sizes", PAIR, List.of(1e-6, 50))
      .add("capturable", BOOL, false)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("maximize", BOOL, false)
      .add("differentiable", BOOL, false);

  private final Segments segments = new Segments(RpropStep.SCALARS, false);
  private final RpropStep rpropStep = new RpropStep();

  /** Rprop of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public Rprop(Iterable<?> params) {
    this(params, options());
  }

  /**
   * Rprop of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks)
   * @throws UnsupportedOperationException for {@code differentiable=true}
   */
  public Rprop(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), false);
  }

  /** Rprop of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public Rprop(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    ClassicSupport.checkFlags(defaults(), false);
  }

  /** A fresh set of options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  private static Map<String, Object> validated(Map<String, Object> values) {
    ClassicSupport.checkLr(values.get("lr"));
    List<?> etas = ClassicSupport.numberPair("Rprop", values, "etas");
    double etaminus = Scalars.value("etas[0]", etas.get(0));
    double etaplus = Scalars.value("etas[1]", etas.get(1));
    if (!(0 < etaminus && etaminus < 1 && 1 < etaplus)) {
      throw new IllegalArgumentException("Invalid eta values: " + PyFormat.str(etas.get(0)) + ", "
          + PyFormat.str(etas.get(1)));
    }
    ClassicSupport.numberPair("Rprop", values, "step_sizes");
    return ClassicSupport.ordered(values, "lr", "etas", "step_sizes", "foreach", "maximize", "differentiable",
        "capturable");
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    ClassicSupport.rejectSparse(paramGroups(), "Rprop");
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
          state.put("prev", Tensor.zerosLike(p));
          state.put("step_size", Tensor.fullLike(p.grad(), group.getDouble("lr")));
        }
        Tensor prev = ClassicSupport.stateTensor(state, "prev");
        Tensor stepSize = ClassicSupport.stateTensor(state, "step_size");
        segments.add(p, p.grad(), prev, stepSize, null, ClassicSupport.stateTensor(state, "step"));
      }
      List<?> etas = (List<?>) group.get("etas");
      List<?> sizes = (List<?>) group.get("step_sizes");
      double stepSizeMin = Scalars.value("step_sizes[0]", sizes.get(0));
      double stepSizeMax = Scalars.value("step_sizes[1]", sizes.get(1));
      double etaminus = Scalars.value("etas[0]", etas.get(0));
      double etaplus = Scalars.value("etas[1]", etas.get(1));
      if (group.multiTensor() && segments.fast()) {
        rpropStep.step(segments, stepSizeMin, stepSizeMax, etaminus, etaplus, group.getBoolean("maximize"));
      } else {
        Functional.rprop(segments.list(Segments.PARAM), segments.list(Segments.GRAD), segments.list(Segments.A),
            segments.list(Segments.B), segments.list(Segments.STEP), stepSizeMin, stepSizeMax, etaminus, etaplus,
            group.getBoolean("maximize"));
      }
      segments.clear(true);
    }
    return loss;
  }

  /**
   * Fills the options that old checkpoints lack and turns a plain-number {@code step} into a 0-dim float32
   * tensor, as PyTorch's {@code Rprop.__setstate__}.
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

  /** Rprop's construction options (in the order of PyTorch's signature); each setter returns this. */
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

    /** Initial step size (default 1e-2). */
    public Options lr(double lr) {
      return put("lr", lr);
    }

    /** Initial step size as a one-element tensor. */
    public Options lr(Tensor lr) {
      return put("lr", lr);
    }

    /** Multiplicative decrease and increase factors η₋, η₊ (default 0.5, 1.2). */
    public Options etas(double etaminus, double etaplus) {
      return put("etas", List.of(etaminus, etaplus));
    }

    /** Minimal and maximal step sizes (default 1e-6, 50). */
    public Options stepSizes(double min, double max) {
      return put("step_sizes", List.of(min, max));
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
