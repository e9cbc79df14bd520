/**
 * Datasets and batching, PyTorch's {@code torch.utils.data} with torchvision's MNIST datasets:
 * {@link org.optim4j.data.Dataset} (map-style, {@code size()} and {@code get(i)}), {@link
 * org.optim4j.data.TensorDataset}, {@link org.optim4j.data.DataLoader} (batching, seeded shuffling,
 * {@code drop_last}, stacking collation, optional background prefetch and a resumable data order), the
 * IDX file reader {@link org.optim4j.data.Idx}, and {@link org.optim4j.data.MNIST} / {@link
 * org.optim4j.data.FashionMNIST} read from a data directory filled by {@code scripts/fetch-data.sh}, or, for
 * MNIST, from the 10 000 + 2 000-image subset embedded in this module's jar.
 *
 * <p>Role: turn files and tensors into the mini-batches a training loop iterates over. Allowed
 * dependencies: {@code org.optim4j.tensor} and the JDK only — nothing here knows {@code nn} or {@code
 * optim}, and neither of them depends on this package. I/O failures surface as {@link
 * java.io.UncheckedIOException}, malformed content as {@link IllegalArgumentException}; no public method
 * declares a checked exception.
 */
package org.optim4j.data;
