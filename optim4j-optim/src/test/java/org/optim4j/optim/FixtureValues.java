package org.optim4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Tolerance;

/**
 * Turns the values of fixtures/optim (written by tools/reference/gen_optim.py) into Java values and compares
 * results with them: tensors, option values (a tensor option is {@code {"tensor": {...}}}), state dict
 * layouts in a canonical form that keeps key order and tells ints from floats.
 */
final class FixtureValues {
  private FixtureValues() {}

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

  /** The fixture tensor as a tensor of its dtype. */
  static Tensor tensor(FixtureTensor t) {
    return Tensor.of(t.data()).to(dtype(t.dtype())).reshape(t.shape());
  }

  /** Row {@code row} of a tensor that stacks per-step values of shape {@code shape}. */
  static double[] row(FixtureTensor stacked, int row) {
    int[] s = stacked.shape();
    int n = 1;
    for (int i = 1; i < s.length; i++) {
      n *= s[i];
    }
    return Arrays.copyOfRange(stacked.data(), row * n, (row + 1) * n);
  }

  /** Row {@code row} of a stacked fixture tensor as a tensor of one step. */
  static Tensor rowTensor(FixtureTensor stacked, int row) {
    int[] s = stacked.shape();
    return Tensor.of(row(stacked, row)).to(dtype(stacked.dtype())).reshape(Arrays.copyOfRange(s, 1, s.length));
  }

  /** Asserts {@code actual} matches row {@code row} of a stacked fixture (the tolerance rule per step tensor). */
  static void assertRow(String what, Tensor actual, FixtureTensor stacked, int row) {
    if (!stacked.dtype().equals(dtypeName(actual.dtype()))) {
      throw new AssertionError(what + ": dtype " + actual.dtype() + ", expected " + stacked.dtype());
    }
    double[] expected = row(stacked, row);
    double[] got = actual.toDoubleArray();
    if (stacked.shape().length == 1) {
      if (actual.dim() != 0) {
        throw new AssertionError(what + ": expected a 0-dim tensor, got shape " + Arrays.toString(actual.shape()));
      }
      Tolerance.assertClose(what, got[0], expected[0], stacked.dtype());
    } else {
      int[] s = stacked.shape();
      if (!Arrays.equals(actual.shape(), Arrays.copyOfRange(s, 1, s.length))) {
        throw new AssertionError(what + ": shape " + Arrays.toString(actual.shape()));
      }
      Tolerance.assertClose(what, got, expected, stacked.dtype());
    }
  }

  /** A config option value as a Java option value: tensors decoded, lists decoded element by element. */
  static Object option(Object v) {
    if (v instanceof Map<?, ?> m && m.containsKey("tensor")) {
      Map<?, ?> t = (Map<?, ?>) m.get("tensor");
      List<?> data = (List<?>) t.get("data");
      List<?> shape = (List<?>) t.get("shape");
      double[] d = data.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
      int[] s = shape.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
      return Tensor.of(d).to(dtype((String) t.get("dtype"))).reshape(s);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(option(x));
      }
      return out;
    }
    return v;
  }

  /** Config options (keyword arguments) as a Java map, in order, nulls kept. */
  static Map<String, Object> options(Object config) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (config != null) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) config).entrySet()) {
        out.put((String) e.getKey(), option(e.getValue()));
      }
    }
    return out;
  }

  /** A group's overrides: every key but {@code params}. */
  static ParamGroup group(List<Tensor> params, Map<?, ?> config) {
    ParamGroup g = ParamGroup.of(params);
    for (Map.Entry<?, ?> e : config.entrySet()) {
      if (!e.getKey().equals("params")) {
        g.with((String) e.getKey(), option(e.getValue()));
      }
    }
    return g;
  }

  /**
   * A canonical text of a value that keeps map order and tells ints ({@code 3}) from floats ({@code 3.0}):
   * fixture configs and Java state dicts are compared through it. A tensor is written as the fixture's
   * {@code {"tensor": ...}} encoding.
   */
  static String canonical(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Tensor t) {
      List<Integer> shape = new ArrayList<>();
      for (int d : t.shape()) {
        shape.add(d);
      }
      List<Double> data = new ArrayList<>();
      for (double d : t.toDoubleArray()) {
        data.add(d);
      }
      Map<String, Object> enc = new LinkedHashMap<>();
      enc.put("dtype", dtypeName(t.dtype()));
      enc.put("shape", shape);
      enc.put("data", data);
      return canonical(Map.of("tensor", enc));
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
        sb.append(canonical(x)).append(", ");
      }
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(e.getKey()).append(": ").append(canonical(e.getValue())).append(", ");
      }
      return sb.append('}').toString();
    }
    return v.toString();
  }

  /**
   * Asserts that a Java state dict has the layout gen_optim.py recorded: the param groups (keys in order,
   * values with their int/float types) and, per id in order, the state keys with their dtypes and shapes.
   */
  static void assertLayout(String what, Map<?, ?> expected, Map<String, Object> stateDict) {
    List<Object> groups = new ArrayList<>();
    for (Object g : (List<?>) stateDict.get("param_groups")) {
      groups.add(g);
    }
    List<Object> expectedGroups = new ArrayList<>();
    for (Object g : (List<?>) expected.get("param_groups")) {
      Map<String, Object> decoded = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) g).entrySet()) {
        decoded.put((String) e.getKey(), option(e.getValue()));
      }
      expectedGroups.add(decoded);
    }
    if (!canonical(expectedGroups).equals(canonical(groups))) {
      throw new AssertionError(what + ": param_groups\n  expected " + canonical(expectedGroups) + "\n  actual   "
          + canonical(groups));
    }
    Map<String, Object> layout = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) stateDict.get("state")).entrySet()) {
      List<Object> entries = new ArrayList<>();
      for (Map.Entry<?, ?> s : ((Map<?, ?>) e.getValue()).entrySet()) {
        if (s.getValue() instanceof Tensor t) {
          List<Integer> shape = new ArrayList<>();
          for (int d : t.shape()) {
            shape.add(d);
          }
          entries.add(List.of(s.getKey(), dtypeName(t.dtype()), shape));
        } else {
          entries.add(Arrays.asList(s.getKey(), String.valueOf(s.getValue()), null));
        }
      }
      layout.put(String.valueOf(e.getKey()), entries);
    }
    String exp = canonical(expected.get("state"));
    if (!exp.equals(canonical(layout))) {
      throw new AssertionError(what + ": state layout\n  expected " + exp + "\n  actual   " + canonical(layout));
    }
  }
}
