package org.optim4j.tensor.testing;

import java.util.Arrays;

/**
 * One tensor of a fixture case, as PyTorch wrote it: dtype name ({@code float32}, {@code float64},
 * {@code int64} or {@code bool}), shape, and the flat row-major values.
 *
 * <p>Instances are immutable; the accessors return copies.
 */
public final class FixtureTensor {

  private final String dtype;
  private final int[] shape;
  private final double[] data;
  private final long[] longData;

  FixtureTensor(String dtype, int[] shape, double[] data, long[] longData) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
    this.longData = longData;
  }

  /** The PyTorch dtype name: {@code float32}, {@code float64}, {@code int64} or {@code bool}. */
  public String dtype() {
    return dtype;
  }

  /** The shape; empty for a 0-dim tensor. */
  public int[] shape() {
    return shape.clone();
  }

  /** The number of elements. */
  public int numel() {
    return data.length;
  }

  /** The values as doubles (exact for float32 and float64; bool as 1 and 0). */
  public double[] data() {
    return data.clone();
  }

  /** The values of an {@code int64} or {@code bool} tensor, exactly. */
  public long[] longData() {
    if (longData == null) {
      throw new AssertionError("longData() of a " + dtype + " fixture tensor");
    }
    return longData.clone();
  }

  /** The single value of a tensor with one element (a 0-dim tensor, typically). */
  public double item() {
    if (data.length != 1) {
      throw new AssertionError("item() of a fixture tensor with shape " + Arrays.toString(shape));
    }
    return data[0];
  }

  /** The root mean square of the finite values; 0 if there are none. */
  public double rms() {
    return Tolerance.rms(data);
  }

  @Override
  public String toString() {
    return dtype + Arrays.toString(shape);
  }
}
