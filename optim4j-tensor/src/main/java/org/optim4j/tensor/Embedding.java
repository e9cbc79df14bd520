package org.optim4j.tensor;

import org.optim4j.tensor.internal.EmbeddingDoubleKernels;
import org.optim4j.tensor.internal.EmbeddingFloatKernels;

/**
 * {@code torch.nn.functional.embedding}: a row lookup whose backward ({@link Op#EMBEDDING}) adds each
 * upstream row into the looked-up weight row, skipping the padding row, as a dense tensor or, for
 * {@code sparse}, as an uncoalesced sparse COO tensor with one entry per lookup (PyTorch's
 * {@code embedding_sparse_backward}).
 */
final class Embedding {
  /** The non-tensor arguments of a lookup, kept for its backward. */
  record Params(long paddingIdx, boolean sparse, int rows, int dim) {}

  private Embedding() {}

  static Tensor embedding(Tensor weight, Tensor indices, Integer paddingIdx, boolean sparse) {
    long padding = -1;
    if (paddingIdx != null) {
      int rows = weight.size(0);
      if (paddingIdx >= rows || paddingIdx < -rows) {
        throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
      }
      padding = paddingIdx < 0 ? rows + paddingIdx : paddingIdx;
    }
    if (weight.dim() != 2) {
      throw new IllegalStateException("'weight' must be 2-D");
    }
    if (indices.dtype() != DType.INT64) {
      throw new IllegalStateException("Expected tensor for argument #1 'indices' to have one of the following scalar "
          + "types: Long, Int; but got " + indices.dtype().tensorTypeName() + " instead (while checking arguments for "
          + "embedding)");
    }
    int rows = weight.size(0);
    int dim = weight.size(1);
    long[] idx = indices.toLongArray();
    for (long i : idx) {
      if (i < 0 || i >= rows) {
        throw new IndexOutOfBoundsException("index out of range in self");
      }
    }
    int[] shape = java.util.Arrays.copyOf(indices.shapeRef(), indices.dim() + 1);
    shape[indices.dim()] = dim;
    Tensor out = Tensor.empty(weight.dtype(), shape);
    Tensor w = NnOps.dense(weight);
    Object src = Strided.array(w.storage());
    Object dst = Strided.array(out.storage());
    for (int r = 0; r < idx.length; r++) {
      System.arraycopy(src, w.offset() + (int) idx[r] * dim, dst, r * dim, dim);
    }
    Params params = new Params(padding, sparse, rows, dim);
    return Autograd.record1(Op.EMBEDDING, out, params, weight, Tensor.of(idx));
  }

  /** The weight gradient for the upstream gradient g of a lookup of the flat {@code indices}. */
  @SuppressWarnings("try")
  static Tensor backward(Params p, Tensor g, Tensor indices) {
    long[] idx = indices.storage().l;
    Tensor gc = NnOps.dense(g);
    if (p.sparse()) {
      int kept = 0;
      for (long i : idx) {
        kept += i == p.paddingIdx() ? 0 : 1;
      }
      long[] rows = new long[kept];
      long[] positions = new long[kept];
      for (int r = 0, j = 0; r < idx.length; r++) {
        if (idx[r] != p.paddingIdx()) {
          rows[j] = idx[r];
          positions[j++] = r;
        }
      }
      try (GradMode.Scope ignored = GradMode.noGrad()) {
        Tensor values = gc.reshape(idx.length, p.dim());
        if (kept < idx.length) {
          values = values.indexSelect(0, Tensor.of(positions));
        }
        return Tensor.sparseCoo(Tensor.of(rows, 1, kept), values, p.rows(), p.dim());
      }
    }
    Tensor gw = Tensor.zeros(g.dtype(), p.rows(), p.dim());
    if (gw.dtype() == DType.FLOAT32) {
      EmbeddingFloatKernels.scatterAddRows(gc.storage().f, gc.offset(), idx, p.paddingIdx(), p.dim(),
          gw.storage().f);
    } else {
      EmbeddingDoubleKernels.scatterAddRows(gc.storage().d, gc.offset(), idx, p.paddingIdx(), p.dim(),
          gw.storage().d);
    }
    return gw;
  }
}
