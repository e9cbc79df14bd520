package org.optim4j.optim.internal;

import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.internal.Parallel;
import org.optim4j.tensor.internal.RawAccess;

/**
 * Moves a tensor's elements between the tensor and the primitive arrays the kernels work on, and runs a
 * kernel over a range split across threads.
 *
 * <p>A tensor that owns its whole array (every parameter, gradient and state tensor optim4j allocates) is
 * worked on in place through {@link RawAccess}, with no copy; {@link #store} then only bumps its version
 * counter, as PyTorch's in-place updates do. Any other tensor (a view, a non-contiguous tensor) is copied
 * out in row-major order and written back with {@link Tensor#copy_}.
 */
public final class TensorArrays {
  /** Elements per thread below which a kernel runs on the calling thread. */
  public static final int GRAIN = 1 << 15;

  private TensorArrays() {}

  /** The elements as float32: {@code t}'s own array when it owns one, otherwise a copy. */
  public static float[] floats(Tensor t) {
    float[] a = RawAccess.wholeFloats(t);
    return a != null ? a : t.toFloatArray();
  }

  /** The elements as float64: {@code t}'s own array when it owns one, otherwise a copy. */
  public static double[] doubles(Tensor t) {
    double[] a = RawAccess.wholeDoubles(t);
    return a != null ? a : t.toDoubleArray();
  }

  /** Makes {@code values} (from {@link #floats}, updated) the contents of {@code t}; bumps its version. */
  public static void store(Tensor t, float[] values) {
    if (RawAccess.wholeFloats(t) == values) {
      RawAccess.bumpVersion(t);
    } else {
      t.copy_(Tensor.of(values).view(t.shape()));
    }
  }

  /** Makes {@code values} (from {@link #doubles}, updated) the contents of {@code t}; bumps its version. */
  public static void store(Tensor t, double[] values) {
    if (RawAccess.wholeDoubles(t) == values) {
      RawAccess.bumpVersion(t);
    } else {
      t.copy_(Tensor.of(values).view(t.shape()));
    }
  }

  /**
   * The elements as {@code dtype} (float32 or float64): a {@code float[]} for float32, a {@code double[]} for float64;
   * {@code t}'s own array when it owns one of that type, otherwise a copy.
   */
  public static Object array(Tensor t, DType dtype) {
    return dtype == DType.FLOAT32 ? floats(t) : doubles(t);
  }

  /** Makes {@code values} (from {@link #array}, updated) the contents of {@code t}; bumps its version. */
  public static void store(Tensor t, Object values) {
    if (values instanceof float[] f) {
      store(t, f);
    } else {
      store(t, (double[]) values);
    }
  }

  /** Runs {@code body} over {@code [0, n)}, split statically into contiguous ranges (see {@link Parallel}). */
  public static void forRange(int n, Parallel.RangeBody body) {
    Parallel.forRange(n, GRAIN, body);
  }

  /**
   * Checks that an update can run on {@code param}: float32 or float64, and every state tensor of its shape.
   *
   * @throws IllegalStateException for a leaf that requires grad while grad mode is on (PyTorch's in-place rule)
   * @throws UnsupportedOperationException for another dtype
   * @throws IllegalStateException naming the state tensor whose shape differs
   */
  public static void checkParam(String optimizer, Tensor param, String[] names, Tensor... state) {
    if (GradMode.isEnabled() && param.requiresGrad()) {
      if (param.isLeaf()) {
        throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
      }
      throw new UnsupportedOperationException(optimizer + " updates are not differentiable in optim4j: run them "
          + "under GradMode.noGrad()");
    }
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
