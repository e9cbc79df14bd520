package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.internal.PyFormat;

/**
 * Reads the values of a scheduler state dict being loaded: a key that is absent keeps the current value (as
 * Python's {@code __dict__.update} does), a value of the wrong type is rejected before anything changes.
 * Python ints may arrive as any integral Number (Integer, Long, or a Double from a JSON reader), floats as
 * any Number.
 */
final class StateValues {
  private StateValues() {}

  static int intValue(Map<String, ?> sd, String key, int current) {
    if (!sd.containsKey(key)) {
      return current;
    }
    return toInt(key, sd.get(key));
  }

  static long longValue(Map<String, ?> sd, String key, long current) {
    if (!sd.containsKey(key)) {
      return current;
    }
    Object v = sd.get(key);
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw wrong(key, "an int", v);
  }

  static int toInt(String key, Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
        return n.intValue();
      }
    }
    throw wrong(key, "an int", v);
  }

  static double doubleValue(Map<String, ?> sd, String key, double current) {
    if (!sd.containsKey(key)) {
      return current;
    }
    return toDouble(key, sd.get(key));
  }

  static double toDouble(String key, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw wrong(key, "a float", v);
  }

  /** A number kept as given (Python keeps an int an int). */
  static Number number(Map<String, ?> sd, String key, Number current) {
    if (!sd.containsKey(key)) {
      return current;
    }
    Object v = sd.get(key);
    if (v instanceof Number n) {
      return n;
    }
    throw wrong(key, "a number", v);
  }

  static boolean boolValue(Map<String, ?> sd, String key, boolean current) {
    if (!sd.containsKey(key)) {
      return current;
    }
    Object v = sd.get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrong(key, "a bool", v);
  }

  static String stringValue(Map<String, ?> sd, String key, String current) {
    if (!sd.containsKey(key)) {
      return current;
    }
    Object v = sd.get(key);
    if (v instanceof String s) {
      return s;
    }
    throw wrong(key, "a str", v);
  }

  static List<Double> doubleList(Map<String, ?> sd, String key, List<Double> current) {
    if (!sd.containsKey(key)) {
      return current;
    }
    Object v = sd.get(key);
    if (!(v instanceof List<?> list)) {
      throw wrong(key, "a list of floats", v);
    }
    List<Double> out = new ArrayList<>();
    for (Object e : list) {
      if (!(e instanceof Number n)) {
        throw wrong(key, "a list of floats", v);
      }
      out.add(n.doubleValue());
    }
    return Collections.unmodifiableList(out);
  }

  static List<Number> numberList(Map<String, ?> sd, String key, List<Number> current) {
    if (!sd.containsKey(key)) {
      return current;
    }
    Object v = sd.get(key);
    if (!(v instanceof List<?> list)) {
      throw wrong(key, "a list of numbers", v);
    }
    List<Number> out = new ArrayList<>();
    for (Object e : list) {
      if (!(e instanceof Number n)) {
        throw wrong(key, "a list of numbers", v);
      }
      out.add(n);
    }
    return Collections.unmodifiableList(out);
  }

  static IllegalArgumentException wrong(String key, String expected, Object v) {
    return new IllegalArgumentException("state_dict['" + key + "'] must be " + expected + ", got " + describe(v));
  }

  /** A value for messages: its Java type (List and Map for any list or map) and Python's repr. */
  static String describe(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof List<?> list) {
      return "List " + PyFormat.reprList(list);
    }
    if (v instanceof Map) {
      return "Map " + PyFormat.repr(v);
    }
    return v.getClass().getSimpleName() + " " + PyFormat.repr(v);
  }
}
