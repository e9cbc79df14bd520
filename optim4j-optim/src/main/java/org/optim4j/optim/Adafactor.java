package org.optim4j.optim;

import static org.optim4j.optim.KeywordSpec.BOOL;
import static org.optim4j.optim.KeywordSpec.FLOAT;
import static org.optim4j.optim.KeywordSpec.FLOAT_OR_TENSOR;
import static org.optim4j.optim.KeywordSpec.OPTIONAL_BOOL;
import static org.optim4j.optim.KeywordSpec.OPTIONAL_FLOAT_AND_FLOAT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.tensor.Tensor;

/**
 * Adafactor, PyTorch's {@code torch.optim.Adafactor}: Adam-like steps with a second moment factored into row and
 * column statistics for matrices, relative step sizes and update clipping.
 *
 * <pre>
 * input: γ (lr), τ (β₂ decay), θ₀ (params), f(θ) (objective), ε₁, ε₂ (eps), d (clipping threshold),
 *        λ (weight decay), maximize
 * initialize: R₀ ← 0 (row factor), C₀ ← 0 (column factor), V̂₀ ← 0 (second moment of vectors)
 * for t = 1 to … do
 *     G_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})
 *     β̂₂_t ← 1 − t^τ
 *     ρ_t ← min(γ, 1/√t)
 *     α_t ← max(ε₂, RMS(θ_{t−1})) ρ_t
 *     θ_t ← θ_{t−1} − γλθ_{t−1}
 *     if dim(G_t) &gt; 1:
 *         R_t ← β̂₂_t R_{t−1} + (1 − β̂₂_t) mean_cols(G_t ⊙ G_t)
 *         C_t ← β̂₂_t C_{t−1} + (1 − β̂₂_t) mean_rows(G_t ⊙ G_t)
 *         V̂_t ← R_t C_t / max(mean(R_t), ε₁)
 *     else:
 *         V̂_t ← β̂₂_t V̂_{t−1} + (1 − β̂₂_t) G_t ⊙ G_t
 *     U_t ← G_t / max(√V̂_t, ε₁)
 *     Û_t ← U_t / max(1, RMS(U_t)/d)
 *     θ_t ← θ_t − α_t Û_t
 * return θ_t
 * </pre>
 *
 * <p>As in PyTorch's code: the row and column statistics are means ({@code ‖G‖²/n} over the last and the
 * second-to-last dimension; a parameter with more than two dimensions is a batch of matrices), kept with
 * {@code lerp} by the weight {@code t^τ}; ε₁ is applied to the mean of R and, squared, to V̂ before
 * {@code rsqrt} (when ε₁ is null it becomes the machine epsilon of the group's <em>first</em> parameter with a
 * gradient, for the whole group); α_t uses the RMS of the parameter before the weight decay; the scalars are
 * computed in double precision from the step count.
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.01</td><td>learning rate γ: the largest relative step and the weight-decay scale; a Number or a one-element Tensor</td></tr>
 * <tr><td>beta2_decay</td><td>{@link Options#beta2Decay}</td><td>-0.8</td><td>τ, the decay of β₂ (≤ 0)</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>(None, 0.001)</td><td>(ε₁ or null, ε₂)</td></tr>
 * <tr><td>d</td><td>{@link Options#d}</td><td>1.0</td><td>clipping threshold (≥ 1)</td></tr>
 * <tr><td>weight_decay</td><td>{@link Options#weightDecay}</td><td>0.0</td><td>decoupled weight decay λ, multiplied by γ</td></tr>
 * <tr><td>foreach</td><td>{@link Options#foreach}</td><td>null</td><td>PyTorch's multi-tensor path; accepted, same maths</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * </table>
 *
 * <p>State, created at a parameter's first gradient: {@code step} (a 0-dim float32 tensor, incremented before
 * use) and, in the gradient's dtype, {@code row_var} (the gradient's shape with the last dimension 1) and
 * {@code col_var} (the second-to-last dimension 1) for a gradient of two or more dimensions, {@code variance}
 * (the gradient's shape) otherwise. Sparse gradients are rejected ({@code "Adafactor does not support sparse
 * gradients"}).
 *
 * <p>Paper: Shazeer and Stern, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", ICML 2018
 * (arXiv:1804.04235); the weight decay follows Loshchilov and Hutter (arXiv:1711.05101).
 *
 * <p>Differences from PyTorch: {@code foreach=true} runs the single-tensor maths (PyTorch's multi-tensor path
 * differs from it in the last float32 bits). PyTorch sums the squares of its norms in an order of its
 * vectorised kernels that optim4j follows for the vectorised part only, so a float32 norm can differ in the last
 * bit. PyTorch deviates from the paper in using γ as the cap of ρ_t and as the weight-decay scale, and ε₁ as
 * described above; optim4j follows PyTorch.
 */
public class Adafactor extends Optimizer {
  static final KeywordSpec SPEC = new KeywordSpec("Adafactor")
      .add("lr", FLOAT_OR_TENSOR, 1e-2)
      .add("beta2_decay", FLOAT, -0.8)
      .add("eps", OPTIONAL_FLOAT_AND_FLOAT, Collections.unmodifiableList(Arrays.asList(null, 1e-3)))
      .add("d", FLOAT, 1.0)
      .add("weight_decay", FLOAT, 0.0)
      .add("foreach", OPTIONAL_BOOL, null)
      .add("maximize", BOOL, false);

  /** Adafactor of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public Adafactor(Iterable<?> params) {
    this(params, options());
  }

  /**
   * Adafactor of {@code params} (tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option (see {@link Optimizer} for
   *     the parameter checks)
   */
  public Adafactor(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
  }

  /** Adafactor of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public Adafactor(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
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
    if (!(0 >= Scalars.value("beta2_decay", d.get("beta2_decay")))) {
      throw new IllegalArgumentException("beta2_decay should be <= 0 but is: " + PyFormat.str(d.get("beta2_decay")));
    }
    List<?> eps = (List<?>) d.get("eps");
    if (eps.get(0) != null && !(0 <= Scalars.value("eps[0]", eps.get(0)))) {
      throw new IllegalArgumentException("epsilon1 should be >= 0 but is: " + PyFormat.str(eps.get(0)));
    }
    if (!(0 <= Scalars.value("eps[1]", eps.get(1)))) {
      throw new IllegalArgumentException("epsilon2 should be >= 0 but is: " + PyFormat.str(eps.get(1)));
    }
    if (!(1 <= Scalars.value("d", d.get("d")))) {
      throw new IllegalArgumentException("Clipping threshold d should be >= 1 but is: " + PyFormat.str(d.get("d")));
    }
    if (!(0 <= Scalars.value("weight_decay", d.get("weight_decay")))) {
      throw new IllegalArgumentException("weight_decay should be >= 0 but is: " + PyFormat.str(d.get("weight_decay")));
    }
    return d;
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    for (ParamGroup group : paramGroups()) {
      List<Tensor> params = new ArrayList<>();
      List<Tensor> grads = new ArrayList<>();
      List<Tensor> rowVars = new ArrayList<>();
      List<Tensor> colVars = new ArrayList<>();
      List<Tensor> variances = new ArrayList<>();
      List<Tensor> stateSteps = new ArrayList<>();
      for (Tensor p : group.params()) {
        Tensor grad = p.grad();
        if (grad == null) {
          continue;
        }
        if (grad.isSparse()) {
          throw new IllegalStateException("Adafactor does not support sparse gradients");
        }
        params.add(p);
        grads.add(grad);
        Map<String, Object> state = state(p);
        if (state.isEmpty()) {
          state.put("step", Tensor.scalar(0.0));
          if (grad.dim() > 1) {
            int[] rowShape = grad.shape();
            rowShape[rowShape.length - 1] = 1;
            state.put("row_var", Tensor.zeros(grad.dtype(), rowShape));
            int[] colShape = grad.shape();
            colShape[colShape.length - 2] = 1;
            state.put("col_var", Tensor.zeros(grad.dtype(), colShape));
          } else {
            state.put("variance", Tensor.zerosLike(grad));
          }
        }
        rowVars.add((Tensor) state.get("row_var"));
        colVars.add((Tensor) state.get("col_var"));
        variances.add((Tensor) state.get("variance"));
        if (!(state.get("step") instanceof Tensor step)) {
          throw new IllegalStateException("'step'");
        }
        stateSteps.add(step);
      }
      List<?> eps = (List<?>) group.get("eps");
      Double eps1 = eps.get(0) == null ? null : Scalars.value("eps[0]", eps.get(0));
      Functional.adafactor(params, grads, rowVars, colVars, variances, stateSteps, group.getDouble("d"),
          group.get("lr"), group.getDouble("beta2_decay"), group.getDouble("weight_decay"), eps1,
          Scalars.value("eps[1]", eps.get(1)), group.getBoolean("maximize"));
    }
    return loss;
  }

  /**
   * Fills {@code foreach} in groups that lack it and turns a plain-number {@code step} into a 0-dim float32
   * tensor, as PyTorch's {@code Adafactor.__setstate__}.
   *
   * @throws IllegalStateException {@code 'step'} for a non-empty state without a step
   */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      SGD.setDefault(g, "foreach", null);
      for (Tensor p : g.params()) {
        Map<String, Object> s = state.get(p);
        if (s == null || s.isEmpty()) {
          continue;
        }
        if (!s.containsKey("step")) {
          throw new IllegalStateException("'step'");
        }
        if (!(s.get("step") instanceof Tensor)) {
          s.put("step", Tensor.scalar(Scalars.value("step", s.get("step"))));
        }
      }
    }
  }

  /** Adafactor's construction options; each setter returns this. */
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

    /** The decay τ of β₂ (default -0.8). */
    public Options beta2Decay(double beta2Decay) {
      return put("beta2_decay", beta2Decay);
    }

    /** ε₁ (null: the parameters' machine epsilon, the default) and ε₂ (default 1e-3). */
    public Options eps(Double eps1, double eps2) {
      return put("eps", Arrays.asList(eps1, eps2));
    }

    /** Clipping threshold (default 1.0). */
    public Options d(double d) {
      return put("d", d);
    }

    /** Decoupled weight decay (default 0.0). */
    public Options weightDecay(double weightDecay) {
      return put("weight_decay", weightDecay);
    }

    /** PyTorch's multi-tensor flag (default null); accepted, same maths. */
    public Options foreach(Boolean foreach) {
      return put("foreach", foreach);
    }

    /** Maximize the objective (default false). */
    public Options maximize(boolean maximize) {
      return put("maximize", maximize);
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
