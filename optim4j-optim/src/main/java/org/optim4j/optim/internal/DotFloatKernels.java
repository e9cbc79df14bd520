package org.optim4j.optim.internal;

/**
 * PyTorch's {@code torch.dot} of two contiguous vectors on the CPU, which calls MKL's {@code sdot}/{@code ddot};
 * {@link org.optim4j.optim.LBFGS} uses it for every inner product, whose roundings steer its iterations.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. The
 * order of the sums is the one MKL uses on the AVX2 machines the fixtures come from, found by testing against
 * PyTorch: four accumulators of {@code lanes} elements (4 for float32, 2 for float64) over whole blocks of
 * {@code 4·lanes} elements, added in order, each reduced by halves ({@code (v0+v2)+(v1+v3)}). How MKL adds the
 * remaining elements is not known; here they are added one by one, so the result equals PyTorch's exactly when
 * the length is a multiple of the block and is within a few ulps otherwise.
 */
public final class DotFloatKernels {
  private DotFloatKernels() {}

  /** {@code Σ x[i]·y[i]} over {@code [0, n)} in MKL's order (see the class documentation). */
  public static float dot(float[] x, float[] y, int n, int lanes) {
    int block = 4 * lanes;
    float[] acc = new float[block];
    int aligned = n - n % block;
    for (int j = 0; j < aligned; j += block) {
      for (int e = 0; e < block; e++) {
        acc[e] = acc[e] + x[j + e] * y[j + e];
      }
    }
    for (int r = 1; r < 4; r++) {
      for (int l = 0; l < lanes; l++) {
        acc[l] = acc[l] + acc[r * lanes + l];
      }
    }
    for (int half = lanes / 2; half >= 1; half /= 2) {
      for (int l = 0; l < half; l++) {
        acc[l] = acc[l] + acc[l + half];
      }
    }
    float sum = acc[0];
    for (int i = aligned; i < n; i++) {
      sum = sum + x[i] * y[i];
    }
    return sum;
  }
}
