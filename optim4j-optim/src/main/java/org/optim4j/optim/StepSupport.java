package org.optim4j.optim;

import java.util.List;
import java.util.Map;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * Checking options and reading per-parameter state the way PyTorch's constructors, {@code step} and
 * {@code __setstate__} do, for {@link ASGD}, {@link NAdam}, {@link RAdam} and {@link SparseAdam}; and the
 * bfloat16 state of {@link Adam}, {@link AdamW} and {@link SGD} ({@code state_dtype}, an optim4j extension).
 */
final class StepSupport {
  private StepSupport() {}

  /**
   * A zero state tensor for {@code p}: bfloat16 when the group's {@code state_dtype} (an optim4j extension) says
   * so, otherwise {@code p}'s dtype.
   */
  static Tensor zeroState(Tensor p, ParamGroup group) {
    return keepsBf16State(group) ? Tensor.zeros(DType.BFLOAT16, p.shape()) : Tensor.zerosLike(p);
  }

  /**
   * {@code t} in the group's state dtype: {@code t} itself, or a bfloat16 copy when the group keeps its state in
   * bfloat16 and {@code t} is a dense tensor of another dtype.
   */
  static Tensor inStateDtype(Tensor t, ParamGroup group) {
    return t != null && keepsBf16State(group) && !t.isSparse() && t.dtype() != DType.BFLOAT16
        ? t.to(DType.BFLOAT16) : t;
  }

  /** Whether the group's {@code state_dtype} is bfloat16. */
  static boolean keepsBf16State(ParamGroup group) {
    return OptionSpec.BFLOAT16.equals(group.get("state_dtype"));
  }

  /**
   * Rejects {@code differentiable=true}: optim4j does not differentiate through optimizer steps.
   *
   * @throws UnsupportedOperationException when the defaults set it
   */
  static void rejectDifferentiable(Map<String, Object> defaults) {
    if (Scalars.truthy(defaults.get("differentiable"))) {
      throw new UnsupportedOperationException(OptionSpec.DIFFERENTIABLE_UNSUPPORTED);
    }
  }

  /**
   * The state tensor under {@code key}.
   *
   * @throws IllegalStateException {@code 'key'} (PyTorch's KeyError) when it is missing, or when it is not a
   *     tensor
   */
  static Tensor get(Map<String, Object> state, String key) {
    if (!state.containsKey(key)) {
      throw new IllegalStateException("'" + key + "'");
    }
    if (state.get(key) instanceof Tensor t) {
      return t;
    }
    throw new IllegalStateException("state '" + key + "' must be a Tensor, got " + Scalars.describe(state.get(key)));
  }

  /**
   * PyTorch's {@code __setstate__} conversion of an old checkpoint's plain number under {@code key} into a
   * 0-dim float32 tensor ({@code torch.tensor(value, dtype=torch.float32)}); a tensor is kept.
   *
   * @throws IllegalStateException {@code 'key'} when it is missing
   * @throws IllegalArgumentException for a value that is neither a number nor a tensor
   */
  static void toScalarTensor(Map<String, Object> state, String key) {
    if (!state.containsKey(key)) {
      throw new IllegalStateException("'" + key + "'");
    }
    Object value = state.get(key);
    if (value instanceof Tensor) {
      return;
    }
    if (value instanceof Boolean b) {
      value = b ? 1 : 0;
    }
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException("state '" + key + "' must be a number or a Tensor, got "
          + Scalars.describe(value));
    }
    state.put(key, Tensor.scalar(n.doubleValue()));
  }

  /**
   * Throws PyTorch's {@code "<optimizer> does not support sparse gradients"} if any parameter of any group has a
   * sparse gradient (checked before any group is updated).
   */
  static void rejectSparseGradients(Optimizer optimizer, String name) {
    ClassicSupport.rejectSparse(optimizer.paramGroups(), name);
  }

  /**
   * Checks {@code betas} as PyTorch's constructors of NAdam, RAdam and SparseAdam do.
   *
   * @throws IllegalArgumentException {@code "Invalid beta parameter at index i: β"} for a beta outside [0, 1)
   */
  static void checkBetas(Object value) {
    List<?> betas = (List<?>) value;
    for (int i = 0; i < 2; i++) {
      double beta = Scalars.value("betas[" + i + "]", betas.get(i));
      if (!(0 <= beta && beta < 1)) {
        throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + PyFormat.str(betas.get(i)));
      }
    }
  }

  /**
   * Checks that both betas are Numbers, as the signatures of NAdam, RAdam and SparseAdam type them (after
   * PyTorch's own checks, which accept tensors).
   *
   * @throws IllegalArgumentException for a tensor beta
   */
  static void requireFloatBetas(String optimizer, Object betas) {
    beta(optimizer, betas, 0);
    beta(optimizer, betas, 1);
  }

  /**
   * A group's {@code betas[i]} as a double.
   *
   * @throws IllegalArgumentException when it is not a Number (these optimizers take float betas only)
   */
  static double beta(String optimizer, Object betas, int i) {
    if (betas instanceof List<?> l && l.size() == 2) {
      if (l.get(i) instanceof Number n) {
        return n.doubleValue();
      }
      throw new IllegalArgumentException(optimizer + " betas must be floats (Numbers), got betas[" + i + "] = "
          + Scalars.describe(l.get(i)));
    }
    throw new IllegalArgumentException(optimizer + " betas must be a pair of floats, got " + Scalars.describe(betas));
  }
}
