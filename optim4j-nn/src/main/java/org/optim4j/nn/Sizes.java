package org.optim4j.nn;

import java.util.Arrays;

/** Size arguments of convolution and pooling layers: one value for both spatial dimensions, or two. */
final class Sizes {
  private Sizes() {}

  /**
   * Checks a size argument of one or two values and returns a copy.
   *
   * @throws IllegalArgumentException if {@code values} does not have one or two entries
   */
  static int[] check(int[] values, String name) {
    if (values == null || values.length < 1 || values.length > 2) {
      throw new IllegalArgumentException(
          name + " must be an int or a pair of ints, got " + (values == null ? "null" : Arrays.toString(values)));
    }
    return values.clone();
  }

  /** Expands a checked size argument to two values, like PyTorch's {@code _pair}. */
  static int[] pair(int[] values) {
    return values.length == 1 ? new int[] {values[0], values[0]} : values.clone();
  }

  /** {@link #check} then {@link #pair}. */
  static int[] checkPair(int[] values, String name) {
    return pair(check(values, name));
  }
}
