package org.optim4j.tensor.internal;

/**
 * Branch-free selections for hot loops, with a {@code float} and a {@code double} overload of each so
 * that a {@code *FloatKernels} template and its derived twin call the same name.
 *
 * <p>C2 (JDK 17) compiles a floating-point {@code c ? a : b} into a conditional jump; on data whose
 * condition is random (a ReLU mask, a dropout mask) half of those jumps are mispredicted, which made
 * such loops ten times slower than a plain multiplication. These methods select on the bit patterns
 * instead, with integer masks and no branch.
 */
public final class Select {
  private static final int FLOAT_ABS = 0x7fffffff;
  private static final int FLOAT_INF = 0x7f800000;
  private static final long DOUBLE_ABS = 0x7fffffffffffffffL;
  private static final long DOUBLE_INF = 0x7ff0000000000000L;

  private Select() {}

  /**
   * PyTorch's {@code threshold_backward(g, x, 0)}: {@code x <= 0 ? 0 : g}, so {@code g} where x is
   * positive or NaN, and {@code +0} elsewhere (including at {@code x = -0}).
   */
  public static float thresholdGrad(float g, float x) {
    int b = Float.floatToRawIntBits(x);
    int positive = (-b >> 31) & ~(b >> 31);
    int nan = (FLOAT_INF - (b & FLOAT_ABS)) >> 31;
    return Float.intBitsToFloat(Float.floatToRawIntBits(g) & (positive | nan));
  }

  /** The {@code double} form of {@link #thresholdGrad(float, float)}. */
  public static double thresholdGrad(double g, double x) {
    long b = Double.doubleToRawLongBits(x);
    long positive = (-b >> 63) & ~(b >> 63);
    long nan = (DOUBLE_INF - (b & DOUBLE_ABS)) >> 63;
    return Double.longBitsToDouble(Double.doubleToRawLongBits(g) & (positive | nan));
  }
}
