package org.optim4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.tensor.Tensor;

/**
 * The construction options of {@link LBFGS}, {@link Adafactor} and {@link Muon}: PyTorch's keyword arguments
 * with their defaults, in the order of PyTorch's {@code defaults} dict, and what each accepts. Besides floats,
 * tensors and flags these optimizers take ints ({@code max_iter}, {@code ns_steps}), optional ints
 * ({@code max_eval}), optional strings ({@code line_search_fn}, {@code adjust_lr_fn}), tuples of floats
 * ({@code ns_coefficients}) and a pair whose first entry may be None ({@code eps} of Adafactor).
 */
final class KeywordSpec {
  /** Checks one option value and returns it as the group stores it. */
  @FunctionalInterface
  interface Kind {
    /**
     * The value as stored.
     *
     * @throws IllegalArgumentException (through {@link #fail}) for a value of the wrong type
     */
    Object check(KeywordSpec spec, String key, Object value);
  }

  /** A Number (a Python float; an Integer stays an Integer, as a Python int stays an int). */
  static final Kind FLOAT = (s, k, v) -> v instanceof Number ? v : s.fail(k, "a float (a Number)", v);

  /** A Number or a one-element Tensor. */
  static final Kind FLOAT_OR_TENSOR = (s, k, v) -> v instanceof Number || v instanceof Tensor ? v
      : s.fail(k, "a float (a Number) or a Tensor", v);

  /** A Boolean. */
  static final Kind BOOL = (s, k, v) -> v instanceof Boolean ? v : s.fail(k, "a bool (a Boolean)", v);

  /** A Boolean or null. */
  static final Kind OPTIONAL_BOOL = (s, k, v) -> v == null || v instanceof Boolean ? v
      : s.fail(k, "a bool or None (a Boolean or null)", v);

  /** A Python int: an integral Number, stored as an Integer. */
  static final Kind INT = (s, k, v) -> {
    Integer i = integer(v);
    return i != null ? i : s.fail(k, "an int (an integral Number)", v);
  };

  /** An int or null. */
  static final Kind OPTIONAL_INT = (s, k, v) -> {
    if (v == null) {
      return null;
    }
    Integer i = integer(v);
    return i != null ? i : s.fail(k, "an int or None (an integral Number or null)", v);
  };

  /** A String or null. */
  static final Kind OPTIONAL_STRING = (s, k, v) -> v == null || v instanceof String ? v
      : s.fail(k, "a str or None (a String or null)", v);

  /** A tuple of floats: a List of Numbers, kept as an unmodifiable List. */
  static final Kind FLOATS = (s, k, v) -> {
    if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof Number)) {
      return List.copyOf(l);
    }
    return s.fail(k, "a tuple of floats (a List of Numbers)", v);
  };

  /** A pair {@code (float or None, float)}: a List of two entries, the first a Number or null. */
  static final Kind OPTIONAL_FLOAT_AND_FLOAT = (s, k, v) -> {
    if (v instanceof List<?> l && l.size() == 2 && (l.get(0) == null || l.get(0) instanceof Number)
        && l.get(1) instanceof Number) {
      return Collections.unmodifiableList(new ArrayList<>(l));
    }
    return s.fail(k, "a pair (a List of a Number or null, and a Number)", v);
  };

  private final String optimizer;
  private final LinkedHashMap<String, Kind> kinds = new LinkedHashMap<>();
  private final LinkedHashMap<String, Object> defaults = new LinkedHashMap<>();

  KeywordSpec(String optimizer) {
    this.optimizer = optimizer;
  }

  KeywordSpec add(String key, Kind kind, Object defaultValue) {
    kinds.put(key, kind);
    defaults.put(key, defaultValue);
    return this;
  }

  /** A modifiable copy of the defaults, in order. */
  LinkedHashMap<String, Object> defaults() {
    return new LinkedHashMap<>(defaults);
  }

  /**
   * The defaults overridden by {@code kwargs}, PyTorch's keyword arguments.
   *
   * @throws IllegalArgumentException for an unknown key (listing the valid ones) or a value of the wrong type
   */
  LinkedHashMap<String, Object> parse(Map<String, ?> kwargs) {
    Objects.requireNonNull(kwargs, "options");
    LinkedHashMap<String, Object> values = defaults();
    for (Map.Entry<String, ?> e : kwargs.entrySet()) {
      String key = e.getKey();
      if (!kinds.containsKey(key)) {
        throw new IllegalArgumentException(optimizer + ".__init__() got an unexpected keyword argument '" + key
            + "'; valid keywords: " + String.join(", ", kinds.keySet()));
      }
      values.put(key, check(key, e.getValue()));
    }
    return values;
  }

  /**
   * {@code value} as option {@code key} stores it.
   *
   * @throws IllegalArgumentException for a value of the wrong type
   */
  Object check(String key, Object value) {
    return kinds.get(key).check(this, key, value);
  }

  private Object fail(String key, String expected, Object value) {
    throw new IllegalArgumentException(optimizer + " option '" + key + "' must be " + expected + ", got "
        + Scalars.describe(value));
  }

  /** An integral Number in the int range as an Integer; null for anything else (Booleans included). */
  private static Integer integer(Object v) {
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof Number n && !(v instanceof Float || v instanceof Double)) {
      long l = n.longValue();
      return l == (int) l ? (int) l : null;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE ? (int) d : null;
    }
    return null;
  }
}
