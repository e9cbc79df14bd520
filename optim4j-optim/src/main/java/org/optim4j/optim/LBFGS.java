package org.optim4j.optim;

import static org.optim4j.optim.KeywordSpec.BOOL;
import static org.optim4j.optim.KeywordSpec.FLOAT;
import static org.optim4j.optim.KeywordSpec.FLOAT_OR_TENSOR;
import static org.optim4j.optim.KeywordSpec.INT;
import static org.optim4j.optim.KeywordSpec.OPTIONAL_INT;
import static org.optim4j.optim.KeywordSpec.OPTIONAL_STRING;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.optim.internal.DotDoubleKernels;
import org.optim4j.optim.internal.DotFloatKernels;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.optim.internal.TensorArrays;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * L-BFGS, PyTorch's {@code torch.optim.LBFGS}: a limited-memory quasi-Newton method that re-evaluates the
 * objective through the closure, several times per step.
 *
 * <pre>
 * input: γ (lr), θ₀ (params, as one flat vector), f (closure), m (history_size), K (max_iter), E (max_eval)
 * f ← ±f(θ);  g ← ±∇f(θ);  if max|g| ≤ tolerance_grad: return
 * for k = 1 to K do
 *     if first iteration ever:  d ← −g;  H ← 1
 *     else:
 *         y ← g − g_prev;   s ← t·d;   if yᵀs &gt; 10⁻¹⁰:  push (y, s, ρ = 1/yᵀs) (keep m);  H ← yᵀs / yᵀy
 *         q ← −g;   for i = newest … oldest:  αᵢ ← ρᵢ sᵢᵀq;  q ← q − αᵢ yᵢ
 *         d ← r ← H q;   for i = oldest … newest:  βᵢ ← ρᵢ yᵢᵀr;  r ← r + (αᵢ − βᵢ) sᵢ
 *     t ← first iteration ever ? min(1, 1/‖g‖₁)·γ : γ
 *     if gᵀd &gt; −tolerance_change: stop
 *     strong Wolfe:  (f, g, t) ← line search along d from t;   θ ← θ + t d
 *     otherwise:     θ ← θ + t d;  unless k = K:  f ← ±f(θ);  g ← ±∇f(θ)
 *     stop if k = K, evaluations ≥ E, max|g| ≤ tolerance_grad, max|t d| ≤ tolerance_change,
 *          or |f − f_prev| &lt; tolerance_change
 * return the closure's first loss
 * </pre>
 *
 * <p>All parameters are flattened into one vector (their gradients too: a missing gradient counts as zeros, a
 * sparse one is densified). Every scalar of PyTorch's code is kept with its Python type ({@link PyNumber}): inner
 * products are 0-dim tensors of the parameters' dtype, so a float32 problem rounds them to float32 where
 * PyTorch does; inner products sum in the order of the MKL kernel behind {@code torch.dot}. The strong-Wolfe
 * line search ({@code line_search_fn="strong_wolfe"}) is PyTorch's port of minFunc's, with {@code c1 = 1e-4},
 * {@code c2 = 0.9}, tolerance 1e-9 and at most {@code max_eval} minus the evaluations so far.
 *
 * <table>
 * <caption>Options (PyTorch's keywords, {@link Optimizers#create} keys)</caption>
 * <tr><th>key</th><th>setter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>lr</td><td>{@link Options#lr}</td><td>1</td><td>learning rate γ (the int 1, as PyTorch); a Number or a one-element Tensor</td></tr>
 * <tr><td>max_iter</td><td>{@link Options#maxIter}</td><td>20</td><td>iterations per step (an int)</td></tr>
 * <tr><td>max_eval</td><td>{@link Options#maxEval}</td><td>null</td><td>closure evaluations per step; null means {@code max_iter * 5 / 4} (integer arithmetic)</td></tr>
 * <tr><td>tolerance_grad</td><td>{@link Options#toleranceGrad}</td><td>1e-07</td><td>stop when the largest gradient entry is at most this</td></tr>
 * <tr><td>tolerance_change</td><td>{@link Options#toleranceChange}</td><td>1e-09</td><td>stop when the step or the loss change is below this</td></tr>
 * <tr><td>history_size</td><td>{@link Options#historySize}</td><td>100</td><td>number of (y, s) pairs kept (an int)</td></tr>
 * <tr><td>line_search_fn</td><td>{@link Options#lineSearchFn}</td><td>null</td><td>null (fixed step) or {@code "strong_wolfe"}</td></tr>
 * <tr><td>maximize</td><td>{@link Options#maximize}</td><td>false</td><td>maximize the objective (PyTorch 2.14)</td></tr>
 * </table>
 *
 * <p>State, PyTorch's, all under the first parameter: {@code func_evals} and {@code n_iter} (Integers, totals over
 * all steps), {@code d} (direction), {@code t} (step length: a number or a 0-dim tensor), {@code old_dirs}
 * (the y), {@code old_stps} (the s), {@code ro} (0-dim tensors 1/yᵀs), {@code H_diag}, {@code prev_flat_grad},
 * {@code prev_loss} (a Double) and {@code al} (a list of {@code history_size} 0-dim tensors or nulls). It is
 * a memory-hungry optimizer: {@code (2·history_size + 2)} copies of the parameters.
 *
 * <p>Paper: Nocedal, "Updating Quasi-Newton Matrices with Limited Storage", Mathematics of Computation 35
 * (1980); Liu and Nocedal, "On the limited memory BFGS method for large scale optimization", Mathematical
 * Programming 45 (1989). Implementation after Mark Schmidt's minFunc.
 *
 * <p>Differences from PyTorch 2.13: the two additions of PyTorch 2.14, {@code maximize} (the flat gradient and
 * every loss the algorithm sees are negated; {@code step} still returns the closure's own loss) and
 * {@code step} calling the closure once and returning its loss when the group has no parameters (2.13 fails);
 * loading a state dict without {@code maximize} sets it to false. A closure is required
 * ({@link NullPointerException} without one). Only one parameter group is supported, as in PyTorch
 * ({@link IllegalArgumentException} at construction, {@link IllegalStateException} at the step after
 * {@code addParamGroup}). Inner products of vectors whose length is not a multiple of 16 (float32) or 8
 * (float64) may differ from PyTorch's in the last bits, where MKL's order is not reproduced.
 */
public class LBFGS extends Optimizer {
  static final KeywordSpec SPEC = new KeywordSpec("LBFGS")
      .add("lr", FLOAT_OR_TENSOR, 1)
      .add("max_iter", INT, 20)
      .add("max_eval", OPTIONAL_INT, null)
      .add("tolerance_grad", FLOAT, 1e-7)
      .add("tolerance_change", FLOAT, 1e-9)
      .add("history_size", INT, 100)
      .add("line_search_fn", OPTIONAL_STRING, null)
      .add("maximize", BOOL, false);

  /** LBFGS of {@code params} (tensors) with PyTorch's defaults. */
  public LBFGS(Iterable<?> params) {
    this(params, options());
  }

  /**
   * LBFGS of {@code params} (tensors, one {@link ParamGroup}, or name-tensor entries).
   *
   * @throws IllegalArgumentException with PyTorch's message for an invalid learning rate or more than one
   *     parameter group (see {@link Optimizer} for the parameter checks)
   */
  public LBFGS(Iterable<?> params, Options options) {
    super(params, validated(options.values()));
    checkOneGroup();
  }

  /** LBFGS of named parameters (PyTorch's {@code named_parameters()}; the group gets {@code param_names}). */
  public LBFGS(Map<String, ? extends Tensor> namedParams, Options options) {
    super(namedParams, validated(options.values()));
    checkOneGroup();
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
    if (d.get("max_eval") == null) {
      d.put("max_eval", Math.floorDiv((Integer) d.get("max_iter") * 5, 4));
    }
    return d;
  }

  private void checkOneGroup() {
    if (paramGroups().size() != 1) {
      throw new IllegalArgumentException("LBFGS doesn't support per-parameter options (parameter groups)");
    }
  }

  /**
   * One L-BFGS step: up to {@code max_iter} iterations, calling {@code closure} at least once.
   *
   * @return the loss of the closure's first call
   * @throws NullPointerException without a closure
   * @throws IllegalStateException for a {@code line_search_fn} other than {@code "strong_wolfe"} (PyTorch's
   *     {@code "only 'strong_wolfe' is supported"}, raised at the first iteration that needs it), or when the
   *     optimizer has more than one group
   */
  @Override
  protected Tensor update(Closure closure) {
    Objects.requireNonNull(closure, "LBFGS.step() needs a closure that reevaluates the model and returns the loss");
    if (paramGroups().size() != 1) {
      throw new IllegalStateException("Expected exactly one param_group, but got " + paramGroups().size());
    }
    ParamGroup group = paramGroups().get(0);
    List<Tensor> params = group.params();
    if (params.isEmpty()) {
      return closure.call();
    }
    return new Run(params, group, closure).step();
  }

  /** PyTorch's {@code __setstate__} of 2.14 for checkpoints without {@code maximize}. */
  @Override
  protected void setState(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      SGD.setDefault(g, "maximize", false);
    }
  }

  /** One {@code step}: the group's options, the closure and the flat-vector helpers of PyTorch's LBFGS. */
  private final class Run {
    private final List<Tensor> params;
    private final Closure closure;
    private final boolean maximize;
    private final PyNumber lr;
    private final int maxIter;
    private final int maxEval;
    private final double toleranceGrad;
    private final double toleranceChange;
    private final int historySize;
    private final String lineSearchFn;

    Run(List<Tensor> params, ParamGroup group, Closure closure) {
      this.params = params;
      this.closure = closure;
      this.maximize = group.getBoolean("maximize");
      this.lr = PyNumber.from(group.get("lr"), "lr");
      this.maxIter = intOption(group, "max_iter");
      this.maxEval = intOption(group, "max_eval");
      this.toleranceGrad = group.getDouble("tolerance_grad");
      this.toleranceChange = group.getDouble("tolerance_change");
      this.historySize = intOption(group, "history_size");
      Object fn = group.get("line_search_fn");
      this.lineSearchFn = fn == null ? null : fn.toString();
    }

    @SuppressWarnings("unchecked") // the lists LBFGS keeps in its state (or loaded into it) hold tensors and nulls
    Tensor step() {
      // LBFGS has only global state, kept under the first parameter, as PyTorch does.
      Map<String, Object> state = state(params.get(0));
      state.putIfAbsent("func_evals", 0);
      state.putIfAbsent("n_iter", 0);

      Tensor origLoss = closure.call();
      double loss = lossOf(origLoss);
      int currentEvals = 1;
      addTo(state, "func_evals", 1);

      Tensor flatGrad = gatherFlatGrad();
      boolean optCond = absMax(flatGrad).le(toleranceGrad);
      if (optCond) {
        return origLoss;
      }

      Tensor d = (Tensor) state.get("d");
      PyNumber t = state.get("t") == null ? null : PyNumber.from(state.get("t"), "t");
      List<Tensor> oldDirs = state.get("old_dirs") == null ? null : new ArrayList<>((List<Tensor>) state.get("old_dirs"));
      List<Tensor> oldStps = state.get("old_stps") == null ? null : new ArrayList<>((List<Tensor>) state.get("old_stps"));
      List<Object> ro = state.get("ro") == null ? null : new ArrayList<>((List<Object>) state.get("ro"));
      PyNumber hDiag = state.get("H_diag") == null ? null : PyNumber.from(state.get("H_diag"), "H_diag");
      Tensor prevFlatGrad = (Tensor) state.get("prev_flat_grad");
      Object prevLoss = state.get("prev_loss");

      int nIter = 0;
      while (nIter < maxIter) {
        nIter++;
        int stateIter = addTo(state, "n_iter", 1);

        // compute the descent direction
        if (stateIter == 1) {
          d = flatGrad.neg();
          oldDirs = new ArrayList<>();
          oldStps = new ArrayList<>();
          ro = new ArrayList<>();
          hDiag = PyNumber.from(1, "H_diag");
        } else {
          Tensor y = flatGrad.sub(prevFlatGrad);
          Tensor s = d.mul(t.value());
          PyNumber ys = dot(y, s);
          if (ys.gt(1e-10)) {
            if (oldDirs.size() == historySize) {
              oldDirs.remove(0);
              oldStps.remove(0);
              ro.remove(0);
            }
            oldDirs.add(y);
            oldStps.add(s);
            ro.add(PyNumber.of(1.0).div(ys).toObject());
            hDiag = ys.div(dot(y, y));
          }
          int numOld = oldDirs.size();
          List<Object> al = state.containsKey("al") ? new ArrayList<>((List<Object>) state.get("al"))
              : new ArrayList<>(Collections.nCopies(historySize, null));
          state.put("al", al);
          PyNumber[] alphas = new PyNumber[numOld];
          Tensor q = flatGrad.neg();
          for (int i = numOld - 1; i >= 0; i--) {
            alphas[i] = dot(oldStps.get(i), q).mul(PyNumber.from(ro.get(i), "ro"));
            al.set(i, alphas[i].toObject());
            q.add_(oldDirs.get(i), alphas[i].neg().value());
          }
          Tensor r = q.mul(hDiag.value());
          d = r;
          for (int i = 0; i < numOld; i++) {
            PyNumber be = dot(oldDirs.get(i), r).mul(PyNumber.from(ro.get(i), "ro"));
            r.add_(oldStps.get(i), alphas[i].sub(be).value());
          }
        }
        if (prevFlatGrad == null) {
          prevFlatGrad = flatGrad.clone();
        } else {
          prevFlatGrad.copy_(flatGrad);
        }
        prevLoss = loss;

        // compute the step length
        if (stateIter == 1) {
          PyNumber gradNorm1 = PyNumber.tensor(flatGrad.abs().sum().item(), flatGrad.dtype());
          t = PyNumber.min(PyNumber.of(1.0), PyNumber.of(1.0).div(gradNorm1)).mul(lr);
        } else {
          t = lr;
        }
        PyNumber gtd = dot(flatGrad, d);
        if (gtd.gt(-toleranceChange)) {
          break;
        }

        int lsFuncEvals = 0;
        if (lineSearchFn != null) {
          if (!lineSearchFn.equals("strong_wolfe")) {
            throw new IllegalStateException("only 'strong_wolfe' is supported");
          }
          List<Tensor> xInit = cloneParams();
          StrongWolfe.Result ls = StrongWolfe.search(this::directionalEvaluate, xInit, t, d, loss, flatGrad, gtd,
              1e-4, 0.9, 1e-9, maxEval - currentEvals);
          loss = ls.loss();
          flatGrad = ls.grad();
          t = ls.t();
          lsFuncEvals = ls.funcEvals();
          addGrad(t, d);
          optCond = absMax(flatGrad).le(toleranceGrad);
        } else {
          addGrad(t, d);
          if (nIter != maxIter) {
            // re-evaluate the function only if not in the last iteration
            loss = lossOf(closure.call());
            flatGrad = gatherFlatGrad();
            optCond = absMax(flatGrad).le(toleranceGrad);
            lsFuncEvals = 1;
          }
        }
        currentEvals += lsFuncEvals;
        addTo(state, "func_evals", lsFuncEvals);

        // check the conditions
        if (nIter == maxIter || currentEvals >= maxEval || optCond) {
          break;
        }
        if (absMax(d.mul(t.value())).le(toleranceChange)) {
          break;
        }
        if (Math.abs(loss - ((Number) prevLoss).doubleValue()) < toleranceChange) {
          break;
        }
      }

      state.put("d", d);
      state.put("t", t == null ? null : t.toObject());
      state.put("old_dirs", oldDirs);
      state.put("old_stps", oldStps);
      state.put("ro", ro);
      state.put("H_diag", hDiag == null ? null : hDiag.toObject());
      state.put("prev_flat_grad", prevFlatGrad);
      state.put("prev_loss", prevLoss);
      return origLoss;
    }

    /** {@code float(loss)}, negated when maximizing. */
    private double lossOf(Tensor loss) {
      if (loss == null) {
        throw new IllegalArgumentException("float() argument must be a string or a real number, not 'NoneType'");
      }
      double value = loss.item();
      return maximize ? -value : value;
    }

    /** PyTorch's {@code _gather_flat_grad}: the gradients as one vector (zeros for a missing one), negated when maximizing. */
    private Tensor gatherFlatGrad() {
      List<Tensor> views = new ArrayList<>();
      for (Tensor p : params) {
        Tensor g = p.grad();
        if (g == null) {
          views.add(Tensor.zeros(p.dtype(), (int) p.numel()));
        } else if (g.isSparse()) {
          views.add(g.toDense().reshape(-1));
        } else {
          views.add(g.reshape(-1));
        }
      }
      Tensor flat = Tensor.cat(views, 0);
      return maximize ? flat.neg() : flat;
    }

    /** PyTorch's {@code _add_grad}: {@code p.add_(update[offset:offset+numel], alpha=t)} for each parameter. */
    private void addGrad(PyNumber stepSize, Tensor update) {
      int offset = 0;
      for (Tensor p : params) {
        int numel = (int) p.numel();
        p.add_(update.narrow(0, offset, numel).view(p.shape()), stepSize.value());
        offset += numel;
      }
    }

    private List<Tensor> cloneParams() {
      List<Tensor> copies = new ArrayList<>();
      for (Tensor p : params) {
        copies.add(p.detach().clone());
      }
      return copies;
    }

    /** PyTorch's {@code _directional_evaluate}: the loss and flat gradient at {@code x + t·d}; restores x. */
    private StrongWolfe.Evaluation directionalEvaluate(List<Tensor> x, PyNumber t, Tensor d) {
      addGrad(t, d);
      double loss = lossOf(closure.call());
      Tensor flatGrad = gatherFlatGrad();
      for (int i = 0; i < params.size(); i++) {
        params.get(i).copy_(x.get(i));
      }
      return new StrongWolfe.Evaluation(loss, flatGrad);
    }
  }

  private static int intOption(ParamGroup group, String key) {
    Object v = group.get(key);
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return (int) n.doubleValue();
    }
    throw new IllegalArgumentException("LBFGS option '" + key + "' must be an int, got " + Scalars.describe(v));
  }

  /** Adds {@code delta} to the Integer counter {@code key} of the state; returns the new value. */
  private static int addTo(Map<String, Object> state, String key, int delta) {
    int value = ((Number) state.get(key)).intValue() + delta;
    state.put(key, value);
    return value;
  }

  /** {@code a.dot(b)}: a 0-dim tensor of the vectors' dtype, summed in the order of PyTorch's MKL kernel. */
  static PyNumber dot(Tensor a, Tensor b) {
    int n = (int) a.numel();
    if (a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32) {
      return PyNumber.tensor(DotFloatKernels.dot(TensorArrays.floats(a), TensorArrays.floats(b), n, 4),
          DType.FLOAT32);
    }
    return PyNumber.tensor(DotDoubleKernels.dot(TensorArrays.doubles(a.to(DType.FLOAT64)),
        TensorArrays.doubles(b.to(DType.FLOAT64)), n, 2), DType.FLOAT64);
  }

  /** {@code v.abs().max()} as a 0-dim tensor. */
  static PyNumber absMax(Tensor v) {
    return PyNumber.tensor(v.abs().max().item(), v.dtype());
  }

  /** LBFGS's construction options; each setter returns this. */
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

    /** Learning rate (default 1). */
    public Options lr(double lr) {
      return put("lr", lr);
    }

    /** Learning rate as a one-element tensor. */
    public Options lr(Tensor lr) {
      return put("lr", lr);
    }

    /** Maximal number of iterations per step (default 20). */
    public Options maxIter(int maxIter) {
      return put("max_iter", maxIter);
    }

    /** Maximal number of closure evaluations per step (default null: {@code max_iter * 5 / 4}). */
    public Options maxEval(Integer maxEval) {
      return put("max_eval", maxEval);
    }

    /** Termination tolerance on the largest gradient entry (default 1e-7). */
    public Options toleranceGrad(double toleranceGrad) {
      return put("tolerance_grad", toleranceGrad);
    }

    /** Termination tolerance on the change of the parameters or the loss (default 1e-9). */
    public Options toleranceChange(double toleranceChange) {
      return put("tolerance_change", toleranceChange);
    }

    /** Number of (y, s) pairs kept (default 100). */
    public Options historySize(int historySize) {
      return put("history_size", historySize);
    }

    /** Null (a fixed step, the default) or {@code "strong_wolfe"}. */
    public Options lineSearchFn(String lineSearchFn) {
      return put("line_search_fn", lineSearchFn);
    }

    /** Maximize the objective (default false; PyTorch 2.14). */
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
