package org.optim4j.optim.internal;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.Tensor;

/**
 * Python's {@code str} and {@code repr} of the values optimizers keep in param groups, so that
 * {@code toString()} and error messages print what PyTorch prints.
 *
 * <p>Python values map to Java as: {@code None} ↔ null, {@code bool} ↔ Boolean, {@code int} ↔ Integer/Long,
 * {@code float} ↔ Double, {@code str} ↔ String, tuples ↔ List (PyTorch's hyper-parameter sequences such as
 * {@code betas} are tuples), {@code dict} ↔ Map. A 0-dim tensor formats as its value (Python's
 * {@code f"{tensor}"} does), any other tensor as {@code print(tensor)}.
 */
public final class PyFormat {
  private PyFormat() {}

  /** Python's {@code str(value)} (what an f-string prints). */
  public static String str(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Tensor t && t.dim() == 0) {
      return t.dtype().isFloatingPoint() ? pyFloat(t.item()) : Long.toString((long) t.item());
    }
    return repr(value);
  }

  /**
   * Python's {@code str} of a param-group option: {@code param_names} is a Python list, every other List a
   * tuple.
   */
  public static String strOption(String key, Object value) {
    return key.equals("param_names") && value instanceof List<?> names ? reprList(names) : str(value);
  }

  /** Python's {@code repr} of a param-group option (see {@link #strOption}). */
  public static String reprOption(String key, Object value) {
    return key.equals("param_names") && value instanceof List<?> names ? reprList(names) : repr(value);
  }

  /** Python's {@code repr(value)}; a List is a tuple. */
  public static String repr(Object value) {
    return repr(value, false);
  }

  /** Python's {@code repr} of a list: {@code ['weight', 'bias']}. */
  public static String reprList(List<?> values) {
    return repr(values, true);
  }

  private static String repr(Object value, boolean listBrackets) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof Number n) {
      return pyFloat(n.doubleValue());
    }
    if (value instanceof String s) {
      return quote(s);
    }
    if (value instanceof List<?> list) {
      StringBuilder sb = new StringBuilder(listBrackets ? "[" : "(");
      for (int i = 0; i < list.size(); i++) {
        sb.append(i > 0 ? ", " : "").append(repr(list.get(i), false));
      }
      if (!listBrackets && list.size() == 1) {
        sb.append(',');
      }
      return sb.append(listBrackets ? "]" : ")").toString();
    }
    if (value instanceof Map<?, ?> map) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(first ? "" : ", ").append(repr(e.getKey(), false)).append(": ").append(repr(e.getValue(), false));
        first = false;
      }
      return sb.append('}').toString();
    }
    return value.toString();
  }

  private static String quote(String s) {
    char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder sb = new StringBuilder().append(q);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == q) {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\t') {
        sb.append("\\t");
      } else {
        sb.append(c);
      }
    }
    return sb.append(q).toString();
  }

  /**
   * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, positional for
   * decimal exponents -4 to 15 ({@code 0.1}, {@code 100.0}), scientific otherwise ({@code 1e-08},
   * {@code 1e+16}); {@code nan}, {@code inf}, {@code -inf}.
   */
  public static String pyFloat(double v) {
    return org.optim4j.tensor.internal.PyFormat.pyFloat(v);
  }
}
