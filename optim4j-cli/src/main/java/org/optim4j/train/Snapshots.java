package org.optim4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.Tensor;

/** Deep copies of state dicts, so that a failed load can put the previous state back. */
final class Snapshots {
  private Snapshots() {}

  /** {@code value} with every map, list and tensor inside copied (tensors by {@code clone()}); null stays null. */
  @SuppressWarnings("unchecked")
  static <T> T deepCopy(T value) {
    if (value instanceof Tensor t) {
      return (T) t.detach().clone();
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(k, deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      for (Object v : l) {
        copy.add(deepCopy(v));
      }
      return (T) copy;
    }
    return value;
  }
}
