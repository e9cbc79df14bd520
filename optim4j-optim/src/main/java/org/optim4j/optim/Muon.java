package org.optim4j.optim;

import static org.optim4j.optim.KeywordSpec.BOOL;
import static org.optim4j.optim.KeywordSpec.FLOAT;
import static org.optim4j.optim.KeywordSpec.FLOATS;
import static org.optim4j.optim.KeywordSpec.FLOAT_OR_TENSOR;
import static org.optim4j.optim.KeywordSpec.INT;
import static org.optim4j.optim.KeywordSpec.OPTIONAL_STRING;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.tensor.Tensor;

/**
 * Muon, PyTorch's {@code torch.optim.Muon}: momentum whose update is orthogonalised by a Newton–Schulz iteration
 * in bfloat16, for the 2-D parameters of hidden layers.
 *
 * <pre>
 * input: γ (lr), λ (weight decay), μ (momentum), nesterov, (a, b, c) (NS coefficients), ε (eps),
 *        k (NS steps), θ₀ (params), f(θ) (objective)
 * initialize: B₀ ← 0 (momentum buffer)
 * for t = 1 to … do
 *     g_t ← ∇θ f_t(θ_{t−1})
 *     B_t ← μ B_{t−1} + (1 − μ) g_t
 *     B̃_t ← (1 − μ) g_t + μ B_t   if nesterov,   else  B_t
 *     O_t ← NS_k^(a,b,c)(B̃_t; ε)
 *     θ_t ← θ_{t−1} − γλθ_{t−1}
 *     γ' ← AdjustLR(γ; shape(θ_t))
 *     θ_t ← θ_t − γ' O_t
 * return θ_t
 *
 * NS_k^(a,b,c)(G; ε):  X ← bfloat16(G) (transposed if it has more rows than columns);  X ← X / max(‖X‖_F, ε)
 *                      repeat k times:  A ← X Xᵀ;  X ← a X + (b A + c A A) X
 * AdjustLR(γ; A × B):  γ·√max(1, A/B) (null, "original");  0.2·γ·√max(A, B) ("match_rms_adamw");
 *                      γ·√(A/B) ("spectral_unclamped", PyTorch 2.14)
 * </pre>
 *
 * <p>As in PyTorch's code, the momentum is an exponential moving average ({@code lerp}, not PyTorch's docstring
 * {@code B ← μB + g}), the weight decay uses the unadjusted learning rate, and the Newton–Schulz iteration runs
 * in bfloat16: the result is a bfloat16 matrix whose singular values lie roughly in [0.5, 1.5] rather than
 * exactly 1 (the quintic's coefficients trade accuracy for speed). optim4j reproduces PyTorch's bfloat16 CPU
 * arithmetic bit for bit ({@link org.optim4j.optim.internal.NewtonSchulz}).
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.001</td><td>learning rate γ; a Number or a one-element Tensor</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0.1</td><td>decoupled weight decay λ, multiplied by γ</td></tr>
 * <tr><td>momentum</td><td>{@link Options#momentum}</td><td>0.95</td><td>momentum μ</td></tr>
 * <tr><td>nesterov</td><td>{@link Options#nesterov}</td><td>true</td><td>Nesterov momentum</td></tr>
 * <tr><td>ns_coefficients</td><td>{@link Options#nsCoefficients}</td><td>(3.4445, -4.775, 2.0315)</td><td>(a, b, c) of the Newton–Schulz quintic</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>1e-07</td><td>lower bound ε of the norm the update is divided by</td></tr>
 * <tr><td>ns_steps</td><td>{@link Options#nsSteps}</td><td>5</td><td>Newton–Schulz iterations (an int, less than 100)</td></tr>
 * <tr><td>adjust_lr_fn</td><td>{@link Options#adjustLrFn}</td><td>null</td><td>null, {@code "original"}, {@code "match_rms_adamw"} or {@code "spectral_unclamped"}</td></tr>
 * </table>
 *
 * <p>State: {@code momentum_buffer} (the gradient's dtype), created at a parameter's first gradient; there is
 * no {@code step}. Every parameter must be 2-D at construction; sparse gradients are rejected
 * ({@code "Muon does not support sparse gradients"}).
 *
 * <p>Papers: Jordan et al., "Muon: An optimizer for hidden layers in neural networks" (2024,
 * kellerjordan.github.io/posts/muon); Liu et al., "Muon is Scalable for LLM Training" (arXiv:2502.16982,
 * {@code match_rms_adamw}).
 *
 * <p>Differences from PyTorch 2.13: {@code adjust_lr_fn="spectral_unclamped"} of PyTorch 2.14 is accepted.
 * The bfloat16 products reproduce the summation order of PyTorch's x86-64 AVX2 kernels; PyTorch on other CPUs
 * (AVX-512, ARM) orders its float32 sums differently and can round a few bfloat16 values the other way.
 */
public class Muon extends Optimizer {
  static final KeywordSpec SPEC = new KeywordSpec("Muon")
      .add("lr", FLOAT_OR_TENSOR, 1e-3)
      .add("weight_decay", FLOAT, 0.1)
      .add("momentum", FLOAT, 0.95)
      .add("nesterov", BOOL, true)
      .add("ns_coefficients", FLOATS, List.of(3.4445, -4.775, 2.0315))
      .add("eps", FLOAT, 1e-7)
      .add("ns_steps", INT, 5)
      .add("adjust_lr_fn", OPTIONAL_STRING, null);

  private static final Set<String> ADJUST_LR_FNS = Set.of("original", "match_rms_adamw", "spectral_unclamped");

  /** Muon of {@code params} (2-D tensors or {@link ParamGroup}s of them) with PyTorch's defaults. */
  public Muon(Iterable<?> params) {
    this(params, options());
  }

  /**
   * Muon of {@code params} (2-D tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option or a parameter that is not
   *     2-D (see {@link Optimizer} for the other parameter checks)
   */
  public Muon(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    checkMatrices();
  }

  /** Muon of named 2-D parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public Muon(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    checkMatrices();
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
      throw new IllegalArgumentException("Learning rate should be >= 0 but is: " + PyFormat.str(lr));
    }
    if (!(0 <= Scalars.value("momentum", d.get("momentum")))) {
      throw new IllegalArgumentException("momentum should be >= 0 but is: " + PyFormat.str(d.get("momentum")));
    }
    if (!(0 <= Scalars.value("weight_decay", d.get("weight_decay")))) {
      throw new IllegalArgumentException("weight decay should be >= 0 but is: " + PyFormat.str(d.get("weight_decay")));
    }
    Object fn = d.get("adjust_lr_fn");
    if (fn != null && !ADJUST_LR_FNS.contains(fn)) {
      throw new IllegalArgumentException("Adjust learning rate function " + fn + " is not supported");
    }
    return d;
  }

  private void checkMatrices() {
    for (ParamGroup group : paramGroups()) {
      for (Tensor p : group.params()) {
        if (p.dim() != 2) {
          StringBuilder size = new StringBuilder("torch.Size([");
          int[] shape = p.shape();
          for (int i = 0; i < shape.length; i++) {
            size.append(i > 0 ? ", " : "").append(shape[i]);
          }
          throw new IllegalArgumentException("Muon only supports 2D parameters whereas we found a parameter with size: "
              + size.append("])"));
        }
      }
    }
  }

  /**
   * One Muon step.
   *
   * @throws IllegalStateException for a sparse gradient
   * @throws IllegalArgumentException with PyTorch's message for a gradient that is not 2-D, {@code ns_steps} of
   *     100 or more, or {@code ns_coefficients} without exactly three values
   */
  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    for (ParamGroup group : paramGroups()) {
      List<Tensor> params = new ArrayList<>();
      List<Tensor> grads = new ArrayList<>();
      List<Tensor> momentumBufs = new ArrayList<>();
      for (Tensor p : group.params()) {
        Tensor grad = p.grad();
        if (grad == null) {
          continue;
        }
        if (grad.isSparse()) {
          throw new IllegalStateException("Muon does not support sparse gradients");
        }
        params.add(p);
        grads.add(grad);
        Map<String, Object> state = state(p);
        if (!state.containsKey("momentum_buffer")) {
          state.put("momentum_buffer", Tensor.zerosLike(grad));
        }
        if (!(state.get("momentum_buffer") instanceof Tensor buf)) {
          throw new IllegalStateException("state 'momentum_buffer' must be a Tensor, got "
              + Scalars.describe(state.get("momentum_buffer")));
        }
        momentumBufs.add(buf);
      }
      List<Number> coefficients = new ArrayList<>();
      for (Object c : (List<?>) group.get("ns_coefficients")) {
        coefficients.add(Scalars.value("ns_coefficients", c));
      }
      Object nsSteps = group.get("ns_steps");
      Object fn = group.get("adjust_lr_fn");
      Functional.muon(params, grads, momentumBufs, group.get("lr"), group.getDouble("weight_decay"),
          group.getDouble("momentum"), group.getBoolean("nesterov"), coefficients,
          (int) Scalars.value("ns_steps", nsSteps), group.getDouble("eps"), fn == null ? null : fn.toString());
    }
    return loss;
  }

  /** Muon's construction options; each setter returns this. */
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

    /** Decoupled weight decay (default 0.1). */
    public Options weightDecay(double weightDecay) {
      return put("weight_decay", weightDecay);
    }

    /** Momentum (default 0.95). */
    public Options momentum(double momentum) {
      return put("momentum", momentum);
    }

    /** Nesterov momentum (default true). */
    public Options nesterov(boolean nesterov) {
      return put("nesterov", nesterov);
    }

    /** The Newton–Schulz coefficients (default 3.4445, -4.775, 2.0315). */
    public Options nsCoefficients(double a, double b, double c) {
      return put("ns_coefficients", List.of(a, b, c));
    }

    /** The lower bound of the norm the update is divided by (default 1e-7). */
    public Options eps(double eps) {
      return put("eps", eps);
    }

    /** Newton–Schulz iterations (default 5). */
    public Options nsSteps(int nsSteps) {
      return put("ns_steps", nsSteps);
    }

    /**
     * The learning-rate adjustment: null (the default, as {@code "original"}), {@code "original"},
     * {@code "match_rms_adamw"} or {@code "spectral_unclamped"}.
     */
    public Options adjustLrFn(String adjustLrFn) {
      return put("adjust_lr_fn", adjustLrFn);
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
