package org.optim4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.Tensor;

/** Every value type of a state dict survives JSON text with its Java type and its exact value. */
class StateJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void roundTripsTypesThroughText() throws Exception {
    Map<String, Object> state = new LinkedHashMap<>();
    Map<Integer, Object> byId = new LinkedHashMap<>();
    Tensor buffer = Tensor.of(new float[] {1, 2});
    byId.put(0, Map.of("momentum_buffer", buffer));
    state.put("state", byId);
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("lr", 0.1);
    group.put("betas", List.of(0.9, 0.999));
    group.put("max_iter", 20);
    group.put("foreach", null);
    group.put("amsgrad", true);
    group.put("line_search_fn", "strong_wolfe");
    group.put("best", Double.POSITIVE_INFINITY);
    group.put("worst", Double.NEGATIVE_INFINITY);
    group.put("undefined", Double.NaN);
    group.put("big", 1L << 60);
    group.put("single", 0.1f);
    group.put("tiny", 5e-324);
    group.put("params", List.of(0));
    state.put("param_groups", List.of(group));
    Map<String, Tensor> tensors = new HashMap<>();
    JsonNode node = StateJson.encode(state, "optimizer", (name, t) -> {
      tensors.put(name, t);
      return name;
    });
    JsonNode reread = JSON.readTree(JSON.writeValueAsString(node));
    Set<String> used = new HashSet<>();
    @SuppressWarnings("unchecked")
    Map<String, Object> back = (Map<String, Object>) StateJson.decode(reread, "optimizer", tensors, used);
    assertEquals(Set.of("optimizer.state.0.momentum_buffer"), used);
    @SuppressWarnings("unchecked")
    Map<Integer, Map<String, Object>> backState = (Map<Integer, Map<String, Object>>) back.get("state");
    assertEquals(Set.of(0), backState.keySet());
    assertTrue(Arrays.equals(buffer.toFloatArray(),
        ((Tensor) backState.get(0).get("momentum_buffer")).toFloatArray()));
    @SuppressWarnings("unchecked")
    Map<String, Object> g = ((List<Map<String, Object>>) back.get("param_groups")).get(0);
    assertEquals(new ArrayList<>(group.keySet()), new ArrayList<>(g.keySet()));
    for (String k : group.keySet()) {
      Object expected = group.get(k);
      Object actual = g.get(k);
      if (expected == null) {
        assertSame(null, actual, k);
      } else {
        if (!(expected instanceof List)) {
          assertEquals(expected.getClass(), actual.getClass(), k);
        }
        assertEquals(expected, actual, k);
      }
    }
  }

  @Test
  void rejectsWhatItCannotWrite() {
    StateJson.TensorSink sink = (n, t) -> n;
    assertThrows(IllegalArgumentException.class, () -> StateJson.encode(Map.of("x", new Object()), "s", sink));
    assertThrows(IllegalArgumentException.class, () -> StateJson.encode(Map.of("$tensor", 1), "s", sink));
    Map<Object, Object> mixed = new LinkedHashMap<>();
    mixed.put(1, 1);
    mixed.put("a", 2);
    assertThrows(IllegalArgumentException.class, () -> StateJson.encode(mixed, "s", sink));
  }
}
