package org.optim4j.optim.internal;

/**
 * RMSprop's update rule over a range of one parameter's elements, PyTorch's {@code _single_tensor_rmsprop}
 * op by op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code add(alpha)}, {@code addcmul} and {@code lerp_} are
 * fused multiply-adds, {@code addcdiv_} is not; scalars arrive already rounded to the element type.
 */
@SuppressWarnings("cast") // the cast of the square root is needed in the float source and redundant in its double twin
public final class RmspropFloatKernels {
  private RmspropFloatKernels() {}

  /**
   * One RMSprop step for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * if decay:      g = g.add(param, alpha=weightDecay)
   * squareAvg.mul_(alpha).addcmul_(g, g, value=oneMinusAlpha)
   * if centered:   gradAvg.lerp_(g, oneMinusAlpha);  avg = squareAvg.addcmul(gradAvg, gradAvg, value=-1).sqrt_()
   * else:          avg = squareAvg.sqrt()
   * avg.add_(eps)
   * if momentum:   buf.mul_(momentum).addcdiv_(g, avg);  param.add_(buf, alpha=negLr)
   * else:          param.addcdiv_(g, avg, value=negLr)
   * </pre>
   *
   * @param gradAvg the average gradient, or null unless centered
   * @param momentumBuffer the momentum buffer, or null unless the momentum is positive
   */
  public static void step(float[] param, float[] grad, float[] squareAvg, float[] gradAvg, float[] momentumBuffer,
      int from, int to, boolean maximize, boolean decay, float weightDecay, float alpha, float oneMinusAlpha,
      float eps, float momentum, float negLr) {
    for (int i = from; i < to; i++) {
      float g = maximize ? -grad[i] : grad[i];
      if (decay) {
        g = Math.fma(param[i], weightDecay, g);
      }
      float sq = Math.fma(oneMinusAlpha * g, g, squareAvg[i] * alpha);
      squareAvg[i] = sq;
      float avg;
      if (gradAvg != null) {
        float ga = lerp(gradAvg[i], g, oneMinusAlpha);
        gradAvg[i] = ga;
        avg = (float) Math.sqrt(Math.fma(-ga, ga, sq));
      } else {
        avg = (float) Math.sqrt(sq);
      }
      avg = avg + eps;
      if (momentumBuffer != null) {
        float buf = momentumBuffer[i] * momentum + g / avg;
        momentumBuffer[i] = buf;
        param[i] = Math.fma(buf, negLr, param[i]);
      } else {
        param[i] = param[i] + (negLr * g) / avg;
      }
    }
  }

  /** PyTorch's {@code lerp(self, end, weight)}: the two-sided form that is exact at both ends. */
  private static float lerp(float self, float end, float weight) {
    float diff = end - self;
    return Math.abs(weight) < 0.5 ? Math.fma(weight, diff, self) : Math.fma(weight - 1, diff, end);
  }
}
