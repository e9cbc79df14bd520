package org.optim4j.tensor.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one owner of the library's thread count: every multi-threaded kernel splits its work here.
 *
 * <p>Work is split <em>statically</em> into contiguous, equal ranges, one per thread, so that the result
 * of a kernel depends only on its inputs and the thread count, never on scheduling. Range 0 runs on the
 * calling thread; calls made from inside a worker run inline (no nested parallelism).
 */
public final class Parallel {
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> Boolean.FALSE);
  private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static ExecutorService pool;

  /** A body that processes the half-open range {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeBody {
    /** Processes the half-open range {@code [from, to)}. */
    void run(int from, int to);
  }

  private Parallel() {}

  /** Returns the number of threads kernels split their work across. */
  public static int threads() {
    return threads;
  }

  /**
   * Sets the number of threads kernels split their work across (the CLI's {@code --threads}).
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("number of threads must be positive, got " + n);
    }
    if (n != threads && pool != null) {
      pool.shutdown();
      pool = null;
    }
    threads = n;
  }

  /**
   * Runs {@code body} over {@code [0, n)}, split into at most {@link #threads()} contiguous ranges of at
   * least {@code grain} elements each.
   */
  public static void forRange(int n, int grain, RangeBody body) {
    int parts = parts(n, grain);
    if (parts <= 1) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    ExecutorService executor = executor();
    Future<?>[] futures = new Future<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      int from = bound(n, parts, p);
      int to = bound(n, parts, p + 1);
      futures[p - 1] = executor.submit(() -> body.run(from, to));
    }
    Throwable failure = null;
    try {
      body.run(0, bound(n, parts, 1));
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  /** The number of ranges {@link #forRange} uses for {@code n} elements with the given grain. */
  public static int parts(int n, int grain) {
    if (IN_WORKER.get()) {
      return 1;
    }
    long byGrain = Math.max(1, (long) n / Math.max(1, grain));
    return (int) Math.min(threads, byGrain);
  }

  /** Start of range {@code p} of {@code parts} over {@code [0, n)}. */
  public static int bound(int n, int parts, int p) {
    return (int) ((long) n * p / parts);
  }

  private static synchronized ExecutorService executor() {
    if (pool == null) {
      ThreadFactory factory = r -> {
        Thread t = new Thread(() -> {
          IN_WORKER.set(Boolean.TRUE);
          r.run();
        }, "optim4j-worker-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), factory);
    }
    return pool;
  }
}
