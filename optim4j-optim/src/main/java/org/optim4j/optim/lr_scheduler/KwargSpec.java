package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The keyword arguments of one scheduler's constructor, for {@link LRSchedulers#create} and the Options
 * classes: PyTorch's names in PyTorch's order, their defaults, which are required, and the Java types each
 * accepts.
 */
final class KwargSpec {
  /** What a keyword accepts. */
  enum Kind {
    /** An Integer (or another integral Number type within int range), stored as an Integer. */
    INT,
    /** An INT or null (Python's {@code int | None}). */
    OPTIONAL_INT,
    /** Any Number (Python's float; an int is accepted), kept as given. */
    FLOAT,
    /** A Number for every group or a List of Numbers, one per group. */
    PER_GROUP,
    /** A String. */
    STRING,
    /** A Boolean. */
    BOOL,
    /** A List (or other Iterable) of INTs. */
    INT_LIST
  }

  private final String owner;
  private final LinkedHashMap<String, Kind> kinds = new LinkedHashMap<>();
  private final LinkedHashMap<String, Object> defaults = new LinkedHashMap<>();
  private final Set<String> required = new LinkedHashSet<>();
  private final Map<String, Function<Object, String>> typeMessages = new LinkedHashMap<>();

  KwargSpec(String owner) {
    this.owner = owner;
  }

  KwargSpec add(String key, Kind kind, Object defaultValue) {
    kinds.put(key, kind);
    defaults.put(key, defaultValue);
    return this;
  }

  KwargSpec required(String key, Kind kind) {
    kinds.put(key, kind);
    required.add(key);
    return this;
  }

  /** PyTorch's own message for a value of the wrong type (such as {@code "Expected positive integer T_0, but got 2.5"}). */
  KwargSpec typeMessage(String key, Function<Object, String> message) {
    typeMessages.put(key, message);
    return this;
  }

  /** The keywords, in PyTorch's order. */
  Set<String> keys() {
    return Collections.unmodifiableSet(kinds.keySet());
  }

  /** The defaults (required keys are absent), modifiable and in order. */
  LinkedHashMap<String, Object> defaults() {
    return new LinkedHashMap<>(defaults);
  }

  /**
   * The defaults overridden by {@code kwargs}.
   *
   * @throws IllegalArgumentException for an unknown key (listing the valid ones) or a value of the wrong type
   * @throws NullPointerException for a missing required keyword, with Python's message
   */
  LinkedHashMap<String, Object> parse(Map<String, ?> kwargs) {
    Objects.requireNonNull(kwargs, "kwargs");
    LinkedHashMap<String, Object> values = defaults();
    for (Map.Entry<String, ?> e : kwargs.entrySet()) {
      if (!kinds.containsKey(e.getKey())) {
        throw new IllegalArgumentException(owner + ".__init__() got an unexpected keyword argument '" + e.getKey()
            + "'; valid keywords: " + String.join(", ", kinds.keySet()));
      }
      values.put(e.getKey(), check(e.getKey(), e.getValue()));
    }
    checkRequired(values);
    return values;
  }

  /** Python's TypeError for missing required arguments, as a NullPointerException. */
  void checkRequired(Map<String, Object> values) {
    List<String> missing = new ArrayList<>();
    for (String key : required) {
      if (values.get(key) == null) {
        missing.add("'" + key + "'");
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String names;
    if (missing.size() == 1) {
      names = missing.get(0);
    } else if (missing.size() == 2) {
      names = missing.get(0) + " and " + missing.get(1);
    } else {
      names = String.join(", ", missing.subList(0, missing.size() - 1)) + ", and " + missing.get(missing.size() - 1);
    }
    throw new NullPointerException(owner + ".__init__() missing " + missing.size() + " required positional argument"
        + (missing.size() == 1 ? "" : "s") + ": " + names);
  }

  /**
   * {@code value} converted to what keyword {@code key} stores.
   *
   * @throws IllegalArgumentException if it has the wrong type
   */
  Object check(String key, Object value) {
    Kind kind = kinds.get(key);
    switch (kind) {
      case INT:
        return toInt(key, value);
      case OPTIONAL_INT:
        return value == null ? null : toInt(key, value);
      case FLOAT:
        if (value instanceof Number) {
          return value;
        }
        throw wrongType(key, "a float (a Number)", value);
      case PER_GROUP:
        if (value instanceof Number) {
          return value;
        }
        if (value instanceof List<?> list) {
          for (Object v : list) {
            if (!(v instanceof Number)) {
              throw wrongType(key, "a float or a list of floats (Numbers)", value);
            }
          }
          return List.copyOf(list);
        }
        throw wrongType(key, "a float or a list of floats (Numbers)", value);
      case STRING:
        if (value instanceof String) {
          return value;
        }
        throw wrongType(key, "a str (a String)", value);
      case BOOL:
        if (value instanceof Boolean) {
          return value;
        }
        throw wrongType(key, "a bool (a Boolean)", value);
      default:
        if (value instanceof Iterable<?> items) {
          List<Integer> ints = new ArrayList<>();
          for (Object v : items) {
            if (!isInt(v)) {
              throw wrongType(key, "a list of ints (Integers)", value);
            }
            ints.add(((Number) v).intValue());
          }
          return Collections.unmodifiableList(ints);
        }
        throw wrongType(key, "a list of ints (Integers)", value);
    }
  }

  private Integer toInt(String key, Object value) {
    if (isInt(value)) {
      return ((Number) value).intValue();
    }
    throw wrongType(key, "an int (an Integer)", value);
  }

  private static boolean isInt(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return true;
    }
    return v instanceof Long l && l == l.intValue();
  }

  private IllegalArgumentException wrongType(String key, String expected, Object value) {
    Function<Object, String> custom = typeMessages.get(key);
    if (custom != null) {
      return new IllegalArgumentException(custom.apply(value));
    }
    return new IllegalArgumentException(owner + " option '" + key + "' must be " + expected + ", got "
        + StateValues.describe(value));
  }
}
