package org.optim4j.optim;

import java.util.Collection;
import java.util.Map;
import org.optim4j.tensor.Tensor;

/** How optimizers read hyper-parameter values: as numbers (Python's comparisons) and as flags (truthiness). */
final class Scalars {
  private Scalars() {}

  /**
   * The number a value compares as: a Number, or the value of a one-element tensor.
   *
   * @throws IllegalStateException for a tensor with several elements, as PyTorch's comparison does
   * @throws IllegalArgumentException for anything else
   */
  static double value(String key, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Tensor t) {
      if (t.numel() != 1) {
        throw new IllegalStateException("Boolean value of Tensor with more than one value is ambiguous");
      }
      return t.item();
    }
    throw new IllegalArgumentException(key + " must be a number, got " + describe(v));
  }

  /** Python's truthiness of a flag: null and zero are false. */
  static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (v instanceof Tensor t) {
      return value("flag", t) != 0;
    }
    if (v instanceof CharSequence s) {
      return s.length() > 0;
    }
    if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  /** A value's type for messages: {@code None}, or the Java class's simple name. */
  static String describe(Object v) {
    return v == null ? "None" : v.getClass().getSimpleName() + " " + v;
  }
}
