package org.optim4j.optim;

import static org.optim4j.optim.OptionSpec.Kind.BOOL;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT;
import static org.optim4j.optim.OptionSpec.Kind.FLOAT_OR_TENSOR;
import static org.optim4j.optim.OptionSpec.Kind.PAIR;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.functional.Functional;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.tensor.Tensor;

/**
 * SparseAdam, PyTorch's {@code torch.optim.SparseAdam}: a masked Adam for dense parameters with sparse
 * gradients (such as those of an embedding lookup), which updates the moments and the parameters only at the
 * entries the gradient holds.
 *
 * <pre>
 * input: γ (lr), β₁, β₂ (betas), θ₀ (params), f(θ) (objective), ε (eps), maximize
 * initialize: m₀ ← 0 (first moment), v₀ ← 0 (second moment)
 * for t = 1 to … do
 *     g_t ← −∇θ f_t(θ_{t−1})  if maximize,  else  ∇θ f_t(θ_{t−1})    (sparse; duplicate entries summed)
 *     for the entries i that g_t holds (all others keep m, v and θ):
 *         m_{t,i} ← m_{t−1,i} + (1 − β₁)(g_{t,i} − m_{t−1,i})
 *         v_{t,i} ← v_{t−1,i} + (1 − β₂)(g_{t,i}² − v_{t−1,i})
 *         θ_{t,i} ← θ_{t−1,i} − γ √(1 − β₂ᵗ) / (1 − β₁ᵗ) · m_{t,i} / (√v_{t,i} + ε)
 * return θ_t
 * </pre>
 *
 * <p>PyTorch's documentation has no algorithm box for SparseAdam; this one is its code
 * ({@code torch.optim._functional.sparse_adam}). Unlike {@link Adam}, ε is added to √v before the bias
 * correction, which is folded into the step size (computed in double precision). The gradient is coalesced
 * first, because the update is not linear in it; the step count t counts the steps at which the parameter had
 * a gradient, including an empty one (which changes nothing else).
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>0.001</td><td>learning rate γ (&gt; 0); a Number or a one-element Tensor</td></tr>
 * <tr><td>betas</td><td>{@link Options#betas}</td><td>(0.9, 0.999)</td><td>β₁, β₂ (Numbers)</td></tr>
 * <tr><td>eps</td><td>{@link Options#eps}</td><td>1e-08</td><td>ε (&gt; 0), added to the denominator</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective</td></tr>
 * </table>
 *
 * <p>The parameters must be dense ({@code "Sparse params at indices [[group, index], ...]: SparseAdam requires
 * dense parameter tensors"}) and their gradients sparse ({@code "SparseAdam does not support dense gradients,
 * please consider Adam instead"}). State, created at a parameter's first gradient: {@code step} (an
 * {@link Integer}, as PyTorch's Python int, incremented before use), {@code exp_avg}, {@code exp_avg_sq} (dense,
 * the parameter's dtype). There is no {@code foreach}, {@code fused}, {@code capturable} or
 * {@code differentiable} option, as in PyTorch.
 *
 * <p>Paper: Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015 (arXiv:1412.6980), masked
 * to the gradient's entries.
 *
 * <p>Differences from PyTorch: a dense gradient is rejected before any parameter is touched (PyTorch fails at
 * that parameter, after updating the groups before it and counting steps of the parameters before it in its
 * group); betas must be Numbers; PyTorch's other constructor check (complex parameters) has no counterpart, as
 * optim4j has no complex dtype. Duplicate gradient entries are summed by {@link Tensor#coalesce}, whose float32
 * sums of three or more duplicates may differ from PyTorch's in the last bit.
 */
public class SparseAdam extends Optimizer {
  static final OptionSpec SPEC = new OptionSpec("SparseAdam")
      .add("lr", FLOAT_OR_TENSOR, 1e-3)
      .add("betas", PAIR, List.of(0.9, 0.999))
      .add("eps", FLOAT, 1e-8)
      .add("maximize", BOOL, false);

  /** SparseAdam of {@code params} (tensors or {@link ParamGroup}s) with PyTorch's defaults. */
  public SparseAdam(Iterable<?> params) {
    this(params, options());
  }

  /**
   * SparseAdam of {@code params} (dense tensors, {@link ParamGroup}s, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid option or a sparse parameter (see
   *     {@link Optimizer} for the other parameter checks), or for a tensor beta
   */
  public SparseAdam(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    checkDenseParams();
  }

  /** SparseAdam of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public SparseAdam(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    checkDenseParams();
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
    if (!(0 < Scalars.value("lr", lr))) {
      throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.str(lr));
    }
    if (!(0 < Scalars.value("eps", d.get("eps")))) {
      throw new IllegalArgumentException("Invalid epsilon value: " + PyFormat.str(d.get("eps")));
    }
    StepSupport.checkBetas(d.get("betas"));
    StepSupport.requireFloatBetas("SparseAdam", d.get("betas"));
    return d;
  }

  private void checkDenseParams() {
    List<List<Integer>> sparse = new ArrayList<>();
    List<ParamGroup> groups = paramGroups();
    for (int g = 0; g < groups.size(); g++) {
      List<Tensor> params = groups.get(g).params();
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i).isSparse()) {
          sparse.add(List.of(g, i));
        }
      }
    }
    if (!sparse.isEmpty()) {
      throw new IllegalArgumentException("Sparse params at indices " + sparse
          + ": SparseAdam requires dense parameter tensors");
    }
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    for (ParamGroup group : paramGroups()) {
      for (Tensor p : group.params()) {
        if (p.grad() != null && !p.grad().isSparse()) {
          throw new IllegalStateException(
              "SparseAdam does not support dense gradients, please consider Adam instead");
        }
      }
    }
    for (ParamGroup group : paramGroups()) {
      List<Tensor> params = new ArrayList<>();
      List<Tensor> grads = new ArrayList<>();
      List<Tensor> expAvgs = new ArrayList<>();
      List<Tensor> expAvgSqs = new ArrayList<>();
      List<Integer> stateSteps = new ArrayList<>();
      Object betas = group.get("betas");
      double beta1 = StepSupport.beta("SparseAdam", betas, 0);
      double beta2 = StepSupport.beta("SparseAdam", betas, 1);
      for (Tensor p : group.params()) {
        if (p.grad() == null) {
          continue;
        }
        params.add(p);
        grads.add(p.grad());
        Map<String, Object> state = state(p);
        if (state.isEmpty()) {
          state.put("step", 0);
          state.put("exp_avg", Tensor.zerosLike(p));
          state.put("exp_avg_sq", Tensor.zerosLike(p));
        }
        expAvgs.add(StepSupport.get(state, "exp_avg"));
        expAvgSqs.add(StepSupport.get(state, "exp_avg_sq"));
        int step = increment(state);
        stateSteps.add(step);
      }
      Functional.sparseAdam(params, grads, expAvgs, expAvgSqs, stateSteps, group.getDouble("eps"), beta1, beta2,
          group.get("lr"), Scalars.truthy(group.get("maximize")));
    }
    return loss;
  }

  /**
   * {@code state["step"] += 1} for PyTorch's int step.
   *
   * @throws IllegalStateException {@code 'step'} when it is missing, or when it is not an integer
   */
  private static int increment(Map<String, Object> state) {
    if (!state.containsKey("step")) {
      throw new IllegalStateException("'step'");
    }
    Object step = state.get("step");
    if (step instanceof Integer || step instanceof Long || step instanceof Short || step instanceof Byte) {
      int next = Math.toIntExact(((Number) step).longValue() + 1);
      state.put("step", next);
      return next;
    }
    throw new IllegalStateException("SparseAdam state 'step' must be an int, got " + Scalars.describe(step));
  }

  /** SparseAdam's construction options; each setter returns this. */
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

    /** Learning rate (default 1e-3; must be positive). */
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

    /** Term added to the denominator (default 1e-8; must be positive). */
    public Options eps(double eps) {
      return put("eps", eps);
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
