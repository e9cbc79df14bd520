package org.optim4j.optim;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the bytes allocated by the calling thread and by {@code Parallel}'s worker threads between
 * {@link #start()} and {@link #stop()}, with {@code com.sun.management.ThreadMXBean}. The meter's own
 * allocations fall outside the window: the workers are looked up before it opens, the calling thread is read
 * last when it opens and first when it closes.
 */
final class AllocationMeter {
  private static final com.sun.management.ThreadMXBean BEAN =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final long[] workers;
  private final long[] workersBefore;
  private final long callerBefore;

  private AllocationMeter() {
    List<Long> ids = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("optim4j-worker-")) {
        ids.add(t.getId());
      }
    }
    workers = ids.stream().mapToLong(Long::longValue).toArray();
    workersBefore = new long[workers.length];
    for (int i = 0; i < workers.length; i++) {
      workersBefore[i] = BEAN.getThreadAllocatedBytes(workers[i]);
    }
    callerBefore = BEAN.getCurrentThreadAllocatedBytes();
  }

  /** Opens the window. */
  static AllocationMeter start() {
    return new AllocationMeter();
  }

  /** Closes the window: the bytes allocated in it. */
  long stop() {
    long total = BEAN.getCurrentThreadAllocatedBytes() - callerBefore;
    for (int i = 0; i < workers.length; i++) {
      total += BEAN.getThreadAllocatedBytes(workers[i]) - workersBefore[i];
    }
    return total;
  }
}
