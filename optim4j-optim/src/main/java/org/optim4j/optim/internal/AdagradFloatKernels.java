package org.optim4j.optim.internal;

/**
 * Adagrad's update rule over a range of one parameter's elements, PyTorch's {@code _single_tensor_adagrad}
 * op by op, for a dense gradient and for the rows of a coalesced sparse one.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding: {@code add(alpha)} and {@code addcmul_} are fused
 * multiply-adds, {@code addcdiv_} and the sparse additions are not; scalars arrive already rounded to the
 * element type. The step size is computed once per parameter by the caller.
 */
@SuppressWarnings("cast") // the casts of the square roots are needed in the float source and redundant in its double twin
public final class AdagradFloatKernels {
  private AdagradFloatKernels() {}

  /**
   * One Adagrad step with a dense gradient for the elements {@code [from, to)}.
   *
   * <pre>
   * g = maximize ? -grad : grad
   * if decay:  g = g.add(param, alpha=weightDecay)
   * stateSum.addcmul_(g, g, value=1)
   * std = stateSum.sqrt().add_(eps)
   * param.addcdiv_(g, std, value=negClr)                 # negClr = -lr / (1 + (t − 1) lr_decay)
   * </pre>
   */
  public static void step(float[] param, float[] grad, float[] stateSum, int from, int to, boolean maximize,
      boolean decay, float weightDecay, float eps, float negClr) {
    for (int i = from; i < to; i++) {
      float g = maximize ? -grad[i] : grad[i];
      if (decay) {
        g = Math.fma(param[i], weightDecay, g);
      }
      float sum = Math.fma(g, g, stateSum[i]);
      stateSum[i] = sum;
      float std = (float) Math.sqrt(sum) + eps;
      param[i] = param[i] + (negClr * g) / std;
    }
  }

  /**
   * One Adagrad step with a coalesced sparse gradient, for its entries {@code [from, to)}: entry {@code j}
   * holds the {@code rowLength} values {@code values[j·rowLength ...]} of the parameter's elements
   * {@code offsets[j] ...} (the entries' elements do not overlap).
   *
   * <pre>
   * v = maximize ? -values : values                        # grad.coalesce()._values()
   * stateSum.add_(sparse(indices, v.pow(2)))
   * std = stateSum.sparse_mask(grad)._values().sqrt_().add_(eps)
   * param.add_(sparse(indices, v / std), alpha=negClr)
   * </pre>
   */
  public static void sparseStep(float[] param, float[] values, int[] offsets, int rowLength, float[] stateSum,
      int from, int to, boolean maximize, float eps, float negClr) {
    for (int j = from; j < to; j++) {
      for (int e = 0; e < rowLength; e++) {
        int k = offsets[j] + e;
        float v = maximize ? -values[j * rowLength + e] : values[j * rowLength + e];
        float sum = stateSum[k] + v * v;
        stateSum[k] = sum;
        float std = (float) Math.sqrt(sum) + eps;
        param[k] = param[k] + negClr * (v / std);
      }
    }
  }
}
