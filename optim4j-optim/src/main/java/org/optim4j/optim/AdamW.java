package org.optim4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * AdamW, PyTorch's {@code torch.optim.AdamW}: {@link Adam} with decoupled weight decay, which shrinks the
 * parameters instead of adding {@code λθ} to the gradient. As in PyTorch it is an {@code Adam} whose groups
 * have {@code decoupled_weight_decay=True}.
 *
 * <pre>
 * input: γ (lr), β₁, β₂ (betas), θ₀ (params), f(θ) (objective), ε (eps), λ (weight decay), amsgrad, maximize
 * initialize: m₀ ← 0 (first moment), v₀ ← 0 (second moment), v₀^max ← 0
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     θ_t ← θ_{t−1} − γ λ θ_{t−1}
 *     m_t ← β₁ m_{t−1} + (1 − β₁) g_t
 *     v_t ← β₂ v_{t−1} + (1 − β₂) g_t²
 *     m̂_t ← m_t / (1 − β₁ᵗ)
 *     if amsgrad:
 *         v_t^max ← max(v_{t−1}^max, v_t)
 *         v̂_t ← v_t^max / (1 − β₂ᵗ)
 *     else:
 *         v̂_t ← v_t / (1 − β₂ᵗ)
 *     θ_t ← θ_t − γ m̂_t / (√v̂_t + ε)
 * return θ_t
 * </pre>
 *
 * <p>The decay uses the current (possibly scheduled) learning rate: {@code θ ← θ · (1 − γλ)}, computed in
 * double precision and rounded to the parameter's dtype. Everything else is {@link Adam}'s, including its
 * computation order, its AMSGrad on the raw second moment and its state ({@code step}, {@code exp_avg},
 * {@code exp_avg_sq}, {@code max_exp_avg_sq}).
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.001</td><td>learning rate γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>betas</td><td>{@link Options#betas}</td><td>(0.9, 0.999)</td><td>β₁, β₂: both Numbers or both one-element Tensors</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>1e-08</td><td>ε, added to the denominator</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0.01</td><td>decoupled weight decay λ</td></tr>
 * <tr><td>amsgrad</td><td>{@link Options#amsgrad}</td><td>false</td><td>the AMSGrad variant</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>the path, not the maths: null or true, the multi-tensor path; false, the per-tensor path</td></tr>
 * <tr><td>capturable</td><td>{@link Options#capturable}</td><td>false</td><td>CUDA-graph capture; accepted, same maths</td></tr>
 * <tr><td>differentiable</td><td>{@link Options#differentiable}</td><td>false</td><td>only false is supported</td></tr>
 * <tr><td>fused</td><td>{@link Options#fused}</td><td>null</td><td>PyTorch's fused kernel; accepted, same maths</td></tr>
 * <tr><td>state_dtype</td><td>{@link Options#stateDtype}</td><td>absent</td><td>optim4j extension: {@code "bfloat16"} keeps the moments (see {@link Adam}) in bfloat16</td></tr>
 * </table>
 *
 * <p>Paper: Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019 (arXiv:1711.05101).
 *
 * <p>Differences from PyTorch: those of {@link Adam}. Like PyTorch, loading a state dict sets
 * {@code decoupled_weight_decay=True} in every group; the decay is multiplied by the scheduled learning rate
 * rather than by a separate schedule multiplier as in the paper.
 */
public class AdamW extends Adam {
  static final OptionSpec SPEC = new OptionSpec("AdamW")
      .add("lr", OptionSpec.Kind.FLOAT_OR_TENSOR, 1e-3)
      .add("betas", OptionSpec.Kind.PAIR, List.of(0.9, 0.999))
      .add("eps", OptionSpec.Kind.FLOAT, 1e-8)
      .add("weight_decay", OptionSpec.Kind.FLOAT, 1e-2)
      .add("amsgrad", OptionSpec.Kind.BOOL, false)
      .add("maximize", OptionSpec.Kind.BOOL, false)
      .add("foreach", OptionSpec.Kind.OPTIONAL_BOOL, null)
      .add("capturable", OptionSpec.Kind.BOOL, false)
      .add("differentiable", OptionSpec.Kind.BOOL, false)
      .add("fused", OptionSpec.Kind.OPTIONAL_BOOL, null)
      .extension("state_dtype", OptionSpec.Kind.STATE_DTYPE);

  /** AdamW of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public AdamW(Iterable<?> params) {
    this(params, options());
  }

  /**
   * AdamW of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries); throws as {@link Adam}'s
   * constructor.
   */
  public AdamW(Iterable<?> params, Options options) {
    super(params, options);
  }

  /** AdamW of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public AdamW(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, options);
  }

  /** A fresh set of options with PyTorch's defaults. */
  public static Options options() {
    return new Options();
  }

  /** Adam's back-compat defaults, then {@code decoupled_weight_decay=True} in every group, as PyTorch. */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    super.setState(groups, state);
    for (ParamGroup g : groups) {
      g.set("decoupled_weight_decay", true);
    }
  }

  /**
   * AdamW's construction options: Adam's with AdamW's defaults (weight decay 1e-2) and without
   * {@code decoupled_weight_decay}, which AdamW always sets; each setter returns this.
   */
  public static final class Options extends Adam.Options {
    Options() {
      super(SPEC);
    }

    /** The options given as PyTorch keyword arguments (keys checked, with the list of valid ones). */
    static Options fromMap(Map<String, ?> kwargs) {
      Options o = new Options();
      o.putAll(kwargs);
      return o;
    }

    @Override
    public Options lr(double lr) {
      super.lr(lr);
      return this;
    }

    @Override
    public Options lr(Tensor lr) {
      super.lr(lr);
      return this;
    }

    @Override
    public Options betas(double beta1, double beta2) {
      super.betas(beta1, beta2);
      return this;
    }

    @Override
    public Options betas(Tensor beta1, Tensor beta2) {
      super.betas(beta1, beta2);
      return this;
    }

    @Override
    public Options eps(double eps) {
      super.eps(eps);
      return this;
    }

    /** Decoupled weight decay (default 1e-2). */
    @Override
    public Options weightDecay(double weightDecay) {
      super.weightDecay(weightDecay);
      return this;
    }

    @Override
    public Options amsgrad(boolean amsgrad) {
      super.amsgrad(amsgrad);
      return this;
    }

    @Override
    public Options maximize(boolean maximize) {
      super.maximize(maximize);
      return this;
    }

    @Override
    public Options foreach(Boolean foreach) {
      super.foreach(foreach);
      return this;
    }

    @Override
    public Options capturable(boolean capturable) {
      super.capturable(capturable);
      return this;
    }

    @Override
    public Options differentiable(boolean differentiable) {
      super.differentiable(differentiable);
      return this;
    }

    @Override
    public Options fused(Boolean fused) {
      super.fused(fused);
      return this;
    }

    @Override
    public Options stateDtype(DType dtype) {
      super.stateDtype(dtype);
      return this;
    }

    /**
     * Not an AdamW option: AdamW's weight decay is always decoupled.
     *
     * @throws IllegalArgumentException always, as PyTorch's {@code AdamW(decoupled_weight_decay=...)}
     */
    @Override
    public Options decoupledWeightDecay(boolean decoupledWeightDecay) {
      throw new IllegalArgumentException("AdamW.__init__() got an unexpected keyword argument 'decoupled_weight_decay'");
    }

    /** Adam's defaults dict for these options: the same keys and {@code decoupled_weight_decay=True}. */
    @Override
    LinkedHashMap<String, Object> values() {
      LinkedHashMap<String, Object> d = super.values();
      d.put("decoupled_weight_decay", true);
      return d;
    }
  }
}
