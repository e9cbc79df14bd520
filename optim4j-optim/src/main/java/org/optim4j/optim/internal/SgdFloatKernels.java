package org.optim4j.optim.internal;

/**
 * SGD's update rule over a range of one parameter's elements, PyTorch's {@code _single_tensor_sgd} op by op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code add(x, alpha)} is a fused multiply-add,
 * {@code mul_} rounds once; scalars arrive already rounded to the element type, as PyTorch rounds a Python
 * scalar to the tensor's dtype before the operation.
 */
public final class SgdFloatKernels {
  private SgdFloatKernels() {}

  /**
   * One SGD step for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * if decay:          g = g.add(param, alpha=weightDecay)
   * if momentum ≠ 0:   buf = initBuffer ? g : buf.mul_(momentum).add_(g, alpha=oneMinusDampening)
   *                    g = nesterov ? g.add(buf, alpha=momentum) : buf
   * param.add_(g, alpha=negLr)
   * </pre>
   *
   * @param momentumBuffer the momentum buffer, or null when the momentum is 0
   * @param initBuffer the buffer is new: it takes the gradient as it is (no dampening), as PyTorch's first step
   */
  public static void step(float[] param, float[] grad, float[] momentumBuffer, int from, int to, boolean maximize,
      boolean decay, float weightDecay, float momentum, float oneMinusDampening, boolean nesterov,
      boolean initBuffer, float negLr) {
    for (int i = from; i < to; i++) {
      float g = maximize ? -grad[i] : grad[i];
      if (decay) {
        g = Math.fma(param[i], weightDecay, g);
      }
      if (momentumBuffer != null) {
        float buf = initBuffer ? g : Math.fma(g, oneMinusDampening, momentumBuffer[i] * momentum);
        momentumBuffer[i] = buf;
        g = nesterov ? Math.fma(buf, momentum, g) : buf;
      }
      param[i] = Math.fma(g, negLr, param[i]);
    }
  }
}
