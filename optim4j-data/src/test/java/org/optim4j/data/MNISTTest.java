package org.optim4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

class MNISTTest {
  /** Statistics of x/255 computed by scripts/make-embedded-mnist.py's arithmetic in Python. */
  private static final double EMBEDDED_TRAIN_MEAN = 0.13112575030012005;
  private static final double EMBEDDED_TRAIN_STD = 0.30869856618127367;
  private static final double EMBEDDED_TEST_MEAN = 0.1208859193677471;
  /** Python sums 7.8M pixels one by one, the loader a 256-bin histogram: they agree to ~1e-11. */
  private static final double STATS_TOLERANCE = 1e-9;
  /** Float32 reductions over millions of pixels. */
  private static final double REDUCTION_TOLERANCE = 1e-3;
  /** The full data, when scripts/fetch-data.sh has filled the repository's data/ directory. */
  private static final Path FULL_DATA = Path.of("..", "data");

  private static MNIST train;
  private static MNIST test;

  @TempDir Path dir;

  @BeforeAll
  static void loadEmbedded() {
    train = MNIST.embedded(true);
    test = MNIST.embedded(false);
  }

  @Test
  void embeddedSubsetHasTheDocumentedShapes() {
    assertEquals(10_000, train.size());
    assertEquals(2_000, test.size());
    assertArrayEquals(new int[] {10_000, 1, 28, 28}, train.images().shape());
    assertArrayEquals(new int[] {2_000, 1, 28, 28}, test.images().shape());
    assertEquals(DType.FLOAT32, train.images().dtype());
    assertEquals(DType.INT64, train.targets().dtype());
    assertArrayEquals(new int[] {10_000}, train.targets().shape());
    assertTrue(train.train());
    assertTrue(!test.train());
    List<Tensor> sample = train.get(0);
    assertArrayEquals(new int[] {1, 28, 28}, sample.get(0).shape());
    assertEquals(0, sample.get(1).dim());
  }

  @Test
  void embeddedLabelsAreMnistsFirstLabels() {
    // The first labels of MNIST's training and test files, as published with the data set.
    assertArrayEquals(new long[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4},
        Arrays.copyOf(train.targets().toLongArray(), 10));
    assertArrayEquals(new long[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9},
        Arrays.copyOf(test.targets().toLongArray(), 10));
    long[] counts = new long[10];
    for (long label : train.targets().toLongArray()) {
      assertTrue(label >= 0 && label <= 9, "label " + label);
      counts[(int) label]++;
    }
    assertArrayEquals(new long[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, counts);
  }

  @Test
  void embeddedTrainingImagesAreNormalisedToMeanZeroStdOne() {
    assertEquals(EMBEDDED_TRAIN_MEAN, train.normalization().mean(), STATS_TOLERANCE);
    assertEquals(EMBEDDED_TRAIN_STD, train.normalization().std(), STATS_TOLERANCE);
    assertEquals(0, train.images().mean().item(), REDUCTION_TOLERANCE);
    assertEquals(1, train.images().std().item(), REDUCTION_TOLERANCE);
  }

  @Test
  void testSplitUsesTheTrainingStatistics() {
    assertEquals(train.normalization(), test.normalization());
    double expectedMean = (EMBEDDED_TEST_MEAN - EMBEDDED_TRAIN_MEAN) / EMBEDDED_TRAIN_STD;
    assertEquals(expectedMean, test.images().mean().item(), REDUCTION_TOLERANCE);
  }

  @Test
  void classNamesAreTorchvisions() {
    assertEquals(10, train.classes().size());
    assertEquals("0 - zero", train.classes().get(0));
    assertEquals("Dataset MNIST\n    Number of datapoints: 2000\n    Root location: embedded\n    Split: Test",
        test.toString());
  }

  /** Writes a tiny MNIST-format split: pixel values and labels given, images 1x2. */
  private static void writeSplit(Path where, String prefix, float[] pixels, long[] labels, String suffix) {
    Idx.writeUnsignedBytes(where.resolve(prefix + "-images-idx3-ubyte" + suffix),
        Tensor.of(pixels, pixels.length / 2, 1, 2));
    Idx.writeUnsignedBytes(where.resolve(prefix + "-labels-idx1-ubyte" + suffix), Tensor.of(labels));
  }

  @Test
  void readsADirectoryInTorchvisionsLayoutWithTrainStatistics() throws IOException {
    Path raw = Files.createDirectories(dir.resolve("MNIST").resolve("raw"));
    writeSplit(raw, "train", new float[] {0, 255, 0, 255}, new long[] {1, 2}, ".gz");
    writeSplit(raw, "t10k", new float[] {51, 102}, new long[] {9}, "");
    // x/255 over the training pixels is {0, 1, 0, 1}: mean 1/2, unbiased variance (4 · 1/4) / 3 = 1/3.
    double mean = 0.5;
    double std = Math.sqrt(1.0 / 3);
    MNIST trainSet = new MNIST(dir, true);
    assertEquals(mean, trainSet.normalization().mean(), STATS_TOLERANCE);
    assertEquals(std, trainSet.normalization().std(), STATS_TOLERANCE);
    assertArrayEquals(new float[] {(float) (-mean / std), (float) ((1 - mean) / std), (float) (-mean / std),
        (float) ((1 - mean) / std)}, trainSet.images().toFloatArray());
    MNIST testSet = new MNIST(dir, false);
    assertEquals(trainSet.normalization(), testSet.normalization());
    assertArrayEquals(new int[] {1, 1, 1, 2}, testSet.images().shape());
    assertArrayEquals(new float[] {(float) ((0.2 - mean) / std), (float) ((0.4 - mean) / std)},
        testSet.images().toFloatArray(), 1e-6f);
    assertArrayEquals(new long[] {9}, testSet.targets().toLongArray());
  }

  @Test
  void givenStatisticsAreUsedAsTheyAre() {
    writeSplit(dir, "t10k", new float[] {0, 255}, new long[] {0}, "");
    MNIST.Normalization stats = new MNIST.Normalization(0.25, 0.5);
    MNIST testSet = new MNIST(dir, false, stats);
    assertSame(stats, testSet.normalization());
    assertArrayEquals(new float[] {-0.5f, 1.5f}, testSet.images().toFloatArray());
    assertThrows(IllegalArgumentException.class, () -> new MNIST.Normalization(0, 0));
  }

  @Test
  void missingFilesSayToRunTheFetchScript() {
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new MNIST(dir, true));
    assertTrue(e.getMessage().contains("scripts/fetch-data.sh"), e.getMessage());
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    assertTrue(e.getMessage().contains("MNIST.embedded"), e.getMessage());
    writeSplit(dir, "t10k", new float[] {0, 255}, new long[] {0}, "");
    UncheckedIOException noTrain = assertThrows(UncheckedIOException.class, () -> new MNIST(dir, false));
    assertTrue(noTrain.getMessage().contains("train-images-idx3-ubyte"), noTrain.getMessage());
    UncheckedIOException fashion = assertThrows(UncheckedIOException.class, () -> new FashionMNIST(dir, true));
    assertTrue(fashion.getMessage().contains("FashionMNIST"), fashion.getMessage());
  }

  @Test
  void imageAndLabelCountsMustAgree() {
    writeSplit(dir, "train", new float[] {0, 255, 0, 255}, new long[] {1, 2, 3}, "");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MNIST(dir, true));
    assertTrue(e.getMessage().contains("count mismatch: 2 images but"), e.getMessage());
    assertTrue(e.getMessage().contains("has 3 labels"), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/fetch-data.sh"), e.getMessage());
  }

  @Test
  void labelsOutsideTheClassesAndSwappedFilesAreRejected() {
    writeSplit(dir, "train", new float[] {0, 255}, new long[] {10}, "");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MNIST(dir, true));
    assertTrue(e.getMessage().contains("label 10 at index 0"), e.getMessage());
    Idx.writeUnsignedBytes(dir.resolve("train-images-idx3-ubyte"), Tensor.of(new long[] {1}));
    IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class, () -> new MNIST(dir, true));
    assertTrue(swapped.getMessage().contains("expected images with 3 dimensions (magic number 0x00000803)"),
        swapped.getMessage());
  }

  @Test
  void fashionMnistReadsItsOwnFolder() throws IOException {
    Path raw = Files.createDirectories(dir.resolve("FashionMNIST").resolve("raw"));
    writeSplit(raw, "train", new float[] {0, 255, 10, 20}, new long[] {8, 9}, ".gz");
    FashionMNIST fashion = new FashionMNIST(dir, true);
    assertEquals(2, fashion.size());
    assertEquals("Bag", fashion.classes().get((int) fashion.targets().toLongArray()[0]));
    assertTrue(fashion.toString().startsWith("Dataset FashionMNIST\n"));
  }

  @Test
  void fullMnistWhenFetched() {
    assumeTrue(Files.isDirectory(FULL_DATA.resolve("MNIST")), "run scripts/fetch-data.sh for this test");
    MNIST full = new MNIST(FULL_DATA, false);
    assertEquals(10_000, full.size());
    // The statistics of the 60 000 training images, torchvision's customary 0.1307 and 0.3081.
    assertEquals(0.1306604762738429, full.normalization().mean(), STATS_TOLERANCE);
    assertEquals(0.30810780713141817, full.normalization().std(), STATS_TOLERANCE);
  }

  @Test
  void fullFashionMnistWhenFetched() {
    assumeTrue(Files.isDirectory(FULL_DATA.resolve("FashionMNIST")), "run scripts/fetch-data.sh for this test");
    FashionMNIST full = new FashionMNIST(FULL_DATA, false);
    assertEquals(10_000, full.size());
    assertEquals(0.2860405969887955, full.normalization().mean(), STATS_TOLERANCE);
    assertEquals(0.35302424826730616, full.normalization().std(), STATS_TOLERANCE);
    assertEquals(List.of(9L, 2L, 1L), List.of(full.targets().toLongArray()[0], full.targets().toLongArray()[1],
        full.targets().toLongArray()[2]));
  }
}
