package org.optim4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optim4j.tensor.Tensor;

/**
 * Writes the values of optimizer and scheduler state dicts as JSON, with their tensors moved out to the
 * checkpoint's safetensors data and referenced by name, and reads them back with their Java types.
 *
 * <p>The mapping (also documented in {@link Checkpoint}):
 *
 * <table>
 * <caption>Java value ↔ JSON</caption>
 * <tr><th>Java</th><th>JSON</th></tr>
 * <tr><td>null, Boolean, String</td><td>null, true/false, string</td></tr>
 * <tr><td>Integer</td><td>integer number ({@code 6})</td></tr>
 * <tr><td>Double (finite)</td><td>number with a point or exponent, shortest round-trip digits ({@code 0.1},
 *     {@code 1e-08})</td></tr>
 * <tr><td>Double ±∞, NaN</td><td>{@code {"$float": "inf"}}, {@code "-inf"}, {@code "nan"}</td></tr>
 * <tr><td>Long</td><td>{@code {"$long": "123"}} (a string, exact in every reader)</td></tr>
 * <tr><td>Float</td><td>{@code {"$float32": 0.1}}</td></tr>
 * <tr><td>Tensor</td><td>{@code {"$tensor": "name"}}, the tensor under that name in the safetensors data</td></tr>
 * <tr><td>List</td><td>array</td></tr>
 * <tr><td>Map with String keys</td><td>object (keys must not start with {@code $})</td></tr>
 * <tr><td>Map with Integer keys (the optimizer's {@code state})</td><td>{@code {"$int_keys": {"0": …}}}</td></tr>
 * </table>
 *
 * <p>Any other type is rejected when saving, so nothing is silently lost.
 */
final class StateJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Receives the tensors found while encoding. */
  interface TensorSink {
    /** Stores {@code t} under {@code name} (unique) and returns the name. */
    String put(String name, Tensor t);
  }

  private StateJson() {}

  /**
   * The JSON of {@code value}; tensors go to {@code sink} named {@code path.key.key…}.
   *
   * @throws IllegalArgumentException for a value of a type the mapping does not have
   */
  static JsonNode encode(Object value, String path, TensorSink sink) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Double d) {
      if (!Double.isFinite(d)) {
        return NODES.objectNode().put("$float", PyFloat.repr(d));
      }
      return NODES.numberNode(new BigDecimal(PyFloat.repr(d)));
    }
    if (value instanceof Long l) {
      return NODES.objectNode().put("$long", Long.toString(l));
    }
    if (value instanceof Float f) {
      ObjectNode o = NODES.objectNode();
      o.set("$float32", encode((double) f, path, sink));
      return o;
    }
    if (value instanceof Tensor t) {
      return NODES.objectNode().put("$tensor", sink.put(path, t.detach()));
    }
    if (value instanceof List<?> list) {
      ArrayNode a = NODES.arrayNode();
      int i = 0;
      for (Object v : list) {
        a.add(encode(v, path + "." + i++, sink));
      }
      return a;
    }
    if (value instanceof Map<?, ?> map) {
      return encodeMap(map, path, sink);
    }
    throw new IllegalArgumentException("cannot save the value at " + path + ": type " + value.getClass().getName()
        + " has no JSON form in a checkpoint");
  }

  private static JsonNode encodeMap(Map<?, ?> map, String path, TensorSink sink) {
    boolean intKeys = !map.isEmpty() && map.keySet().stream().allMatch(k -> k instanceof Integer);
    ObjectNode o = NODES.objectNode();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object k = e.getKey();
      if (!(k instanceof String) && !intKeys) {
        throw new IllegalArgumentException("cannot save the map at " + path + ": its keys must be all Strings or"
            + " all Integers, found " + (k == null ? "null" : k.getClass().getName()));
      }
      String key = k.toString();
      if (!intKeys && key.startsWith("$")) {
        throw new IllegalArgumentException("cannot save the map at " + path + ": key '" + key + "' starts with $,"
            + " which checkpoints reserve");
      }
      o.set(key, encode(e.getValue(), path + "." + key, sink));
    }
    if (intKeys) {
      ObjectNode wrapper = NODES.objectNode();
      wrapper.set("$int_keys", o);
      return wrapper;
    }
    return o;
  }

  /**
   * The Java value of {@code node}; {@code $tensor} references are looked up in {@code tensors} and
   * recorded in {@code used}.
   *
   * @throws IllegalArgumentException for a malformed tagged value or a reference to a missing tensor
   */
  static Object decode(JsonNode node, String path, Map<String, Tensor> tensors, Set<String> used) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToInt()) {
        throw new IllegalArgumentException(path + ": integer " + node + " does not fit in 32 bits; large integers"
            + " are written as {\"$long\": \"...\"}");
      }
      return node.intValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      int i = 0;
      for (JsonNode v : node) {
        list.add(decode(v, path + "." + i++, tensors, used));
      }
      return list;
    }
    if (node.size() == 1) {
      String tag = node.fieldNames().next();
      JsonNode v = node.get(tag);
      switch (tag) {
        case "$tensor" -> {
          Tensor t = tensors.get(v.asText());
          if (!v.isTextual() || t == null) {
            throw new IllegalArgumentException(path + " refers to tensor " + v + ", which the file does not hold");
          }
          used.add(v.asText());
          return t;
        }
        case "$float" -> {
          return switch (v.asText()) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> throw new IllegalArgumentException(path + ": $float must be inf, -inf or nan, got " + v);
          };
        }
        case "$long" -> {
          try {
            return Long.parseLong(v.asText());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": $long must hold a decimal integer, got " + v, e);
          }
        }
        case "$float32" -> {
          Object d = decode(v, path, tensors, used);
          if (!(d instanceof Number n)) {
            throw new IllegalArgumentException(path + ": $float32 must hold a number, got " + v);
          }
          return n.floatValue();
        }
        case "$int_keys" -> {
          Map<Integer, Object> map = new LinkedHashMap<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
              map.put(Integer.parseInt(e.getKey()),
                  decode(e.getValue(), path + "." + e.getKey(), tensors, used));
            } catch (NumberFormatException ex) {
              throw new IllegalArgumentException(path + ": key '" + e.getKey() + "' of $int_keys is not an integer",
                  ex);
            }
          }
          return map;
        }
        default -> {
          if (tag.startsWith("$")) {
            throw new IllegalArgumentException(path + ": unknown tag " + tag);
          }
        }
      }
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), decode(e.getValue(), path + "." + e.getKey(), tensors, used));
    }
    return map;
  }
}
