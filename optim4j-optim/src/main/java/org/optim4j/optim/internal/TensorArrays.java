package org.optim4j.optim.internal;

import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.internal.Parallel;

/**
 * Moves a tensor's elements between the tensor and the primitive arrays the kernels work on, and runs a
 * kernel over a range split across threads.
 *
 * <p>The tensor module keeps its storage private, so the elements are copied out in row-major order
 * ({@link Tensor#toFloatArray()}) and written back with {@link Tensor#copy_}, which bumps the version
 * counter as PyTorch's in-place updates do. This is the one place that would change if the tensor module
 * offered direct access to a contiguous tensor's array.
 */
public final class TensorArrays {
  /** Elements per thread below which a kernel runs on the calling thread. */
  public static final int GRAIN = 1 << 15;

  private TensorArrays() {}

  /** A copy of the elements as float32. */
  public static float[] floats(Tensor t) {
    return t.toFloatArray();
  }

  /** A copy of the elements as float64. */
  public static double[] doubles(Tensor t) {
    return t.toDoubleArray();
  }

  /** Writes {@code values} (row-major) into {@code t}, converting to its dtype. */
  public static void store(Tensor t, float[] values) {
    t.copy_(Tensor.of(values).view(t.shape()));
  }

  /** Writes {@code values} (row-major) into {@code t}, converting to its dtype. */
  public static void store(Tensor t, double[] values) {
    t.copy_(Tensor.of(values).view(t.shape()));
  }

  /** Runs {@code body} over {@code [0, n)}, split statically into contiguous ranges (see {@link Parallel}). */
  public static void forRange(int n, Parallel.RangeBody body) {
    Parallel.forRange(n, GRAIN, body);
  }

  /**
   * Checks that an update can run on {@code param}: float32 or float64, and every state tensor of its shape.
   *
   * @throws UnsupportedOperationException for another dtype
   * @throws IllegalStateException naming the state tensor whose shape differs
   */
  public static void checkParam(String optimizer, Tensor param, String[] names, Tensor... state) {
    DType dt = param.dtype();
    if (dt != DType.FLOAT32 && dt != DType.FLOAT64) {
      throw new UnsupportedOperationException(optimizer + " updates float32 and float64 parameters, got " + dt);
    }
    int[] shape = param.shape();
    for (int i = 0; i < state.length; i++) {
      if (state[i] != null && !java.util.Arrays.equals(state[i].shape(), shape)) {
        throw new IllegalStateException("the size of " + names[i] + " " + java.util.Arrays.toString(state[i].shape())
            + " must match the size of the parameter " + java.util.Arrays.toString(shape));
      }
    }
  }
}
