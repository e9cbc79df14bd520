package org.optim4j.optim.internal;

/**
 * RAdam's update rule over a range of one parameter's elements, PyTorch's {@code _single_tensor_radam} op by
 * op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code lerp_} and {@code addcmul_} are fused
 * multiply-adds, every other operation rounds once; scalars arrive already rounded to the element type. The
 * bias corrections, ρ_t and the rectification term are computed once per parameter by the caller.
 */
@SuppressWarnings("cast") // the cast of the square root is needed in the float source and redundant in its double twin
public final class RAdamFloatKernels {
  private RAdamFloatKernels() {}

  /**
   * One RAdam step for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * if decay and decoupled:  param.mul_(decayFactor)                  # decayFactor = 1 - lr·weightDecay
   * if decay and not:        g = g.add(param, alpha=weightDecay)
   * expAvg.lerp_(g, oneMinusBeta1)
   * expAvgSq.mul_(beta2).addcmul_(g, g, value=oneMinusBeta2)
   * mHat = expAvg / biasCorrection1
   * if rectify:   adaptive = biasCorrection2Sqrt / expAvgSq.sqrt().add_(eps)    # reciprocal, then a product
   *               param.add_(mHat * lr * adaptive * rect, alpha=-1)
   * else:         param.add_(mHat * lr, alpha=-1)
   * </pre>
   *
   * @param rectify whether ρ_t &gt; 5 (the adaptive, rectified step); otherwise the step is un-adapted
   */
  public static void step(float[] param, float[] grad, float[] expAvg, float[] expAvgSq, int from, int to,
      boolean maximize, boolean decay, boolean decoupled, float weightDecay, float decayFactor,
      float oneMinusBeta1, float beta2, float oneMinusBeta2, float biasCorrection1, float lr, boolean rectify,
      float biasCorrection2Sqrt, float eps, float rect) {
    for (int i = from; i < to; i++) {
      float g = maximize ? -grad[i] : grad[i];
      float p = param[i];
      if (decay) {
        if (decoupled) {
          p = p * decayFactor;
        } else {
          g = Math.fma(p, weightDecay, g);
        }
      }
      float m = lerp(expAvg[i], g, oneMinusBeta1);
      float v = Math.fma(oneMinusBeta2 * g, g, expAvgSq[i] * beta2);
      expAvg[i] = m;
      expAvgSq[i] = v;
      float update = m / biasCorrection1 * lr;
      if (rectify) {
        float adaptive = 1 / ((float) Math.sqrt(v) + eps) * biasCorrection2Sqrt;
        update = update * adaptive * rect;
      }
      param[i] = p - update;
    }
  }

  /** PyTorch's {@code lerp(self, end, weight)}: the two-sided form that is exact at both ends. */
  private static float lerp(float self, float end, float weight) {
    float diff = end - self;
    return Math.abs(weight) < 0.5 ? Math.fma(weight, diff, self) : Math.fma(weight - 1, diff, end);
  }
}
