package org.optim4j.data;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST, torchvision's {@code datasets.FashionMNIST}: 70 000 grey 28×28 images of
 * clothing in ten classes, in MNIST's file format and layout. Everything said in {@link MNIST} holds,
 * except that the files are looked up in {@code root/FashionMNIST/raw/} (then {@code root}), and that
 * there is no embedded subset. {@code scripts/fetch-data.sh} fetches the files from the Debian package
 * {@code dataset-fashion-mnist}. The training split's statistics are mean 0.286041, std 0.353024.
 */
public class FashionMNIST extends MNIST {
  private static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /**
   * Loads a split of Fashion-MNIST from {@code root}, normalised with the statistics of the training
   * split in the same place.
   *
   * @param train {@code true} for the 60 000 training images, {@code false} for the 10 000 test images
   * @throws UncheckedIOException if a file is missing or cannot be read
   * @throws IllegalArgumentException if a file is malformed or the counts disagree
   */
  public FashionMNIST(Path root, boolean train) {
    this(root, train, null);
  }

  /**
   * Loads a split of Fashion-MNIST from {@code root}, normalised with the given statistics, or with those
   * of the training split in the same place when {@code normalization} is null.
   *
   * @throws UncheckedIOException if a file is missing or cannot be read
   * @throws IllegalArgumentException if a file is malformed or the counts disagree
   */
  public FashionMNIST(Path root, boolean train, Normalization normalization) {
    super(load(directory(root, "FashionMNIST", false), root.toString(), train, normalization));
  }

  /** The class names, indexed by label: "T-shirt/top", "Trouser", ..., "Ankle boot". */
  @Override
  public List<String> classes() {
    return CLASSES;
  }
}
