package org.optim4j.data;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.optim4j.tensor.Tensor;

/**
 * The batches of one epoch, made in order by a background daemon thread at most {@code prefetch} ahead
 * of the consumer and handed over first-in first-out, so that they equal the batches made on the calling
 * thread. A failure is handed over in its batch's place and rethrown by {@link #next()}. The thread stops
 * at the end of the epoch, after a failure, or once the iterator is abandoned and garbage-collected.
 */
final class PrefetchIterator implements Iterator<List<Tensor>> {
  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  private static final long OFFER_WAIT_MILLIS = 50;

  private final BlockingQueue<Object> queue;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final int end;
  private int next;

  PrefetchIterator(Epoch epoch, int prefetch) {
    this.queue = new ArrayBlockingQueue<>(prefetch);
    this.end = epoch.end();
    this.next = epoch.first();
    if (next < end) {
      Thread thread = new Thread(new Producer(epoch, queue, cancelled),
          "optim4j-data-prefetch-" + THREAD_IDS.incrementAndGet());
      thread.setDaemon(true);
      CLEANER.register(this, new Cancel(cancelled));
      thread.start();
    }
  }

  @Override
  public boolean hasNext() {
    return next < end;
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Tensor> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelled.set(true);
      throw new IllegalStateException("interrupted while waiting for a prefetched batch", e);
    }
    if (item instanceof Failure) {
      cancelled.set(true);
      next = end;
      Throwable cause = ((Failure) item).cause;
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw (Error) cause;
    }
    next++;
    return (List<Tensor>) item;
  }

  /** A failure while making a batch, handed to the consumer in the batch's place. */
  private static final class Failure {
    private final Throwable cause;

    Failure(Throwable cause) {
      this.cause = cause;
    }
  }

  /** Makes an epoch's batches in order into the bounded queue until done or cancelled. */
  private static final class Producer implements Runnable {
    private final Epoch epoch;
    private final BlockingQueue<Object> queue;
    private final AtomicBoolean cancelled;

    Producer(Epoch epoch, BlockingQueue<Object> queue, AtomicBoolean cancelled) {
      this.epoch = epoch;
      this.queue = queue;
      this.cancelled = cancelled;
    }

    @Override
    public void run() {
      for (int b = epoch.first(); b < epoch.end() && !cancelled.get(); b++) {
        Object item;
        try {
          item = epoch.batch(b);
        } catch (RuntimeException | Error e) {
          hand(new Failure(e));
          return;
        }
        if (!hand(item)) {
          return;
        }
      }
    }

    private boolean hand(Object item) {
      try {
        while (!cancelled.get()) {
          if (queue.offer(item, OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            return true;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }

  /** Sets the cancel flag of an abandoned iterator's producer; refers to no iterator. */
  private static final class Cancel implements Runnable {
    private final AtomicBoolean cancelled;

    Cancel(AtomicBoolean cancelled) {
      this.cancelled = cancelled;
    }

    @Override
    public void run() {
      cancelled.set(true);
    }
  }
}
