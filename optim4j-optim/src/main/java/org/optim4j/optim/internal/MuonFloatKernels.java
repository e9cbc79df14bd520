package org.optim4j.optim.internal;

/**
 * Muon's element-wise steps over a range of one parameter's elements, PyTorch's {@code _single_tensor_muon} op
 * by op: the momentum before the orthogonalisation and the parameter update after it (the orthogonalisation
 * itself is {@link NewtonSchulz}).
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code lerp_} and {@code add_(alpha)} are fused
 * multiply-adds, {@code mul_} rounds once; scalars arrive already rounded to the element type.
 */
public final class MuonFloatKernels {
  private MuonFloatKernels() {}

  /**
   * The momentum for the elements {@code [from, to)}, written to {@code update} (the matrix to orthogonalise):
   *
   * <pre>
   * buf.lerp_(grad, oneMinusMomentum)
   * update = nesterov ? grad.lerp(buf, momentum) : buf
   * </pre>
   */
  public static void momentum(float[] grad, float[] buf, float[] update, int from, int to, float momentum,
      float oneMinusMomentum, boolean nesterov) {
    for (int i = from; i < to; i++) {
      float b = lerp(buf[i], grad[i], oneMinusMomentum);
      buf[i] = b;
      update[i] = nesterov ? lerp(grad[i], b, momentum) : b;
    }
  }

  /**
   * The parameter update for the elements {@code [from, to)}, with {@code ortho} the orthogonalised update
   * (bfloat16 values, exact in either dtype):
   *
   * <pre>
   * param.mul_(decayFactor)                      # decayFactor = 1 - lr · weight_decay
   * param.add_(ortho, alpha=negAdjustedLr)       # negAdjustedLr = -lr · ratio
   * </pre>
   */
  public static void apply(float[] param, float[] ortho, int from, int to, float decayFactor, float negAdjustedLr) {
    for (int i = from; i < to; i++) {
      param[i] = Math.fma(ortho[i], negAdjustedLr, param[i] * decayFactor);
    }
  }

  /** PyTorch's {@code lerp(self, end, weight)}: the two-sided form that is exact at both ends. */
  private static float lerp(float self, float end, float weight) {
    float diff = end - self;
    return Math.abs(weight) < 0.5 ? Math.fma(weight, diff, self) : Math.fma(weight - 1, diff, end);
  }
}
