package org.optim4j.optim.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Tolerance;

/**
 * State-dict values for the contract tests: decoding the inline JSON of fixtures/seeds (a tensor is
 * {@code {"tensor": {"dtype", "shape", "data"}}}, a tuple a list, None null), deep copies (what saving and
 * loading a checkpoint does), an exact text form for bit-for-bit comparisons, and a comparison with PyTorch's
 * values under the project's tolerance rule.
 */
final class StateValues {
  private StateValues() {}

  /** A fixture tensor given inline: {@code {"dtype": ..., "shape": [...], "data": [...]}}. */
  static Tensor tensor(Map<?, ?> encoded) {
    List<?> data = (List<?>) encoded.get("data");
    List<?> shape = (List<?>) encoded.get("shape");
    double[] d = new double[data.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = ((Number) data.get(i)).doubleValue();
    }
    int[] s = shape.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    return Tensor.of(d).to(dtype((String) encoded.get("dtype"))).reshape(s);
  }

  static DType dtype(String name) {
    return switch (name) {
      case "float32" -> DType.FLOAT32;
      case "float64" -> DType.FLOAT64;
      default -> throw new AssertionError("unexpected dtype " + name);
    };
  }

  static String dtypeName(DType dtype) {
    return dtype.torchName().substring("torch.".length());
  }

  /** A JSON value of a fixture config as the Java value PyTorch's would load as. */
  static Object decode(Object v) {
    if (v instanceof Map<?, ?> m && m.containsKey("tensor")) {
      return tensor((Map<?, ?>) m.get("tensor"));
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put((String) e.getKey(), decode(e.getValue()));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(decode(x));
      }
      return out;
    }
    return v;
  }

  /** A state dict written by gen_seeds.py: state ids become Integers, as in a Java state dict. */
  static Map<String, Object> stateDict(Map<?, ?> encoded) {
    Map<String, Object> sd = new LinkedHashMap<>();
    sd.put("state", state((Map<?, ?>) encoded.get("state")));
    sd.put("param_groups", decode(encoded.get("param_groups")));
    return sd;
  }

  /** The {@code "state"} part of an encoded state dict, keyed by Integer ids. */
  static Map<Integer, Object> state(Map<?, ?> encoded) {
    Map<Integer, Object> state = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : encoded.entrySet()) {
      state.put(Integer.valueOf((String) e.getKey()), decode(e.getValue()));
    }
    return state;
  }

  /** A deep copy: maps and lists copied, tensors cloned (what a save and a load in a fresh process give). */
  static Object deepCopy(Object v) {
    if (v instanceof Tensor t) {
      return t.detach().clone();
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(e.getKey(), deepCopy(e.getValue()));
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(deepCopy(x));
      }
      return out;
    }
    return v;
  }

  @SuppressWarnings("unchecked") // a deep copy of a state dict is a state dict
  static Map<String, Object> copyOf(Map<String, Object> stateDict) {
    return (Map<String, Object>) deepCopy(stateDict);
  }

  /**
   * An exact text of a value: map order, Integer versus Double, and every tensor's dtype, shape and values
   * (as Java's shortest round-trip decimal, so two texts are equal exactly when the values are bit for bit).
   */
  static String exact(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Tensor t) {
      return "tensor(" + dtypeName(t.dtype()) + Arrays.toString(t.shape()) + Arrays.toString(t.toDoubleArray()) + ")";
    }
    if (v instanceof Integer || v instanceof Long) {
      return "int " + v;
    }
    if (v instanceof Number n) {
      return "float " + n.doubleValue();
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (Object x : l) {
        sb.append(exact(x)).append(", ");
      }
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(e.getKey()).append(": ").append(exact(e.getValue())).append(", ");
      }
      return sb.append('}').toString();
    }
    return v.toString();
  }

  /**
   * Asserts that a Java value matches PyTorch's: the same structure, map keys in the same order, ints where
   * PyTorch has ints, tensors of the same dtype and shape whose values match at {@code rtol} under the
   * project's rule (|a − b| ≤ rtol·max(|b|, s), s the RMS of the expected tensor, 1 for a 0-dim one), floats
   * at {@code rtol} (s = 1), everything else equal.
   */
  static void assertMatches(String where, Object expected, Object actual, double rtol) {
    if (expected instanceof Tensor e) {
      if (!(actual instanceof Tensor a)) {
        throw new AssertionError(where + ": expected a tensor, got " + describe(actual));
      }
      if (e.dtype() != a.dtype() || !Arrays.equals(e.shape(), a.shape())) {
        throw new AssertionError(where + ": expected " + dtypeName(e.dtype()) + Arrays.toString(e.shape()) + ", got "
            + dtypeName(a.dtype()) + Arrays.toString(a.shape()));
      }
      double[] values = e.toDoubleArray();
      assertClose(where, a.toDoubleArray(), values, rtol, e.dim() == 0 ? 1.0 : Tolerance.rms(values));
    } else if (expected instanceof Integer || expected instanceof Long) {
      if (!(actual instanceof Integer || actual instanceof Long)
          || ((Number) actual).longValue() != ((Number) expected).longValue()) {
        throw new AssertionError(where + ": expected int " + expected + ", got " + describe(actual));
      }
    } else if (expected instanceof Double d) {
      if (!(actual instanceof Double a)) {
        throw new AssertionError(where + ": expected float " + d + ", got " + describe(actual));
      }
      assertClose(where, new double[] {a}, new double[] {d}, rtol, 1.0);
    } else if (expected instanceof List<?> e) {
      if (!(actual instanceof List<?> a) || a.size() != e.size()) {
        throw new AssertionError(where + ": expected a list of " + e.size() + ", got " + describe(actual));
      }
      for (int i = 0; i < e.size(); i++) {
        assertMatches(where + "[" + i + "]", e.get(i), a.get(i), rtol);
      }
    } else if (expected instanceof Map<?, ?> e) {
      if (!(actual instanceof Map<?, ?> a) || !List.copyOf(e.keySet()).equals(List.copyOf(a.keySet()))) {
        throw new AssertionError(where + ": expected keys " + (expected instanceof Map<?, ?> m ? m.keySet() : "")
            + ", got " + (actual instanceof Map<?, ?> m ? m.keySet() : describe(actual)));
      }
      for (Map.Entry<?, ?> entry : e.entrySet()) {
        assertMatches(where + "." + entry.getKey(), entry.getValue(), a.get(entry.getKey()), rtol);
      }
    } else if (expected == null ? actual != null : !expected.equals(actual)) {
      throw new AssertionError(where + ": expected " + describe(expected) + ", got " + describe(actual));
    }
  }

  /** Asserts every value at {@code rtol} under the project's rule with the given scale {@code s}. */
  static void assertClose(String where, double[] actual, double[] expected, double rtol, double s) {
    if (actual.length != expected.length) {
      throw new AssertionError(where + ": " + actual.length + " values, expected " + expected.length);
    }
    for (int i = 0; i < actual.length; i++) {
      if (!Tolerance.close(actual[i], expected[i], rtol, s)) {
        throw new AssertionError(where + "[" + i + "]: actual " + actual[i] + ", expected " + expected[i]
            + " (rtol " + rtol + ", s " + s + ")");
      }
    }
  }

  private static String describe(Object v) {
    return v == null ? "None" : v.getClass().getSimpleName() + " " + exact(v);
  }
}
