package org.optim4j.optim.internal;

/**
 * SparseAdam's update rule over a range of the rows a coalesced sparse gradient touches, PyTorch's
 * {@code _functional.sparse_adam} op by op.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float. Each
 * line is one PyTorch operation with its rounding (every operation rounds once: no fused multiply-add);
 * scalars arrive already rounded to the element type. The bias corrections and the step size are computed
 * once per parameter by the caller. The rows are distinct (the gradient is coalesced), so ranges of rows may
 * run in parallel.
 */
@SuppressWarnings("cast") // the cast of the square root is needed in the float source and redundant in its double twin
public final class SparseAdamFloatKernels {
  private SparseAdamFloatKernels() {}

  /**
   * One SparseAdam step for the gradient rows {@code [from, to)}: row {@code r} holds the gradient values
   * {@code values[r·rowLength, (r+1)·rowLength)} of the parameter elements starting at {@code rowOffset[r]}.
   *
   * <pre>
   * g = maximize ? -values : values
   * oldExpAvg = expAvg[rows] ;  expAvgUpdate = (g - oldExpAvg) * oneMinusBeta1 ;  expAvg[rows] += expAvgUpdate
   * oldExpAvgSq = expAvgSq[rows] ;  expAvgSqUpdate = (g.pow(2) - oldExpAvgSq) * oneMinusBeta2
   * expAvgSq[rows] += expAvgSqUpdate
   * numer = expAvgUpdate + oldExpAvg
   * denom = (expAvgSqUpdate + oldExpAvgSq).sqrt_().add_(eps)
   * param[rows] += negStepSize * (numer / denom)          # negStepSize = -lr·√(1 - β₂ᵗ) / (1 - β₁ᵗ)
   * </pre>
   */
  public static void step(float[] param, float[] expAvg, float[] expAvgSq, float[] values, int[] rowOffset,
      int rowLength, int from, int to, boolean maximize, float oneMinusBeta1, float oneMinusBeta2, float eps,
      float negStepSize) {
    for (int r = from; r < to; r++) {
      int base = rowOffset[r];
      int src = r * rowLength;
      for (int e = 0; e < rowLength; e++) {
        int i = base + e;
        float g = maximize ? -values[src + e] : values[src + e];
        float oldExpAvg = expAvg[i];
        float expAvgUpdate = (g - oldExpAvg) * oneMinusBeta1;
        expAvg[i] = oldExpAvg + expAvgUpdate;
        float oldExpAvgSq = expAvgSq[i];
        float expAvgSqUpdate = (g * g - oldExpAvgSq) * oneMinusBeta2;
        expAvgSq[i] = oldExpAvgSq + expAvgSqUpdate;
        float numer = expAvgUpdate + oldExpAvg;
        float denom = (float) Math.sqrt(expAvgSqUpdate + oldExpAvgSq) + eps;
        param[i] = param[i] + negStepSize * (numer / denom);
      }
    }
  }
}
