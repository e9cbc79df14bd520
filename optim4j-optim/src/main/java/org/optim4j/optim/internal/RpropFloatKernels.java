package org.optim4j.optim.internal;

/**
 * Rprop's update rule over a range of one parameter's elements, PyTorch's {@code _single_tensor_rprop} op by
 * op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. The
 * product {@code g · prev} rounds to the element type before its sign is taken (so an underflow to zero counts
 * as no sign), and the η, step-size bounds arrive rounded to the element type as PyTorch's masked assignments,
 * comparisons and {@code clamp_} round them. PyTorch's {@code sign} is {@code (0 < x) − (x < 0)}: 0 for NaN
 * and for −0.
 */
public final class RpropFloatKernels {
  private RpropFloatKernels() {}

  /**
   * One Rprop step for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * sign = g.mul(prev).sign()
   * sign[sign.gt(0)] = etaplus;  sign[sign.lt(0)] = etaminus;  sign[sign.eq(0)] = 1
   * stepSize.mul_(sign).clamp_(stepSizeMin, stepSizeMax)
   * g = g.clone();  g[sign.eq(etaminus)] = 0
   * param.addcmul_(g.sign(), stepSize, value=-1)
   * prev.copy_(g)
   * </pre>
   */
  public static void step(float[] param, float[] grad, float[] prev, float[] stepSize, int from, int to,
      boolean maximize, float etaminus, float etaplus, float stepSizeMin, float stepSizeMax) {
    for (int i = from; i < to; i++) {
      float g = maximize ? -grad[i] : grad[i];
      float factor = sign(g * prev[i]);
      if (factor > 0) {
        factor = etaplus;
      }
      if (factor < 0) {
        factor = etaminus;
      }
      if (factor == 0) {
        factor = 1;
      }
      float size = Math.min(Math.max(stepSize[i] * factor, stepSizeMin), stepSizeMax);
      stepSize[i] = size;
      if (factor == etaminus) {
        g = 0;
      }
      param[i] = Math.fma(-sign(g), size, param[i]);
      prev[i] = g;
    }
  }

  /** PyTorch's {@code sign}: 1, −1, or 0 (for ±0 and NaN). */
  private static float sign(float x) {
    return x > 0 ? 1 : x < 0 ? -1 : 0;
  }
}
