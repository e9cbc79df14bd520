package org.optim4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.tensor.Tensor;

/**
 * What {@link Adamax}, {@link Adadelta}, {@link Adagrad}, {@link RMSprop} and {@link Rprop} share: PyTorch's
 * validation idioms ({@code not 0.0 <= x}, so NaN fails), the flag checks, state access with PyTorch's
 * {@code KeyError}, and the back-compat part of {@code __setstate__}.
 */
final class ClassicSupport {
  private ClassicSupport() {}

  /** The option values in the order of PyTorch's {@code defaults} dict (the order of the group keys). */
  static Map<String, Object> ordered(Map<String, Object> values, String... keys) {
    Map<String, Object> d = new LinkedHashMap<>();
    for (String key : keys) {
      d.put(key, values.get(key));
    }
    return d;
  }

  /** PyTorch's learning-rate checks: a tensor must have one element, the value must be {@code >= 0}. */
  static void checkLr(Object lr) {
    if (lr instanceof Tensor t && t.numel() != 1) {
      throw new IllegalArgumentException("Tensor lr must be 1-element");
    }
    if (!(0 <= Scalars.value("lr", lr))) {
      throw new IllegalArgumentException("Invalid learning rate: " + PyFormat.str(lr));
    }
  }

  /** {@code if not 0.0 <= d[key]: raise ValueError(f"Invalid {label} value: {d[key]}")}. */
  static void checkNonNegative(Map<String, Object> d, String key, String label) {
    if (!(0 <= Scalars.value(key, d.get(key)))) {
      throw new IllegalArgumentException("Invalid " + label + " value: " + PyFormat.str(d.get(key)));
    }
  }

  /** A pair option ({@code betas}, {@code etas}, {@code step_sizes}) whose entries must be Numbers. */
  static List<?> numberPair(String optimizer, Map<String, Object> d, String key) {
    List<?> pair = (List<?>) d.get(key);
    for (Object v : pair) {
      if (!(v instanceof Number)) {
        throw new IllegalArgumentException(optimizer + " option '" + key + "' must hold two floats (Numbers), got "
            + Scalars.describe(v));
      }
    }
    return pair;
  }

  /**
   * The construction-time flag checks: with {@code hasFused}, PyTorch's {@code fused} conflicts
   * ({@code RuntimeError}); then {@code differentiable=true}, which optim4j does not support.
   */
  static void checkFlags(Map<String, Object> d, boolean hasFused) {
    if (hasFused && Scalars.truthy(d.get("fused"))) {
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

  /** Fails for a group set to {@code differentiable} after construction. */
  static void checkNotDifferentiable(ParamGroup group) {
    if (group.getBoolean("differentiable")) {
      throw new UnsupportedOperationException(OptionSpec.DIFFERENTIABLE_UNSUPPORTED);
    }
  }

  /** PyTorch's error for a sparse gradient, raised before any group is updated. */
  static void rejectSparse(List<ParamGroup> groups, String optimizer) {
    for (int g = 0; g < groups.size(); g++) {
      List<Tensor> params = groups.get(g).params();
      for (int i = 0; i < params.size(); i++) {
        Tensor grad = params.get(i).grad();
        if (grad != null && grad.isSparse()) {
          throw new IllegalStateException(optimizer + " does not support sparse gradients");
        }
      }
    }
  }

  /**
   * {@code state[key]} as a tensor.
   *
   * @throws IllegalStateException {@code 'key'} when missing (PyTorch's {@code KeyError}), or when not a tensor
   */
  static Tensor stateTensor(Map<String, Object> state, String key) {
    if (!state.containsKey(key)) {
      throw new IllegalStateException("'" + key + "'");
    }
    if (state.get(key) instanceof Tensor t) {
      return t;
    }
    throw new IllegalStateException("state '" + key + "' must be a Tensor, got " + Scalars.describe(state.get(key)));
  }

  /** {@code group.setdefault(key, value)} for each key-value pair. */
  static void setDefaults(ParamGroup group, Object... keysAndValues) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      SGD.setDefault(group, (String) keysAndValues[i], keysAndValues[i + 1]);
    }
  }

  /**
   * The step conversion of PyTorch's {@code __setstate__}: a non-empty state whose {@code step} is a plain
   * number gets a 0-dim float32 tensor of {@code float(step)}.
   *
   * @throws IllegalStateException {@code 'step'} for a non-empty state without a step
   * @throws IllegalArgumentException for a step that Python's {@code float()} rejects
   */
  static void convertSteps(List<ParamGroup> groups, Map<Tensor, Map<String, Object>> state) {
    for (ParamGroup g : groups) {
      for (Tensor p : g.params()) {
        Map<String, Object> s = state.get(p);
        if (s == null || s.isEmpty()) {
          continue;
        }
        if (!s.containsKey("step")) {
          throw new IllegalStateException("'step'");
        }
        if (!(s.get("step") instanceof Tensor)) {
          s.put("step", Tensor.scalar(pythonFloat(s.get("step"))));
        }
      }
    }
  }

  /** Python's {@code float(value)}. */
  static double pythonFloat(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("could not convert string to float: " + PyFormat.repr(s), e);
      }
    }
    throw new IllegalArgumentException("float() argument must be a string or a real number, not '"
        + (value == null ? "NoneType" : value.getClass().getSimpleName()) + "'");
  }
}
