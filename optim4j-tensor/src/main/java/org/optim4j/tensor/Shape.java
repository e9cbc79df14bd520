package org.optim4j.tensor;

import java.util.Arrays;

/** Shape and stride arithmetic shared by the tensor operations. */
final class Shape {
  private Shape() {}

  static int numel(int[] shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor of shape " + str(shape) + " has more than 2^31-1 elements");
    }
    return (int) n;
  }

  static int[] contiguousStrides(int[] shape) {
    int[] strides = new int[shape.length];
    int s = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= Math.max(1, shape[i]);
    }
    return strides;
  }

  static void checkShape(int[] shape) {
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("Trying to create tensor with negative dimension " + s + ": " + str(shape));
      }
    }
  }

  /** PyTorch's dimension wrapping, with its error text. */
  static int wrapDim(int dim, int ndim) {
    int n = Math.max(ndim, 1);
    if (dim < -n || dim >= n) {
      throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-n) + ", " + (n - 1)
          + "], but got " + dim + ")");
    }
    return dim < 0 ? dim + n : dim;
  }

  /** The broadcast shape of {@code a} and {@code b}, with PyTorch's error text. */
  static int[] broadcast(int[] a, int[] b) {
    int n = Math.max(a.length, b.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int ai = i - (n - a.length);
      int bi = i - (n - b.length);
      int sa = ai >= 0 ? a[ai] : 1;
      int sb = bi >= 0 ? b[bi] : 1;
      if (sa != sb && sa != 1 && sb != 1) {
        throw new IllegalStateException("The size of tensor a (" + sa + ") must match the size of tensor b (" + sb
            + ") at non-singleton dimension " + i);
      }
      out[i] = sa == 1 ? sb : sa;
    }
    return out;
  }

  /** PyTorch's {@code infer_size} for {@code view}/{@code reshape}: resolves one -1 entry. */
  static int[] infer(int[] shape, int numel) {
    int[] out = shape.clone();
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == -1) {
        if (unknown >= 0) {
          throw new IllegalStateException("only one dimension can be inferred");
        }
        unknown = i;
      } else if (out[i] < 0) {
        throw new IllegalStateException("invalid shape dimension " + out[i]);
      } else {
        known *= out[i];
      }
    }
    if (unknown >= 0) {
      if (known == 0 || numel % known != 0) {
        throw new IllegalStateException("shape '" + str(shape) + "' is invalid for input of size " + numel);
      }
      out[unknown] = (int) (numel / known);
    } else if (known != numel) {
      throw new IllegalStateException("shape '" + str(shape) + "' is invalid for input of size " + numel);
    }
    return out;
  }

  /** Strides for viewing a tensor of the given shape/strides as {@code newShape}, or null if impossible. */
  static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
    // PyTorch's computeStride: split the old shape into chunks of contiguous dimensions.
    int[] newStrides = new int[newShape.length];
    if (numel(shape) == 0 || shape.length == 0) {
      return contiguousStrides(newShape);
    }
    int viewD = newShape.length - 1;
    long chunkBaseStride = strides.length > 0 ? strides[strides.length - 1] : 1;
    long tensorNumel = 1;
    long viewNumel = 1;
    for (int tensorD = shape.length - 1; tensorD >= 0; tensorD--) {
      tensorNumel *= shape[tensorD];
      if (tensorD == 0 || (shape[tensorD - 1] != 1 && strides[tensorD - 1] != tensorNumel * chunkBaseStride)) {
        while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
          newStrides[viewD] = (int) (viewNumel * chunkBaseStride);
          viewNumel *= newShape[viewD];
          viewD--;
        }
        if (viewNumel != tensorNumel) {
          return null;
        }
        if (tensorD > 0) {
          chunkBaseStride = strides[tensorD - 1];
          tensorNumel = 1;
          viewNumel = 1;
        }
      }
    }
    if (viewD != -1) {
      return null;
    }
    return newStrides;
  }

  static String str(int[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(shape[i]);
    }
    return sb.append(']').toString();
  }

  static boolean same(int[] a, int[] b) {
    return Arrays.equals(a, b);
  }
}
