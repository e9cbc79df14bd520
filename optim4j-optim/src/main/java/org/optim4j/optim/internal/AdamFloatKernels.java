package org.optim4j.optim.internal;

/**
 * Adam's update rule (and AdamW's, with decoupled weight decay) over a range of one parameter's elements,
 * PyTorch's {@code _single_tensor_adam} op by op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code lerp_} and {@code addcmul_} are fused
 * multiply-adds, {@code addcdiv_} is not; scalars arrive already rounded to the element type. The bias
 * corrections and the step size are computed once per parameter by the caller.
 */
@SuppressWarnings("cast") // the cast of the square root is needed in the float source and redundant in its double twin
public final class AdamFloatKernels {
  private AdamFloatKernels() {}

  /**
   * One Adam step for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * if decay and decoupled:  param.mul_(decayFactor)                     # decayFactor = 1 - lr·weightDecay
   * if decay and not:        g = g.add(param, alpha=weightDecay)
   * expAvg.lerp_(g, oneMinusBeta1)
   * expAvgSq.mul_(beta2).addcmul_(g, g, value=oneMinusBeta2)
   * if amsgrad:              torch.maximum(maxExpAvgSq, expAvgSq, out=maxExpAvgSq)   # the raw second moment
   * denom = ((amsgrad ? maxExpAvgSq : expAvgSq).sqrt() / biasCorrection2Sqrt).add_(eps)
   * param.addcdiv_(expAvg, denom, value=negStepSize)                     # negStepSize = -lr / biasCorrection1
   * </pre>
   *
   * @param maxExpAvgSq the running maximum of the second moment, or null without AMSGrad
   */
  public static void step(float[] param, float[] grad, float[] expAvg, float[] expAvgSq, float[] maxExpAvgSq,
      int from, int to, boolean maximize, boolean decay, boolean decoupled, float weightDecay, float decayFactor,
      float oneMinusBeta1, float beta2, float oneMinusBeta2, float biasCorrection2Sqrt, float eps,
      float negStepSize) {
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
      if (maxExpAvgSq != null) {
        v = Math.max(maxExpAvgSq[i], v);
        maxExpAvgSq[i] = v;
      }
      float denom = (float) Math.sqrt(v) / biasCorrection2Sqrt + eps;
      param[i] = p + (negStepSize * m) / denom;
    }
  }

  /** PyTorch's {@code lerp(self, end, weight)}: the two-sided form that is exact at both ends. */
  private static float lerp(float self, float end, float weight) {
    float diff = end - self;
    return Math.abs(weight) < 0.5 ? Math.fma(weight, diff, self) : Math.fma(weight - 1, diff, end);
  }
}
