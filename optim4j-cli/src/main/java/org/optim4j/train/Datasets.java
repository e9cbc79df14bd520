package org.optim4j.train;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.optim4j.data.MNIST;
import org.optim4j.data.TensorDataset;
import org.optim4j.tensor.Tensor;

/**
 * The data of a run: MNIST (the subset embedded in optim4j-data's jar, or the full set from a directory
 * filled by {@code scripts/fetch-data.sh}) for the classifiers, and the slides' eleven temperature pairs
 * for the linear regression, whose training and test sets are the same.
 *
 * @param train the training set
 * @param test the test set
 * @param description one line saying what was loaded
 */
public record Datasets(TensorDataset train, TensorDataset test, String description) {
  /** The temperatures in Celsius (the slides' {@code t_c}). */
  static final float[] T_C = {0.5f, 14.0f, 15.0f, 28.0f, 11.0f, 8.0f, 3.0f, -4.0f, 6.0f, 13.0f, 21.0f};
  /** The same temperatures in unknown units (the slides' {@code t_u}). */
  static final float[] T_U = {35.7f, 55.9f, 58.2f, 81.9f, 56.3f, 48.9f, 33.9f, 21.8f, 48.4f, 60.4f, 68.4f};

  /** Raised when the data directory is missing or broken; its message says how to fetch the data. */
  public static final class DataUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DataUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Loads the data of {@code config}.
   *
   * @throws DataUnavailableException if {@code config.data()} does not hold a readable MNIST
   */
  public static Datasets load(RunConfig config) {
    if (Models.spec(config.model()).task() == Models.Task.REGRESSION) {
      TensorDataset d = new TensorDataset(Tensor.of(T_U, T_U.length, 1).mul(0.1), Tensor.of(T_C, T_C.length, 1));
      return new Datasets(d, d, "the slides' 11 temperature pairs (t_u scaled by 0.1)");
    }
    MNIST train;
    MNIST test;
    if (config.data() == null) {
      train = MNIST.embedded(true);
      test = MNIST.embedded(false);
    } else {
      Path root = Path.of(config.data());
      if (!Files.isDirectory(root)) {
        throw new DataUnavailableException("data directory " + root + " does not exist; run scripts/fetch-data.sh "
            + root + " to download MNIST into it, or leave out --data to use the subset embedded in the jar", null);
      }
      try {
        train = new MNIST(root, true);
        test = new MNIST(root, false, train.normalization());
      } catch (UncheckedIOException | IllegalArgumentException e) {
        String message = e.getMessage().replace(", or use MNIST.embedded(train) for the subset embedded in the jar",
            "");
        if (!message.contains("fetch-data.sh")) {
          message += "; run scripts/fetch-data.sh " + root + " to download MNIST again";
        }
        throw new DataUnavailableException("cannot load MNIST from " + root + ": " + message
            + " (without --data the subset embedded in the jar is used)", e);
      }
    }
    TensorDataset trainSet = limit(train, config.trainSamples());
    TensorDataset testSet = limit(test, config.testSamples());
    String where = config.data() == null ? "embedded MNIST subset" : "MNIST from " + config.data();
    return new Datasets(trainSet, testSet, where + ": " + trainSet.size() + " training and " + testSet.size()
        + " test images");
  }

  private static TensorDataset limit(MNIST set, Integer samples) {
    if (samples == null || samples >= set.size()) {
      return set;
    }
    return new TensorDataset(set.images().narrow(0, 0, samples), set.targets().narrow(0, 0, samples));
  }
}
