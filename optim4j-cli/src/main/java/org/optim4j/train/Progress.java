package org.optim4j.train;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how far an epoch has got: a progress bar on a terminal (batches, loss, samples per second), plain
 * lines every few seconds otherwise (a log file, a pipe, CI), or nothing.
 */
public interface Progress {
  /** Shows nothing. */
  Progress SILENT = new Progress() {
    @Override
    public void start(String task, int batches) {}

    @Override
    public void update(int done, double loss, double samplesPerSecond) {}

    @Override
    public void finish() {}
  };

  /** An epoch of {@code batches} batches starts. */
  void start(String task, int batches);

  /** {@code done} batches are finished; {@code loss} is the running mean loss. */
  void update(int done, double loss, double samplesPerSecond);

  /** The epoch is over; the bar, if any, is closed. */
  void finish();

  /**
   * A bar on {@code err} when the program runs on a terminal ({@code System.console() != null}), otherwise
   * a line on {@code err} at most every {@code intervalSeconds}.
   */
  static Progress forConsole(PrintStream err, double intervalSeconds) {
    return System.console() != null ? new Bar(err) : new Lines(err, intervalSeconds);
  }

  /** The terminal progress bar (me.tongfei:progressbar). */
  final class Bar implements Progress {
    private final PrintStream err;
    private ProgressBar bar;

    Bar(PrintStream err) {
      this.err = err;
    }

    @Override
    public void start(String task, int batches) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(batches).setUnit(" batches", 1)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setMaxRenderedLength(110)
          .setConsumer(new ConsoleProgressBarConsumer(err)).hideEta().clearDisplayOnFinish().build();
    }

    @Override
    public void update(int done, double loss, double samplesPerSecond) {
      bar.stepTo(done);
      bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %.0f samples/s", loss, samplesPerSecond));
    }

    @Override
    public void finish() {
      bar.close();
    }
  }

  /** Plain lines, for output that is not a terminal. */
  final class Lines implements Progress {
    private final PrintStream err;
    private final long intervalNanos;
    private String task;
    private int batches;
    private long last;

    Lines(PrintStream err, double intervalSeconds) {
      this.err = err;
      this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    @Override
    public void start(String task, int batches) {
      this.task = task;
      this.batches = batches;
      this.last = System.nanoTime();
    }

    @Override
    public void update(int done, double loss, double samplesPerSecond) {
      long now = System.nanoTime();
      if (now - last >= intervalNanos && done < batches) {
        last = now;
        err.println(String.format(Locale.ROOT, "%s: batch %d/%d - loss %.4f - %.0f samples/s", task, done, batches,
            loss, samplesPerSecond));
      }
    }

    @Override
    public void finish() {}
  }
}
