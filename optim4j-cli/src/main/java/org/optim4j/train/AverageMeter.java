package org.optim4j.train;

/**
 * The seed's {@code AverageMeter}: a running sum of {@code value × n} and the count {@code n}, whose average
 * is the sample-weighted mean of the values (the mean loss of an epoch from per-batch mean losses).
 */
public final class AverageMeter {
  private double sum;
  private long count;

  /** Adds a value that stands for {@code n} samples (a batch mean over {@code n} samples). */
  public void update(double value, long n) {
    sum += value * n;
    count += n;
  }

  /** The sum of {@code value × n} over the updates. */
  public double sum() {
    return sum;
  }

  /** The number of samples counted. */
  public long count() {
    return count;
  }

  /** {@code sum / count}; NaN before the first update. */
  public double avg() {
    return count == 0 ? Double.NaN : sum / count;
  }
}
