package org.optim4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer.ParamKey;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/** Packing an optimizer's groups and state into PyTorch's state-dict layout, and checking and unpacking one. */
final class StateDicts {
  private StateDicts() {}

  /** A checked state dict, ready to install: the new groups (by position) and the new state. */
  record Loaded(List<ParamGroup> groups, LinkedHashMap<Object, Object> state) {
    /** The per-parameter part of {@link #state()}, by parameter (the same maps). */
    @SuppressWarnings("unchecked") // unpack puts only maps under ParamKeys
    Map<Tensor, Map<String, Object>> byParam() {
      Map<Tensor, Map<String, Object>> out = new IdentityHashMap<>();
      for (Map.Entry<Object, Object> e : state.entrySet()) {
        if (e.getKey() instanceof ParamKey k) {
          out.put(k.tensor(), (Map<String, Object>) e.getValue());
        }
      }
      return out;
    }
  }

  /**
   * PyTorch's {@code state_dict()} body: ids count the groups' parameters in order (a parameter listed twice
   * in a group gets its last position, as PyTorch's {@code pack_group}); {@code params} comes last in each
   * group; per-parameter maps are copied, their values are not.
   */
  static Map<String, Object> pack(List<ParamGroup> groups, Map<Object, Object> state) {
    Map<Tensor, Integer> mappings = new IdentityHashMap<>();
    int start = 0;
    List<Object> packedGroups = new ArrayList<>();
    for (ParamGroup g : groups) {
      LinkedHashMap<String, Object> packed = new LinkedHashMap<>(g.options());
      List<Tensor> ps = g.params();
      Map<Tensor, Integer> local = new IdentityHashMap<>();
      for (int i = 0; i < ps.size(); i++) {
        local.put(ps.get(i), start + i);
      }
      for (Map.Entry<Tensor, Integer> e : local.entrySet()) {
        mappings.putIfAbsent(e.getKey(), e.getValue());
      }
      List<Integer> ids = new ArrayList<>();
      for (Tensor p : ps) {
        ids.add(mappings.get(p));
      }
      packed.put("params", ids);
      start += ps.size();
      packedGroups.add(packed);
    }
    LinkedHashMap<Object, Object> packedState = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : state.entrySet()) {
      if (e.getKey() instanceof ParamKey k) {
        packedState.put(mappings.get(k.tensor()), new LinkedHashMap<>((Map<?, ?>) e.getValue()));
      } else {
        packedState.put(e.getKey(), e.getValue());
      }
    }
    LinkedHashMap<String, Object> sd = new LinkedHashMap<>();
    sd.put("state", packedState);
    sd.put("param_groups", packedGroups);
    return sd;
  }

  /**
   * Checks a state dict against the current groups and builds what {@code load_state_dict} installs, without
   * changing anything: deep copies of the saved groups with the current parameters, and the saved state
   * mapped to the current parameters by position, its tensors cast by PyTorch's rule.
   */
  static Loaded unpack(Map<String, Object> sd, List<ParamGroup> current) {
    List<?> rawGroups = asList(require(sd, "param_groups"), "param_groups");
    List<Map<String, Object>> saved = new ArrayList<>();
    for (int i = 0; i < rawGroups.size(); i++) {
      saved.add(stringKeyed(deepCopy(rawGroups.get(i)), "param_groups[" + i + "]"));
    }
    if (saved.size() != current.size()) {
      throw new IllegalArgumentException("loaded state dict has a different number of parameter groups");
    }
    List<List<?>> savedIds = new ArrayList<>();
    for (int i = 0; i < saved.size(); i++) {
      List<?> ids = asList(require(saved.get(i), "params"), "params");
      if (ids.size() != current.get(i).params().size()) {
        throw new IllegalArgumentException(
            "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
      savedIds.add(ids);
    }
    Map<Object, Tensor> idMap = new LinkedHashMap<>();
    for (int i = 0; i < saved.size(); i++) {
      List<Tensor> ps = current.get(i).params();
      for (int j = 0; j < ps.size(); j++) {
        idMap.put(id(savedIds.get(i).get(j)), ps.get(j));
      }
    }
    LinkedHashMap<Object, Object> state = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : asMap(require(sd, "state"), "state").entrySet()) {
      Object id = id(e.getKey());
      Tensor param = idMap.get(id);
      if (param == null) {
        state.put(e.getKey(), e.getValue());
      } else {
        boolean stepToFloat32 = fusedOrCapturable(rawGroups, id);
        Map<?, ?> values = asMap(e.getValue(), "state[" + e.getKey() + "]");
        LinkedHashMap<String, Object> cast = new LinkedHashMap<>();
        for (Map.Entry<?, ?> v : values.entrySet()) {
          if (!(v.getKey() instanceof String key)) {
            throw new IllegalArgumentException("state keys must be strings, got " + v.getKey());
          }
          cast.put(key, cast(param, v.getValue(), key, stepToFloat32));
        }
        state.put(new ParamKey(param), cast);
      }
    }
    List<ParamGroup> groups = new ArrayList<>();
    for (int i = 0; i < saved.size(); i++) {
      ParamGroup live = current.get(i);
      LinkedHashMap<String, Object> options = new LinkedHashMap<>(saved.get(i));
      options.remove("params");
      if (live.containsKey("param_names") && !options.containsKey("param_names")) {
        options.put("param_names", live.get("param_names"));
      }
      ParamGroup staged = new ParamGroup(new ArrayList<>(live.params()));
      staged.attach(live.params(), options);
      groups.add(staged);
    }
    return new Loaded(groups, state);
  }

  /**
   * PyTorch's {@code _process_value_according_to_param_policy}, applied through maps and lists: {@code step}
   * is kept (float32 for fused or capturable groups), every other tensor takes a floating parameter's dtype.
   */
  private static Object cast(Tensor param, Object value, String key, boolean stepToFloat32) {
    if (value instanceof Tensor t) {
      if ("step".equals(key)) {
        return stepToFloat32 ? t.to(DType.FLOAT32) : t;
      }
      return param.dtype().isFloatingPoint() ? t.to(param.dtype()) : t;
    }
    if (value instanceof Map<?, ?> m) {
      LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.put(e.getKey(), cast(param, e.getValue(), e.getKey() instanceof String s ? s : null, stepToFloat32));
      }
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object v : l) {
        out.add(cast(param, v, null, stepToFloat32));
      }
      return out;
    }
    return value;
  }

  /** Whether the saved group holding {@code id} is fused or capturable (PyTorch looks in the saved groups). */
  private static boolean fusedOrCapturable(List<?> rawGroups, Object id) {
    for (Object g : rawGroups) {
      Map<?, ?> group = (Map<?, ?>) g;
      for (Object pid : (List<?>) group.get("params")) {
        if (id(pid).equals(id)) {
          return Scalars.truthy(group.get("fused")) || Scalars.truthy(group.get("capturable"));
        }
      }
    }
    return false;
  }

  /** A parameter id as Python compares it: an integral number is the same key whatever its Java type. */
  private static Object id(Object key) {
    boolean integral = key instanceof Integer || key instanceof Long || key instanceof Short || key instanceof Byte
        || (key instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
            && Math.abs(n.doubleValue()) < 0x1p53);
    if (!integral) {
      return key;
    }
    long v = ((Number) key).longValue();
    return v == (int) v ? (Object) (int) v : (Object) v;
  }

  private static Object require(Map<?, ?> map, String key) {
    if (!map.containsKey(key)) {
      throw new IllegalStateException("'" + key + "'");
    }
    return map.get(key);
  }

  private static List<?> asList(Object v, String what) {
    if (v instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(what + " must be a List, got " + Scalars.describe(v));
  }

  private static Map<?, ?> asMap(Object v, String what) {
    if (v instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException(what + " must be a Map, got " + Scalars.describe(v));
  }

  private static Map<String, Object> stringKeyed(Object v, String what) {
    LinkedHashMap<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : asMap(v, what).entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException(what + " keys must be strings, got " + e.getKey());
      }
      out.put(key, e.getValue());
    }
    return out;
  }

  /** Python's {@code deepcopy} of group values: maps and lists copied, tensors cloned. */
  private static Object deepCopy(Object v) {
    if (v instanceof Tensor t) {
      return t.detach().clone();
    }
    if (v instanceof Map<?, ?> m) {
      LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
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
      return Collections.unmodifiableList(out);
    }
    return v;
  }
}
