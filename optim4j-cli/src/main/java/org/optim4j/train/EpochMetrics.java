package org.optim4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one epoch measured: the training loss and performance of the seed's meters (averaged over the
 * epoch's batches as they were trained), the test loss and performance after the epoch, the learning rate
 * the epoch started with, and the time of the training loop alone (without the evaluation).
 *
 * @param epoch the epoch number, from 1
 * @param lr the first group's learning rate at the start of the epoch
 * @param trainLossTotal the sum of batch loss × batch size (the seed's {@code loss_meter.sum})
 * @param trainLoss the mean training loss (the seed's {@code loss_meter.avg})
 * @param trainPerformance the training accuracy in [0, 1]; NaN for regression
 * @param testLossTotal the sum of batch loss × batch size over the test set
 * @param testLoss the mean test loss
 * @param testPerformance the test accuracy in [0, 1]; NaN for regression
 * @param trainSeconds the wall time of the epoch's training loop
 * @param samplesPerSecond training samples per second
 */
public record EpochMetrics(int epoch, double lr, double trainLossTotal, double trainLoss, double trainPerformance,
    double testLossTotal, double testLoss, double testPerformance, double trainSeconds, double samplesPerSecond) {

  /** The CSV header of {@link #csvRow()}. */
  public static final List<String> COLUMNS = List.of("epoch", "lr", "train_loss_total", "train_loss",
      "train_accuracy", "test_loss_total", "test_loss", "test_accuracy", "train_seconds", "samples_per_second");

  /** The values in the order of {@link #COLUMNS}; a missing accuracy is an empty field. */
  public String csvRow() {
    return epoch + "," + PyFloat.repr(lr) + "," + PyFloat.repr(trainLossTotal) + "," + PyFloat.repr(trainLoss) + ","
        + field(trainPerformance) + "," + PyFloat.repr(testLossTotal) + "," + PyFloat.repr(testLoss) + ","
        + field(testPerformance) + "," + PyFloat.repr(trainSeconds) + "," + PyFloat.repr(samplesPerSecond);
  }

  private static String field(double v) {
    return Double.isNaN(v) ? "" : PyFloat.repr(v);
  }

  /** The values by column name, for checkpoints. */
  Map<String, Object> toMap() {
    String[] cols = COLUMNS.toArray(new String[0]);
    double[] values = {lr, trainLossTotal, trainLoss, trainPerformance, testLossTotal, testLoss, testPerformance,
        trainSeconds, samplesPerSecond};
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(cols[0], epoch);
    for (int i = 0; i < values.length; i++) {
      m.put(cols[i + 1], values[i]);
    }
    return m;
  }

  /** The metrics stored by {@link #toMap()}. */
  static EpochMetrics fromMap(Map<?, ?> m) {
    double[] v = new double[COLUMNS.size()];
    for (int i = 0; i < v.length; i++) {
      if (!(m.get(COLUMNS.get(i)) instanceof Number n)) {
        throw new IllegalArgumentException("metrics: " + COLUMNS.get(i) + " must be a number, got "
            + m.get(COLUMNS.get(i)));
      }
      v[i] = n.doubleValue();
    }
    return new EpochMetrics((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
  }
}
