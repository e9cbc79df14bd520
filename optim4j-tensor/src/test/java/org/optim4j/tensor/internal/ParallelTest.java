package org.optim4j.tensor.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The persistent-worker {@link Parallel}: its static split, inline nesting, failures, concurrency and allocation. */
class ParallelTest {
  private int saved;

  @BeforeEach
  void saveThreads() {
    saved = Parallel.threads();
  }

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(saved);
  }

  @Test
  void everyIndexIsVisitedOnceInTheStaticRanges() {
    for (int threads : new int[] {1, 2, 3, 4, 7}) {
      Parallel.setThreads(threads);
      for (int n : new int[] {0, 1, 5, 100, 1001}) {
        for (int grain : new int[] {1, 7, 1000}) {
          int parts = Parallel.parts(n, grain);
          assertEquals(Math.min(threads, Math.max(1, n / grain)), parts);
          int[] visits = new int[n];
          ConcurrentLinkedQueue<List<Integer>> ranges = new ConcurrentLinkedQueue<>();
          Parallel.forRange(n, grain, (from, to) -> {
            ranges.add(List.of(from, to));
            for (int i = from; i < to; i++) {
              visits[i]++;
            }
          });
          int[] ones = new int[n];
          Arrays.fill(ones, 1);
          assertArrayEquals(ones, visits, "threads " + threads + " n " + n + " grain " + grain);
          List<List<Integer>> expected = new ArrayList<>();
          for (int p = 0; p < parts && n > 0; p++) {
            expected.add(List.of(Parallel.bound(n, parts, p), Parallel.bound(n, parts, p + 1)));
          }
          List<List<Integer>> actual = new ArrayList<>(ranges);
          actual.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
          assertEquals(expected, actual);
        }
      }
    }
  }

  @Test
  void rangeZeroRunsOnTheCallerAndTheOthersOnWorkers() {
    Parallel.setThreads(3);
    Thread[] runners = new Thread[3];
    Parallel.forRange(3, 1, (from, to) -> runners[from] = Thread.currentThread());
    assertSame(Thread.currentThread(), runners[0]);
    assertTrue(runners[1].getName().startsWith("optim4j-worker-"));
    assertTrue(runners[2].getName().startsWith("optim4j-worker-"));
    assertTrue(runners[1] != runners[2]);
  }

  @Test
  void callsFromInsideARangeRunInline() {
    Parallel.setThreads(2);
    List<Integer> innerParts = new ArrayList<>();
    Parallel.forRange(2, 1, (from, to) -> {
      int parts = Parallel.parts(1000, 1);
      AtomicInteger calls = new AtomicInteger();
      Parallel.forRange(1000, 1, (f, t) -> calls.incrementAndGet());
      synchronized (innerParts) {
        innerParts.add(parts);
        innerParts.add(calls.get());
      }
    });
    assertEquals(List.of(1, 1, 1, 1), innerParts);
  }

  @Test
  void theFirstFailureReachesTheCallerAfterEveryRangeEnded() {
    Parallel.setThreads(4);
    AtomicInteger finished = new AtomicInteger();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(4, 1, (from, to) -> {
      if (from == 2) {
        throw new IllegalStateException("range 2");
      }
      finished.incrementAndGet();
    }));
    assertEquals("range 2", e.getMessage());
    assertEquals(3, finished.get());
    AssertionError err = assertThrows(AssertionError.class, () -> Parallel.forRange(4, 1, (from, to) -> {
      if (from == 0) {
        throw new AssertionError("range 0");
      }
    }));
    assertEquals("range 0", err.getMessage());
    int[] after = new int[4];
    Parallel.forRange(4, 1, (from, to) -> after[from] = 1);
    assertArrayEquals(new int[] {1, 1, 1, 1}, after, "the workers survive a failure");
  }

  @Test
  void concurrentCallersGetTheSameResultsAsAlone() throws Exception {
    Parallel.setThreads(2);
    int n = 200_000;
    double[] alone = partialSums(n);
    int callers = 4;
    CountDownLatch start = new CountDownLatch(1);
    List<double[]> results = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
          for (int k = 0; k < 50; k++) {
            double[] r = partialSums(n);
            synchronized (results) {
              results.add(r);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      threads.add(t);
      t.start();
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(callers * 50, results.size());
    for (double[] r : results) {
      assertArrayEquals(alone, r);
    }
  }

  /** One sum per range, in the order of the ranges: depends on the split, which must not depend on scheduling. */
  private static double[] partialSums(int n) {
    int parts = Parallel.parts(n, 1000);
    double[] sums = new double[parts];
    Parallel.forRange(n, 1000, (from, to) -> {
      double s = 0;
      for (int i = from; i < to; i++) {
        s += 1.0 / (i + 1);
      }
      sums[Arrays.binarySearch(bounds(n, parts), from)] = s;
    });
    return sums;
  }

  private static int[] bounds(int n, int parts) {
    int[] b = new int[parts];
    for (int p = 0; p < parts; p++) {
      b[p] = Parallel.bound(n, parts, p);
    }
    return b;
  }

  @Test
  void changingTheThreadCountReplacesTheWorkers() {
    for (int threads : new int[] {4, 1, 2, 3}) {
      Parallel.setThreads(threads);
      AtomicInteger ranges = new AtomicInteger();
      Parallel.forRange(100, 1, (from, to) -> ranges.incrementAndGet());
      assertEquals(threads, ranges.get());
    }
    assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
  }

  @Test
  void aCallAllocatesNothing() {
    Parallel.setThreads(2);
    float[] data = new float[100_000];
    Parallel.RangeBody body = (from, to) -> {
      for (int i = from; i < to; i++) {
        data[i] += 1;
      }
    };
    for (int k = 0; k < 20_000; k++) {
      Parallel.forRange(data.length, 1000, body);
    }
    var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = bean.getCurrentThreadAllocatedBytes();
    int calls = 20_000;
    for (int k = 0; k < calls; k++) {
      Parallel.forRange(data.length, 1000, body);
    }
    long perCall = (bean.getCurrentThreadAllocatedBytes() - before) / calls;
    assertTrue(perCall < 8, "a parallel call allocates " + perCall + " bytes");
    assertEquals(40_000, data[0]);
    assertEquals(40_000, data[data.length - 1]);
  }
}
