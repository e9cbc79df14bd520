package org.optim4j.tensor.internal;

import org.optim4j.tensor.Tensor;

/**
 * Direct access to the primitive array behind a tensor, for kernels in other optim4j modules (the
 * optimizers' update kernels). Not public API.
 *
 * <p>A tensor's storage is private to its package; {@link Tensor} installs the accessor here when its
 * class is initialised (the JDK's "shared secrets" pattern). Access is granted only to a dense tensor that
 * owns its whole array: contiguous, offset 0, and as many elements as the array holds — exactly the
 * parameters, gradients and optimizer state that optim4j allocates. Other tensors get null and the caller
 * copies. None of these methods allocates.
 */
public final class RawAccess {
  /** The bridge into the tensor package. */
  public interface Accessor {
    /** The whole backing array of {@code t} (a {@code float[]}, {@code double[]} or bfloat16 {@code short[]}), or null. */
    Object wholeArray(Tensor t);

    /** Records an in-place modification of {@code t} (its version counter). */
    void bumpVersion(Tensor t);
  }

  private static volatile Accessor accessor;

  private RawAccess() {}

  /** Called once by {@link Tensor}'s static initialiser. */
  public static void install(Accessor a) {
    if (accessor != null) {
      throw new IllegalStateException("RawAccess is already installed");
    }
    accessor = a;
  }

  /**
   * The array that is exactly {@code t}'s data — a {@code float[]} (float32), {@code double[]} (float64) or
   * {@code short[]} (bfloat16 bits) — or null when {@code t} does not own one or has another dtype.
   */
  public static Object wholeArray(Tensor t) {
    return accessor.wholeArray(t);
  }

  /** The {@code float[]} that is exactly {@code t}'s data, or null when {@code t} does not own one. */
  public static float[] wholeFloats(Tensor t) {
    return accessor.wholeArray(t) instanceof float[] a ? a : null;
  }

  /** The {@code double[]} that is exactly {@code t}'s data, or null when {@code t} does not own one. */
  public static double[] wholeDoubles(Tensor t) {
    return accessor.wholeArray(t) instanceof double[] a ? a : null;
  }

  /** The bfloat16 bits that are exactly {@code t}'s data, or null when {@code t} does not own them. */
  public static short[] wholeShorts(Tensor t) {
    return accessor.wholeArray(t) instanceof short[] a ? a : null;
  }

  /** Records an in-place modification of {@code t} made through its array. */
  public static void bumpVersion(Tensor t) {
    accessor.bumpVersion(t);
  }
}
