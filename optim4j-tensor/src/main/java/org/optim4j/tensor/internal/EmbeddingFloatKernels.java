package org.optim4j.tensor.internal;

/**
 * The dense gradient of an embedding lookup over {@code float} storage.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float.
 */
public final class EmbeddingFloatKernels {
  private EmbeddingFloatKernels() {}

  /**
   * {@code gw[idx[r], :] += g[r, :]} for every lookup r in order, skipping {@code paddingIdx}.
   *
   * @param g the contiguous [count, dim] upstream gradient, from {@code gOff}
   * @param idx the looked-up rows, all in range
   * @param paddingIdx the row that gets no gradient, or -1
   * @param dim the embedding size
   * @param gw the [rows, dim] weight gradient, accumulated into
   */
  public static void scatterAddRows(float[] g, int gOff, long[] idx, long paddingIdx, int dim, float[] gw) {
    for (int r = 0; r < idx.length; r++) {
      if (idx[r] == paddingIdx) {
        continue;
      }
      int dst = (int) idx[r] * dim;
      int src = gOff + r * dim;
      for (int j = 0; j < dim; j++) {
        gw[dst + j] += g[src + j];
      }
    }
  }
}
