package org.optim4j.optim.internal;

/**
 * Adadelta's update rule over a range of one parameter's elements, PyTorch's {@code _single_tensor_adadelta}
 * op by op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code add(alpha)} and {@code addcmul_} are fused
 * multiply-adds; scalars arrive already rounded to the element type.
 */
@SuppressWarnings("cast") // the casts of the square roots are needed in the float source and redundant in its double twin
public final class AdadeltaFloatKernels {
  private AdadeltaFloatKernels() {}

  /**
   * One Adadelta step for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * if decay:  g = g.add(param, alpha=weightDecay)
   * squareAvg.mul_(rho).addcmul_(g, g, value=oneMinusRho)
   * std = squareAvg.add(eps).sqrt_()
   * delta = accDelta.add(eps).sqrt_().div_(std).mul_(g)
   * accDelta.mul_(rho).addcmul_(delta, delta, value=oneMinusRho)
   * param.add_(delta, alpha=negLr)
   * </pre>
   */
  public static void step(float[] param, float[] grad, float[] squareAvg, float[] accDelta, int from, int to,
      boolean maximize, boolean decay, float weightDecay, float rho, float oneMinusRho, float eps, float negLr) {
    for (int i = from; i < to; i++) {
      float g = maximize ? -grad[i] : grad[i];
      if (decay) {
        g = Math.fma(param[i], weightDecay, g);
      }
      float sq = Math.fma(oneMinusRho * g, g, squareAvg[i] * rho);
      squareAvg[i] = sq;
      float std = (float) Math.sqrt(sq + eps);
      float delta = (float) Math.sqrt(accDelta[i] + eps) / std * g;
      accDelta[i] = Math.fma(oneMinusRho * delta, delta, accDelta[i] * rho);
      param[i] = Math.fma(delta, negLr, param[i]);
    }
  }
}
