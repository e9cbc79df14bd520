package org.optim4j.tensor.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one owner of the library's thread count: every multi-threaded kernel splits its work here.
 *
 * <p>Work is split <em>statically</em> into contiguous, equal ranges, one per thread, so that the result
 * of a kernel depends only on its inputs and the thread count, never on scheduling. Range 0 runs on the
 * calling thread; calls made from inside a range (on a worker, or on the caller while it runs range 0) run
 * inline, as one range (no nested parallelism).
 *
 * <p>The other ranges run on persistent worker threads ({@code threads() - 1} daemons, started at the first
 * parallel call). A call allocates nothing: the caller publishes the body and the range in shared fields and
 * hands each worker it needs a new ticket; a worker spins briefly waiting for its next ticket, then parks.
 * An exception thrown by any range is rethrown to the caller once every range has finished (the first one
 * wins; a checked one is wrapped in {@link IllegalStateException}). One thread drives the workers at a time;
 * a second thread that calls while they are busy runs its ranges itself, one after the other, with the same
 * bounds, so its results are the same.
 */
public final class Parallel {
  /** How long a worker keeps spinning for its next ticket, and the caller for its workers, before parking. */
  private static final long SPIN_NANOS = 50_000;

  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  private static final ReentrantLock DISPATCH = new ReentrantLock();
  private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
  /** The workers; replaced (under {@link #DISPATCH}) when the thread count changes. */
  private static Pool pool;

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
   * Sets the number of threads kernels split their work across (the CLI's {@code --threads}). Waits for a
   * parallel call in progress on another thread to finish.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("number of threads must be positive, got " + n);
    }
    DISPATCH.lock();
    try {
      if (n != threads && pool != null) {
        pool.retire();
        pool = null;
      }
      threads = n;
    } finally {
      DISPATCH.unlock();
    }
  }

  /**
   * Runs {@code body} over {@code [0, n)}, split into at most {@link #threads()} contiguous ranges of at
   * least {@code grain} elements each: range {@code p} of {@code parts = parts(n, grain)} is
   * {@code [bound(n, parts, p), bound(n, parts, p + 1))}.
   */
  public static void forRange(int n, int grain, RangeBody body) {
    int parts = parts(n, grain);
    if (parts <= 1) {
      if (n > 0) {
        body.run(0, n);
      }
      return;
    }
    if (!DISPATCH.tryLock()) {
      for (int p = 0; p < parts; p++) {
        body.run(bound(n, parts, p), bound(n, parts, p + 1));
      }
      return;
    }
    try {
      if (pool == null) {
        pool = new Pool(threads - 1);
      }
      pool.run(body, n, parts);
    } finally {
      DISPATCH.unlock();
    }
  }

  /**
   * The number of ranges {@link #forRange} uses for {@code n} elements with the given grain: 1 inside a
   * range, otherwise {@code min(threads(), max(1, n / grain))}.
   */
  public static int parts(int n, int grain) {
    if (Thread.currentThread() instanceof Worker || DISPATCH.isHeldByCurrentThread()) {
      return 1;
    }
    long byGrain = Math.max(1, (long) n / Math.max(1, grain));
    return (int) Math.min(threads, byGrain);
  }

  /** Start of range {@code p} of {@code parts} over {@code [0, n)}. */
  public static int bound(int n, int parts, int p) {
    return (int) ((long) n * p / parts);
  }

  /** The worker threads of one thread count and the call they are working on. */
  private static final class Pool {
    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread waiter;
    private volatile boolean retired;
    // The call being run: written by the caller before it hands out tickets, read by the workers after.
    private RangeBody body;
    private int n;
    private int parts;
    private long ticket;

    Pool(int size) {
      workers = new Worker[size];
      for (int w = 0; w < size; w++) {
        workers[w] = new Worker(this, w + 1);
        workers[w].start();
      }
    }

    /**
     * Runs the ranges of one call: 1 .. parts-1 on workers, 0 here (and, if the thread count dropped while the
     * caller was splitting, the ranges beyond the workers here too, in order); then waits for all and rethrows.
     */
    void run(RangeBody body, int n, int parts) {
      this.body = body;
      this.n = n;
      this.parts = parts;
      int handed = Math.min(parts - 1, workers.length);
      failure.set(null);
      pending.set(handed);
      ticket++;
      for (int p = 1; p <= handed; p++) {
        workers[p - 1].hand(ticket);
      }
      try {
        body.run(0, bound(n, parts, 1));
        for (int p = handed + 1; p < parts; p++) {
          body.run(bound(n, parts, p), bound(n, parts, p + 1));
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
      awaitWorkers();
      this.body = null;
      rethrow(failure.getAndSet(null));
    }

    /** Called by worker {@code p} with its ticket. */
    void runRange(int p) {
      try {
        body.run(bound(n, parts, p), bound(n, parts, p + 1));
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
      if (pending.decrementAndGet() == 0) {
        Thread w = waiter;
        if (w != null) {
          LockSupport.unpark(w);
        }
      }
    }

    private void awaitWorkers() {
      long start = System.nanoTime();
      while (pending.get() != 0) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
          continue;
        }
        waiter = Thread.currentThread();
        boolean interrupted = false;
        while (pending.get() != 0) {
          LockSupport.park(this);
          interrupted |= Thread.interrupted();
        }
        waiter = null;
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    void retire() {
      retired = true;
      for (Worker w : workers) {
        LockSupport.unpark(w);
      }
    }
  }

  /** A persistent worker: runs range {@code index} of each call it is handed a ticket for. */
  private static final class Worker extends Thread {
    private final Pool pool;
    private final int index;
    private volatile long ticket;
    private volatile boolean parked;

    Worker(Pool pool, int index) {
      super("optim4j-worker-" + THREAD_IDS.incrementAndGet());
      this.pool = pool;
      this.index = index;
      setDaemon(true);
    }

    void hand(long t) {
      ticket = t;
      if (parked) {
        LockSupport.unpark(this);
      }
    }

    @Override
    public void run() {
      long seen = 0;
      while (true) {
        long start = System.nanoTime();
        while (ticket == seen && !pool.retired) {
          if (System.nanoTime() - start < SPIN_NANOS) {
            Thread.onSpinWait();
          } else {
            parked = true;
            if (ticket == seen && !pool.retired) {
              LockSupport.park(this);
            }
            parked = false;
          }
        }
        if (ticket == seen) {
          return;
        }
        seen = ticket;
        pool.runRange(index);
      }
    }
  }

  private static void rethrow(Throwable failure) {
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
}
