package org.optim4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The construction options of one optimizer: PyTorch's keyword arguments with their defaults (in the order
 * of PyTorch's {@code defaults} dict, which is the order of the group keys) and the Java types each accepts.
 */
final class OptionSpec {
  /** What an option accepts. */
  enum Kind {
    /** A Number (Python's {@code float}; an Integer stays an Integer, as a Python int stays an int). */
    FLOAT,
    /** A Number or a one-element Tensor (Python's {@code float | Tensor}). */
    FLOAT_OR_TENSOR,
    /** Two Numbers or Tensors, kept as an unmodifiable List (Python's tuple, such as {@code betas}). */
    PAIR,
    /** A Boolean. */
    BOOL,
    /** A Boolean or null (Python's {@code bool | None}, such as {@code foreach}). */
    OPTIONAL_BOOL,
    /**
     * The dtype of an optimizer's moments, an optim4j extension: null (the parameter's dtype) or bfloat16, given as
     * {@code "bfloat16"} or {@link DType#BFLOAT16} and kept as the string.
     */
    STATE_DTYPE
  }

  /** The value of {@code state_dtype} that keeps the moments in bfloat16. */
  static final String BFLOAT16 = "bfloat16";

  static final String DIFFERENTIABLE_UNSUPPORTED =
      "differentiable=True is not supported: optim4j does not differentiate through optimizer steps";

  private final String optimizer;
  private final LinkedHashMap<String, Kind> kinds = new LinkedHashMap<>();
  private final LinkedHashMap<String, Object> defaults = new LinkedHashMap<>();
  private final List<String> extensions = new ArrayList<>();

  OptionSpec(String optimizer) {
    this.optimizer = optimizer;
  }

  OptionSpec add(String key, Kind kind, Object defaultValue) {
    kinds.put(key, kind);
    defaults.put(key, defaultValue);
    return this;
  }

  /**
   * Adds an optim4j extension: accepted like PyTorch's keywords, but absent from the defaults (and so from the
   * groups, their {@code repr} and state dicts) unless given.
   */
  OptionSpec extension(String key, Kind kind) {
    kinds.put(key, kind);
    extensions.add(key);
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
            + "'; valid keywords: " + String.join(", ", defaults.keySet())
            + (extensions.isEmpty() ? "" : "; optim4j extensions: " + String.join(", ", extensions)));
      }
      values.put(key, check(key, e.getValue()));
    }
    return values;
  }

  /**
   * {@code value} if it has the type option {@code key} accepts (a pair becomes an unmodifiable List).
   *
   * @throws IllegalArgumentException otherwise
   */
  Object check(String key, Object value) {
    Kind kind = kinds.get(key);
    switch (kind) {
      case FLOAT:
        if (value instanceof Number) {
          return value;
        }
        throw wrongType(key, "a float (a Number)", value);
      case FLOAT_OR_TENSOR:
        if (value instanceof Number || value instanceof Tensor) {
          return value;
        }
        throw wrongType(key, "a float (a Number) or a Tensor", value);
      case PAIR:
        if (value instanceof List<?> l && l.size() == 2 && isNumberOrTensor(l.get(0)) && isNumberOrTensor(l.get(1))) {
          return List.of(l.get(0), l.get(1));
        }
        if (value instanceof double[] d && d.length == 2) {
          return List.of(d[0], d[1]);
        }
        throw wrongType(key, "a pair (a List of two Numbers or Tensors)", value);
      case BOOL:
        if (value instanceof Boolean) {
          return value;
        }
        throw wrongType(key, "a bool (a Boolean)", value);
      case STATE_DTYPE:
        if (value == null || BFLOAT16.equals(value) || value == DType.BFLOAT16) {
          return value == null ? null : BFLOAT16;
        }
        throw wrongType(key, "None or 'bfloat16' (null, \"bfloat16\" or DType.BFLOAT16)", value);
      default:
        if (value == null || value instanceof Boolean) {
          return value;
        }
        throw wrongType(key, "a bool or None (a Boolean or null)", value);
    }
  }

  private static boolean isNumberOrTensor(Object v) {
    return v instanceof Number || v instanceof Tensor;
  }

  private IllegalArgumentException wrongType(String key, String expected, Object value) {
    return new IllegalArgumentException(optimizer + " option '" + key + "' must be " + expected + ", got "
        + Scalars.describe(value));
  }
}
