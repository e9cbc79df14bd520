package org.optim4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.optim4j.tensor.Tensor;

/**
 * The MNIST handwritten digits, torchvision's {@code datasets.MNIST}, as a {@link TensorDataset} of
 * normalised images and labels: sample {@code i} is {@code [image, label]} with the image a float32
 * {@code [1, 28, 28]} tensor and the label a 0-dim int64 tensor in 0–9, so a {@link DataLoader} yields
 * {@code [B, 1, 28, 28]} inputs ready for {@code Conv2d} and {@code [B]} targets for cross-entropy.
 *
 * <pre>{@code
 * MNIST train = new MNIST(Path.of("data"), true);   // after scripts/fetch-data.sh
 * MNIST test = new MNIST(Path.of("data"), false);   // normalised with the training split's statistics
 * MNIST small = MNIST.embedded(true);               // no download: the subset inside the jar
 * }</pre>
 *
 * <p><b>Files.</b> The four standard files {@code train-images-idx3-ubyte}, {@code
 * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each raw or
 * with a {@code .gz} suffix, are looked up in {@code root/MNIST/raw/} (the layout that torchvision and
 * {@code scripts/fetch-data.sh} use) and then in {@code root} itself. A missing file is an {@link
 * UncheckedIOException} whose message says to run {@code scripts/fetch-data.sh}; malformed files are
 * reported by {@link Idx}, and a split whose image and label counts differ, or whose labels are outside
 * 0–9, is an {@link IllegalArgumentException}.
 *
 * <p><b>Normalisation.</b> Pixels {@code x} (0–255) become {@code (x/255 − mean) / std}, where {@code mean}
 * and {@code std} are the mean and the unbiased standard deviation (Bessel's correction, as {@code
 * Tensor.std()}) of {@code x/255} over every pixel of the <em>training</em> split of the data actually
 * loaded — the seed's {@code mu, std = train_input.mean(), train_input.std();
 * train_input.sub_(mu).div_(std)} on the 0–255 values, which is the same map. The test split is normalised
 * with the training split's statistics (reading the training images to get them, unless a {@link
 * Normalization} is passed), so both splits go through one transform; {@link #normalization()} records
 * it. For the full MNIST the statistics are mean 0.130660, std 0.308108 (torchvision's customary 0.1307,
 * 0.3081); for the embedded subset, mean 0.131126, std 0.308699.
 *
 * <p><b>Embedded subset.</b> {@link #embedded(boolean)} reads the first 10 000 images of the training
 * split and the first 2 000 of the test split, in file order (index {@code i} of the subset is index
 * {@code i} of the full split), stored as gzip IDX files under {@code org/optim4j/data/mnist/} in this
 * module's jar and written by {@code scripts/make-embedded-mnist.py} from the verified original files.
 * Its training subset has 863 to 1 127 images per digit.
 *
 * <p><b>Differences.</b> torchvision keeps the raw uint8 images in {@code .data} and converts each sample
 * through {@code transform}; here the images are converted and normalised once, at load time, and
 * {@link #images()} holds the normalised float32 {@code [N, 1, 28, 28]} tensor. There is no {@code
 * download} flag: the data comes from {@code scripts/fetch-data.sh} or the embedded subset.
 */
public class MNIST extends TensorDataset {
  private static final List<String> CLASSES = List.of("0 - zero", "1 - one", "2 - two", "3 - three",
      "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine");
  private static final String RESOURCES = "mnist/";

  private final boolean train;
  private final Normalization normalization;
  private final String location;

  /**
   * The affine map {@code x/255 ↦ (x/255 − mean) / std} applied to the pixels, with the statistics in
   * units of {@code x/255}.
   *
   * @param mean the mean of {@code x/255} over the training images
   * @param std the unbiased standard deviation of {@code x/255} over the training images
   */
  public record Normalization(double mean, double std) {
    /**
     * Validates the statistics.
     *
     * @throws IllegalArgumentException if {@code mean} is not finite or {@code std} is not positive and
     *     finite
     */
    public Normalization {
      if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
        throw new IllegalArgumentException(
            "normalization needs a finite mean and a positive finite std, got mean=" + mean + ", std=" + std);
      }
    }

    /** The mean and unbiased standard deviation of {@code x/255} over all of {@code pixels}. */
    static Normalization of(byte[] pixels, String source) {
      if (pixels.length < 2) {
        throw Idx.bad(source, "normalisation needs at least two training pixels, got " + pixels.length);
      }
      long[] histogram = new long[256];
      for (byte p : pixels) {
        histogram[p & 0xFF]++;
      }
      double sum = 0;
      for (int v = 0; v < 256; v++) {
        sum += histogram[v] * (v / 255.0);
      }
      double mean = sum / pixels.length;
      double squares = 0;
      for (int v = 0; v < 256; v++) {
        double d = v / 255.0 - mean;
        squares += histogram[v] * d * d;
      }
      double std = Math.sqrt(squares / (pixels.length - 1));
      if (!(std > 0)) {
        throw Idx.bad(source, "every training pixel has the same value, so the standard deviation is 0");
      }
      return new Normalization(mean, std);
    }
  }

  /** One loaded split: the tensors and how they were made. */
  record Split(Tensor images, Tensor targets, boolean train, Normalization normalization, String location) {}

  /** Opens one of the four standard files by name (without {@code .gz}). */
  @FunctionalInterface
  interface Source {
    Idx.UnsignedBytes read(String name);
  }

  /**
   * Loads a split of MNIST from {@code root} (see the class comment for where the files are looked up),
   * normalised with the statistics of the training split in the same place.
   *
   * @param train {@code true} for the 60 000 training images, {@code false} for the 10 000 test images
   * @throws UncheckedIOException if a file is missing or cannot be read
   * @throws IllegalArgumentException if a file is malformed or the counts disagree
   */
  public MNIST(Path root, boolean train) {
    this(root, train, null);
  }

  /**
   * Loads a split of MNIST from {@code root}, normalised with the given statistics, or with those of the
   * training split in the same place when {@code normalization} is null. Pass {@code
   * trainSet.normalization()} to normalise a test set without reading the training images again.
   *
   * @throws UncheckedIOException if a file is missing or cannot be read
   * @throws IllegalArgumentException if a file is malformed or the counts disagree
   */
  public MNIST(Path root, boolean train, Normalization normalization) {
    this(load(directory(root, "MNIST", true), root.toString(), train, normalization));
  }

  MNIST(Split split) {
    super(split.images(), split.targets());
    this.train = split.train();
    this.normalization = split.normalization();
    this.location = split.location();
  }

  /**
   * The MNIST subset embedded in this jar: the first 10 000 training or the first 2 000 test images,
   * both normalised with the embedded training subset's statistics (mean 0.131126, std 0.308699).
   *
   * @throws IllegalStateException if the embedded files are missing from the class path
   */
  public static MNIST embedded(boolean train) {
    Source source = name -> {
      String resource = RESOURCES + name + ".gz";
      try (InputStream in = MNIST.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the embedded MNIST file org/optim4j/data/" + resource
              + " is missing from the class path; is optim4j-data's jar complete?");
        }
        return Idx.readUnsignedBytes(in, "embedded " + name + ".gz");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the embedded " + resource + ": " + e, e);
      }
    };
    return new MNIST(load(source, "embedded", train, null));
  }

  /** {@code true} for the training split, {@code false} for the test split. */
  public boolean train() {
    return train;
  }

  /** The statistics the images were normalised with: always the training split's (see the class comment). */
  public Normalization normalization() {
    return normalization;
  }

  /** The normalised images, float32 {@code [N, 1, 28, 28]}. */
  public Tensor images() {
    return tensors().get(0);
  }

  /** The labels, int64 {@code [N]}, each in {@code [0, classes().size())}. */
  public Tensor targets() {
    return tensors().get(1);
  }

  /** The class names, indexed by label: torchvision's {@code classes}. */
  public List<String> classes() {
    return CLASSES;
  }

  /** A summary in torchvision's format: the dataset name, size, location and split. */
  @Override
  public String toString() {
    return "Dataset " + getClass().getSimpleName() + "\n    Number of datapoints: " + size()
        + "\n    Root location: " + location + "\n    Split: " + (train ? "Train" : "Test");
  }

  /**
   * A source reading the standard files from {@code root/folder/raw} or {@code root}, each raw or gzip.
   *
   * @param embeddedHint whether the missing-file message should mention {@link #embedded(boolean)}
   */
  static Source directory(Path root, String folder, boolean embeddedHint) {
    Objects.requireNonNull(root, "root must not be null");
    return name -> {
      Path raw = root.resolve(folder).resolve("raw");
      for (Path dir : List.of(raw, root)) {
        for (String file : List.of(name, name + ".gz")) {
          Path path = dir.resolve(file);
          if (Files.isRegularFile(path)) {
            return Idx.readUnsignedBytes(path);
          }
        }
      }
      String message = folder + " data not found: no " + name + " or " + name + ".gz in " + raw + " or "
          + root + "; " + Idx.FETCH_HINT + ", then pass DIR as the root"
          + (embeddedHint ? ", or use MNIST.embedded(train) for the subset embedded in the jar" : "");
      throw new UncheckedIOException(message, new NoSuchFileException(raw.resolve(name).toString()));
    };
  }

  /** Reads, checks and normalises one split. */
  static Split load(Source source, String location, boolean train, Normalization normalization) {
    String prefix = train ? "train" : "t10k";
    Idx.UnsignedBytes images = source.read(prefix + "-images-idx3-ubyte");
    Idx.UnsignedBytes labels = source.read(prefix + "-labels-idx1-ubyte");
    checkRank(images, 3, "images");
    checkRank(labels, 1, "labels");
    if (images.dims()[0] != labels.dims()[0]) {
      throw Idx.bad(images.source(), "count mismatch: " + images.dims()[0] + " images but "
          + labels.source() + " has " + labels.dims()[0] + " labels");
    }
    long[] targets = new long[labels.data().length];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = labels.data()[i] & 0xFF;
      if (targets[i] >= CLASSES.size()) {
        throw Idx.bad(labels.source(), "label " + targets[i] + " at index " + i + " is not a class in [0, "
            + CLASSES.size() + ")");
      }
    }
    Normalization stats = normalization;
    if (stats == null) {
      byte[] trainPixels = train ? images.data() : source.read("train-images-idx3-ubyte").data();
      stats = Normalization.of(trainPixels, train ? images.source() : "train-images-idx3-ubyte");
    }
    float[] lookup = new float[256];
    for (int v = 0; v < 256; v++) {
      lookup[v] = (float) ((v / 255.0 - stats.mean()) / stats.std());
    }
    byte[] pixels = images.data();
    float[] normalised = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      normalised[i] = lookup[pixels[i] & 0xFF];
    }
    int[] dims = images.dims();
    Tensor imageTensor = Tensor.of(normalised, dims[0], 1, dims[1], dims[2]);
    return new Split(imageTensor, Tensor.of(targets), train, stats, location);
  }

  private static void checkRank(Idx.UnsignedBytes idx, int rank, String what) {
    if (idx.dims().length != rank) {
      throw Idx.bad(idx.source(), String.format("expected %s with %d dimensions (magic number 0x%08X) but the"
          + " header has %d (magic number 0x%08X)", what, rank, 0x800 | rank, idx.dims().length,
          0x800 | idx.dims().length));
    }
  }
}
