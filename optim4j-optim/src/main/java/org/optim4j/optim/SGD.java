package org.optim4j.optim;

import static org.optim4j.optim.OptionSpec.Kind.BOOL;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT_OR_TENSOR;
import static org.optim4j.optim.OptionSpec.Kind.OPTIONAL_BOOL;
import static org.optim4j.optim.OptionSpec.Kind.STATE_DTYPE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.Segments;
import org.optim4j.optim.internal.SgdStep;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * Stochastic gradient descent, optionally with momentum, PyTorch's {@code torch.optim.SGD}.
 *
 * <pre>
 * input: γ (lr), θ₀ (params), f(θ) (objective), λ (weight decay), μ (momentum), τ (dampening), nesterov, maximize
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     if λ ≠ 0:   g_t ← g_t + λ θ_{t−1}
 *     if μ ≠ 0:
 *         b_t ← μ b_{t−1} + (1 − τ) g_t   if t > 1,   else  b_t ← g_t
 *         g_t ← g_t + μ b_t   if nesterov,   else  g_t ← b_t
 *     θ_t ← θ_{t−1} − γ g_t
 * return θ_t
 * </pre>
 *
 * <p>The momentum buffer starts as the first gradient, not as zeros, so dampening applies from the second
 * step on; the velocity is not scaled by the learning rate (unlike Sutskever et al.'s form
 * {@code v ← μ v + γ g}).
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.001</td><td>learning rate γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>momentum</td><td>{@link Options#momentum}</td><td>0</td><td>momentum factor μ</td></tr>
 * <tr><td>dampening</td><td>{@link Options#dampening}</td><td>0</td><td>dampening τ of the momentum</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0</td><td>L2 penalty λ; a Number or a one-element Tensor</td></tr>
 * <tr><td>nesterov</td><td>{@link Options#nesterov}</td><td>false</td><td>Nesterov momentum (needs μ &gt; 0 and τ = 0)</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * <tr><td>fused</td><td>{@link Options#fused}</td><td>null</td><td>PyTorch's fused kernel; accepted, same maths</td></tr>
 * <tr><td>state_dtype</td><td>{@link Options#stateDtype}</td><td>absent</td><td>optim4j extension: {@code "bfloat16"} keeps the momentum buffers in bfloat16</td></tr>
 * </table>
 *
 * <p>State: {@code momentum_buffer} (the parameter's dtype) when the momentum is not 0; no {@code step}.
 * Sparse gradients are accepted as in PyTorch (the momentum buffer is then sparse; weight decay fails).
 *
 * <p>{@code state_dtype="bfloat16"} (an optim4j extension, absent from the group unless set) keeps the
 * momentum buffers in bfloat16: the first step computes the buffer in the parameter's dtype and rounds it;
 * later steps decode it, compute exactly as with a float32 buffer, and round it back to nearest even (16 bytes
 * moved per element of a float32 parameter instead of 20). State dicts carry the bfloat16 buffers.
 *
 * <p>Paper: Sutskever, Martens, Dahl, Hinton, "On the importance of initialization and momentum in deep
 * learning", ICML 2013 (Nesterov momentum).
 *
 * <p>Differences from PyTorch: {@code foreach} and {@code fused} choose a path, not the maths: every path computes
 * PyTorch's single-tensor arithmetic bit for bit. By default each group is updated by one multi-tensor kernel call
 * over all its parameters, split across threads; {@code foreach=False}, or a group with views, sparse gradients or
 * dtypes other than float32 and float64, takes the per-tensor path of {@link
 * org.optim4j.optim.functional.Functional}. PyTorch's fused CPU kernel gives the same results, but fails on a group
 * where only some parameters already have a momentum buffer; here that case works. {@code differentiable=true}
 * throws {@link UnsupportedOperationException}; a tensor {@code lr} that requires grad is used as its value;
 * {@code state_dtype} is an optim4j extension (above).
 */
public class SGD extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("SGD")
      .add("lr", FLOAT_OR_TENSOR, 1e-3)
      .add("momentum", FLOAT, 0)
      .add("dampening", FLOAT, 0)
      .add("weight_decay", FLOAT_OR_TENSOR, 0)
      .add("nesterov", BOOL, false)
      .add("maximize", BOOL, false)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("differentiable", BOOL, false)
      .add("fused", OPTIONAL_BOOL, null)
      .extension("state_dtype", STATE_DTYPE);

  private final Segments segments = new Segments(SgdStep.SCALARS, true);
  private final SgdStep sgdStep = new SgdStep();

  /** SGD of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public SGD(Iterable<?> params) {
    this(params, options());
  }

  /**
   * SGD of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks)
   * @throws IllegalStateException when {@code fused} is combined with {@code foreach} or {@code differentiable}
   * @throws UnsupportedOperationException for {@code differentiable=true}
   */
  public SGD(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    checkFlags();
  }

  /** SGD of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public SGD(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    checkFlags();
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
    if (Scalars.value("lr", lr) < 0) {
      throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.str(lr));
    }
    double momentum = Scalars.value("momentum", d.get("momentum"));
    if (momentum < 0) {
      throw new IllegalArgumentException("Invalid momentum value: " + PyFormat.str(d.get("momentum")));
    }
    if (Scalars.value("weight_decay", d.get("weight_decay")) < 0) {
      throw new IllegalArgumentException("Invalid weight_decay value: " + PyFormat.str(d.get("weight_decay")));
    }
    if (Scalars.truthy(d.get("nesterov"))
        && (momentum <= 0 || Scalars.value("dampening", d.get("dampening")) != 0)) {
      throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
    }
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
      ParamGroup group = groups.get(gi);
      if (group.getBoolean("differentiable")) {
        throw new UnsupportedOperationException(OptionSpec.DIFFERENTIABLE_UNSUPPORTED);
      }
      double momentum = group.getDouble("momentum");
      boolean hasSparseGrad = false;
      segments.clear(group.distinctArrays());
      List<Tensor> params = group.params();
      for (int i = 0; i < params.size(); i++) {
        Tensor p = params.get(i);
        if (p.grad() == null) {
          continue;
        }
        hasSparseGrad |= p.grad().isSparse();
        Tensor buf = momentum != 0 ? (Tensor) state(p).get("momentum_buffer") : null;
        segments.add(p, p.grad(), buf, null, null, null);
      }
      if (hasSparseGrad && Scalars.truthy(group.get("fused"))) {
        throw new IllegalStateException("`_fused_sgd` does not support sparse gradients");
      }
      double weightDecay = group.getDouble("weight_decay");
      double lr = group.getDouble("lr");
      double dampening = group.getDouble("dampening");
      boolean nesterov = group.getBoolean("nesterov");
      boolean maximize = group.getBoolean("maximize");
      if (group.multiTensor() && segments.fast()) {
        sgdStep.step(segments, weightDecay, momentum, lr, dampening, nesterov, maximize);
        if (momentum != 0) {
          for (int i = 0; i < segments.size(); i++) {
            storeBuffer(segments.tensor(Segments.PARAM, i), segments.tensor(Segments.A, i), group);
          }
        }
      } else {
        List<Tensor> momentumBuffers = momentum != 0 ? segments.list(Segments.A) : new ArrayList<>();
        Functional.sgd(segments.list(Segments.PARAM), segments.list(Segments.GRAD), momentumBuffers, weightDecay,
            momentum, lr, dampening, nesterov, maximize);
        if (momentum != 0) {
          for (int i = 0; i < segments.size(); i++) {
            storeBuffer(segments.tensor(Segments.PARAM, i), momentumBuffers.get(i), group);
          }
        }
      }
      segments.clear(true);
    }
    return loss;
  }

  /**
   * {@code state["momentum_buffer"] = buf}; a buffer the step has just created is rounded to bfloat16 when the
   * group keeps its state in bfloat16 (its first step ran with the float32 buffer, which is what a
   * bfloat16-state kernel computes before rounding).
   */
  private void storeBuffer(Tensor p, Tensor buf, ParamGroup group) {
    state(p).put("momentum_buffer", StepSupport.inStateDtype(buf, group));
  }

  /** Fills the options that old checkpoints lack, as PyTorch's {@code SGD.__setstate__}. */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      setDefault(g, "nesterov", false);
      setDefault(g, "maximize", false);
      setDefault(g, "foreach", null);
      setDefault(g, "differentiable", false);
      setDefault(g, "fused", false);
      for (Tensor p : g.params()) {
        Map<String, Object> s = state.get(p);
        if (s != null && s.get("momentum_buffer") instanceof Tensor buf) {
          s.put("momentum_buffer", StepSupport.inStateDtype(buf, g)); // it arrives in the parameter's dtype
        }
      }
    }
  }

  static void setDefault(ParamGroup group, String key, Object value) {
    if (!group.containsKey(key)) {
      group.set(key, value);
    }
  }

  /** SGD's construction options; each setter returns this. */
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

    /** Learning rate (default 1e-3). */
    public Options lr(double lr) {
      return put("lr", lr);
    }

    /** Learning rate as a one-element tensor. */
    public Options lr(Tensor lr) {
      return put("lr", lr);
    }

    /** Momentum factor (default 0). */
    public Options momentum(double momentum) {
      return put("momentum", momentum);
    }

    /** Dampening for momentum (default 0). */
    public Options dampening(double dampening) {
      return put("dampening", dampening);
    }

    /** L2 penalty (default 0). */
    public Options weightDecay(double weightDecay) {
      return put("weight_decay", weightDecay);
    }

    /** L2 penalty as a one-element tensor. */
    public Options weightDecay(Tensor weightDecay) {
      return put("weight_decay", weightDecay);
    }

    /** Nesterov momentum (default false). */
    public Options nesterov(boolean nesterov) {
      return put("nesterov", nesterov);
    }

    /** Maximize the objective (default false). */
    public Options maximize(boolean maximize) {
      return put("maximize", maximize);
    }

    /** Null or true (default null): the multi-tensor path; false: the per-tensor path; same bits either way. */
    public Options foreach(Boolean foreach) {
      return put("foreach", foreach);
    }

    /** Must stay false (the default). */
    public Options differentiable(boolean differentiable) {
      return put("differentiable", differentiable);
    }

    /** PyTorch's fused flag (default null); accepted, same maths. */
    public Options fused(Boolean fused) {
      return put("fused", fused);
    }

    /**
     * An optim4j extension: the dtype of the momentum buffers of float32 parameters, {@link DType#BFLOAT16} or null
     * (the default: the parameter's dtype). See the class comment.
     *
     * @throws IllegalArgumentException for another dtype
     */
    public Options stateDtype(DType dtype) {
      return put("state_dtype", dtype);
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
