package org.optim4j.optim.internal;

/**
 * NAdam's update rule over a range of one parameter's elements, PyTorch's {@code _single_tensor_nadam} op by
 * op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code lerp_} and {@code addcmul_} are fused
 * multiply-adds, {@code addcdiv_} is not; scalars arrive already rounded to the element type. The momentum
 * schedule (μ_t, μ_{t+1}, their products) and the two step coefficients are computed once per parameter by
 * the caller.
 */
@SuppressWarnings("cast") // the cast of the square root is needed in the float source and redundant in its double twin
public final class NAdamFloatKernels {
  private NAdamFloatKernels() {}

  /**
   * One NAdam step for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * if decay and decoupled:  param.mul_(decayFactor)                  # decayFactor = 1 - lr·weightDecay
   * if decay and not:        g = g.add(param, alpha=weightDecay)
   * expAvg.lerp_(g, oneMinusBeta1)
   * expAvgSq.mul_(beta2).addcmul_(g, g, value=oneMinusBeta2)
   * denom = expAvgSq.div(biasCorrection2).sqrt().add_(eps)
   * param.addcdiv_(g, denom, value=gradCoef)                          # gradCoef = -lr·(1 - μ_t) / (1 - Πμ)
   * param.addcdiv_(expAvg, denom, value=expAvgCoef)                   # expAvgCoef = -lr·μ_{t+1} / (1 - Πμ·μ_{t+1})
   * </pre>
   */
  public static void step(float[] param, float[] grad, float[] expAvg, float[] expAvgSq, int from, int to,
      boolean maximize, boolean decay, boolean decoupled, float weightDecay, float decayFactor,
      float oneMinusBeta1, float beta2, float oneMinusBeta2, float biasCorrection2, float eps, float gradCoef,
      float expAvgCoef) {
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
      float denom = (float) Math.sqrt(v / biasCorrection2) + eps;
      p = p + (gradCoef * g) / denom;
      param[i] = p + (expAvgCoef * m) / denom;
    }
  }

  /** PyTorch's {@code lerp(self, end, weight)}: the two-sided form that is exact at both ends. */
  private static float lerp(float self, float end, float weight) {
    float diff = end - self;
    return Math.abs(weight) < 0.5 ? Math.fma(weight, diff, self) : Math.fma(weight - 1, diff, end);
  }
}
