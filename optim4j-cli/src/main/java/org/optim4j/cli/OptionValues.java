package org.optim4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the command line's {@code key=value} options into PyTorch-style keyword arguments. The value is read
 * as JSON, so it keeps its type: {@code 20} is an Integer (what PyTorch's {@code int} options such as
 * {@code max_iter} need), {@code 0.1} and {@code 1e-3} are Doubles, {@code true} a Boolean, {@code null}
 * Python's {@code None}, {@code [0.9,0.999]} a List and {@code {"a":1}} a Map. Python's literals {@code None},
 * {@code True} and {@code False} are read as null, true and false too. Any other value that is not JSON is a
 * String: {@code line_search_fn=strong_wolfe}.
 */
public final class OptionValues {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private OptionValues() {}

  /**
   * The keyword arguments of {@code entries}, in order; a key given twice keeps the last value.
   *
   * @param option the option's name, for error messages ({@code --opt})
   * @throws IllegalArgumentException if an entry has no {@code =} or an empty key
   */
  public static Map<String, Object> parse(List<String> entries, String option) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (entries == null) {
      return out;
    }
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(option + " expects key=value (such as " + option + " lr=0.1), got '"
            + entry + "'");
      }
      out.put(entry.substring(0, eq).trim(), value(entry.substring(eq + 1)));
    }
    return out;
  }

  /** The typed value of one option value string, as the class comment describes. */
  public static Object value(String text) {
    switch (text) {
      case "None":
        return null;
      case "True":
        return true;
      case "False":
        return false;
      default:
        break;
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return text;
    }
    return node == null || node.isMissingNode() ? text : convert(node);
  }

  private static Object convert(JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      if (node.canConvertToInt()) {
        return node.intValue();
      }
      if (node.canConvertToLong()) {
        return node.longValue();
      }
      return node.doubleValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode v : node) {
        list.add(convert(v));
      }
      return list;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), convert(e.getValue()));
    }
    return map;
  }

  /** {@code k=v, k=v} with values written back as JSON-like text, for headers and labels. */
  public static String format(Map<String, ?> options) {
    List<String> parts = new ArrayList<>();
    options.forEach((k, v) -> parts.add(k + "=" + text(v)));
    return String.join(", ", parts);
  }

  private static String text(Object v) {
    if (v instanceof Double d) {
      return org.optim4j.train.PyFloat.repr(d);
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      for (Object o : l) {
        parts.add(text(o));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    return String.valueOf(v);
  }
}
