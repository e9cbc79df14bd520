package org.optim4j.optim.internal;

/**
 * Adamax's update rule over a range of one parameter's elements, PyTorch's {@code _single_tensor_adamax} op
 * by op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code add(alpha)} and {@code lerp_} are fused
 * multiply-adds, {@code addcdiv_} is not; scalars arrive already rounded to the element type. The step size
 * is computed once per parameter by the caller.
 */
public final class AdamaxFloatKernels {
  private AdamaxFloatKernels() {}

  /**
   * One Adamax step for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * if decay:  g = g.add(param, alpha=weightDecay)
   * expAvg.lerp_(g, oneMinusBeta1)
   * torch.maximum(expInf.mul_(beta2), g.abs().add_(eps), out=expInf)
   * param.addcdiv_(expAvg, expInf, value=negClr)          # negClr = -lr / (1 - beta1ᵗ)
   * </pre>
   */
  public static void step(float[] param, float[] grad, float[] expAvg, float[] expInf, int from, int to,
      boolean maximize, boolean decay, float weightDecay, float oneMinusBeta1, float beta2, float eps,
      float negClr) {
    for (int i = from; i < to; i++) {
      float g = maximize ? -grad[i] : grad[i];
      if (decay) {
        g = Math.fma(param[i], weightDecay, g);
      }
      float m = lerp(expAvg[i], g, oneMinusBeta1);
      float u = Math.max(expInf[i] * beta2, Math.abs(g) + eps);
      expAvg[i] = m;
      expInf[i] = u;
      param[i] = param[i] + (negClr * m) / u;
    }
  }

  /** PyTorch's {@code lerp(self, end, weight)}: the two-sided form that is exact at both ends. */
  private static float lerp(float self, float end, float weight) {
    float diff = end - self;
    return Math.abs(weight) < 0.5 ? Math.fma(weight, diff, self) : Math.fma(weight - 1, diff, end);
  }
}
