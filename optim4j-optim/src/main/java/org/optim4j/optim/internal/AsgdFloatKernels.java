package org.optim4j.optim.internal;

/**
 * ASGD's update rule over a range of one parameter's elements, PyTorch's {@code _single_tensor_asgd} op by op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code add(x, alpha)} is a fused multiply-add,
 * {@code mul_}, {@code sub} and {@code add_} round once each; scalars arrive already rounded to the element
 * type. The learning-rate schedule (η, μ) is computed once per parameter by the caller.
 */
public final class AsgdFloatKernels {
  private AsgdFloatKernels() {}

  /**
   * One ASGD step for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * if decay:        g = g.add(param, alpha=weightDecay)
   * param.mul_(decayFactor)                          # decayFactor = 1 - lambd·η
   * param.add_(g, alpha=negEta)                      # negEta = -η
   * if copyAverage:  ax.copy_(param)                 # μ = 1
   * else:            ax.add_(param.sub(ax).mul_(mu))
   * </pre>
   */
  public static void step(float[] param, float[] grad, float[] ax, int from, int to, boolean maximize,
      boolean decay, float weightDecay, float decayFactor, float negEta, boolean copyAverage, float mu) {
    for (int i = from; i < to; i++) {
      float g = maximize ? -grad[i] : grad[i];
      float p = param[i];
      if (decay) {
        g = Math.fma(p, weightDecay, g);
      }
      p = Math.fma(g, negEta, p * decayFactor);
      param[i] = p;
      ax[i] = copyAverage ? p : ax[i] + (p - ax[i]) * mu;
    }
  }
}
