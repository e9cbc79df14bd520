package org.optim4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hooks in the order they run: registration order, or first for a hook registered with {@code prepend}.
 * Synchronized, because the global step hooks are shared by every optimizer of every thread.
 */
final class HookList<H> {
  private static final AtomicLong IDS = new AtomicLong();
  private LinkedHashMap<Long, H> hooks = new LinkedHashMap<>();

  synchronized RemovableHandle add(H hook, boolean prepend) {
    if (hook == null) {
      throw new NullPointerException("hook");
    }
    long id = IDS.getAndIncrement();
    if (prepend) {
      LinkedHashMap<Long, H> moved = new LinkedHashMap<>();
      moved.put(id, hook);
      moved.putAll(hooks);
      hooks = moved;
    } else {
      hooks.put(id, hook);
    }
    return new RemovableHandle(() -> remove(id));
  }

  private synchronized void remove(long id) {
    hooks.remove(id);
  }

  /** The hooks now registered, in running order (a copy: a hook may register or remove hooks). */
  synchronized List<H> snapshot() {
    return hooks.isEmpty() ? List.of() : new ArrayList<>(hooks.values());
  }
}
