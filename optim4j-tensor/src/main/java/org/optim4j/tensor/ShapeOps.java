package org.optim4j.tensor;

import java.util.Arrays;
import java.util.List;

/** Shape operations that copy: concatenation and index selection. */
final class ShapeOps {
  private ShapeOps() {}

  static Tensor cat(List<Tensor> tensors, int dim) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
    }
    Tensor first = null;
    for (Tensor t : tensors) {
      if (!(t.dim() == 1 && t.numel() == 0)) {
        first = t;
        break;
      }
    }
    if (first == null) {
      first = tensors.get(0);
    }
    if (first.dim() == 0) {
      throw new IllegalArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
    }
    int d = Shape.wrapDim(dim, first.dim());
    DType dtype = tensors.get(0).dtype();
    int total = 0;
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      dtype = DType.promote(dtype, t.dtype());
      if (t.dim() == 1 && t.numel() == 0) {
        continue;
      }
      if (t.dim() != first.dim()) {
        throw new IllegalStateException("Tensors must have same number of dimensions: got " + first.dim() + " and "
            + t.dim());
      }
      for (int k = 0; k < t.dim(); k++) {
        if (k != d && t.shapeRef()[k] != first.shapeRef()[k]) {
          throw new IllegalStateException("Sizes of tensors must match except in dimension " + d + ". Expected size "
              + first.shapeRef()[k] + " but got size " + t.shapeRef()[k] + " for tensor number " + i
              + " in the list.");
        }
      }
      total += t.shapeRef()[d];
    }
    int[] shape = first.shapeRef().clone();
    shape[d] = total;
    Tensor out = Tensor.empty(dtype, shape);
    int[] sizes = new int[tensors.size()];
    int at = 0;
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      if (t.dim() == 1 && t.numel() == 0 && first.dim() != 1) {
        continue;
      }
      int size = t.shapeRef()[d];
      sizes[i] = size;
      int[] ns = shape.clone();
      ns[d] = size;
      Tensor slot = out.viewOf(ns, out.stridesRef(), at * out.stridesRef()[d]);
      Strided.copy(t, slot);
      at += size;
    }
    return Autograd.record(Op.CAT, out, new int[][] {{d}, sizes}, tensors.toArray(new Tensor[0]));
  }

  static Tensor indexSelect(Tensor t, int dim, Tensor index) {
    if (index.dtype() != DType.INT64) {
      throw new IllegalArgumentException("index_select(): Expected dtype int64 for index");
    }
    if (index.dim() > 1) {
      throw new IllegalStateException("index_select(): Index is supposed to be a vector");
    }
    int d = Shape.wrapDim(dim, Math.max(1, t.dim()));
    long[] idx = index.toLongArray();
    int size = t.dim() == 0 ? 1 : t.shapeRef()[d];
    for (long i : idx) {
      if (i < -size || i >= size) {
        throw new IndexOutOfBoundsException("index out of range in self");
      }
    }
    int[] shape = t.dim() == 0 ? new int[0] : t.shapeRef().clone();
    if (t.dim() > 0) {
      shape[d] = idx.length;
    }
    Tensor out = Tensor.empty(t.dtype(), shape);
    if (t.dim() == 0) {
      Strided.copy(t, out);
    } else if (t.isContiguous()) {
      // Each selected slice is one contiguous block per leading index: a data loader's batch of rows.
      int inner = 1;
      for (int k = d + 1; k < t.dim(); k++) {
        inner *= t.shapeRef()[k];
      }
      int outer = size == 0 ? 0 : t.numelInt() / (size * Math.max(1, inner));
      Object src = Strided.array(t.storage());
      Object dst = Strided.array(out.storage());
      for (int o = 0; o < outer; o++) {
        for (int r = 0; r < idx.length; r++) {
          int i = (int) (idx[r] < 0 ? idx[r] + size : idx[r]);
          System.arraycopy(src, t.offset() + (o * size + i) * inner, dst, (o * idx.length + r) * inner, inner);
        }
      }
    } else {
      int[] rowShape = t.shapeRef().clone();
      rowShape[d] = 1;
      for (int r = 0; r < idx.length; r++) {
        int i = (int) (idx[r] < 0 ? idx[r] + size : idx[r]);
        Tensor src = t.viewOf(rowShape, t.stridesRef(), t.offset() + i * t.stridesRef()[d]);
        Tensor dst = out.viewOf(rowShape, out.stridesRef(), r * out.stridesRef()[d]);
        Strided.copy(src, dst);
      }
    }
    return Autograd.record1(Op.INDEX_SELECT, out, new Object[] {d, Arrays.copyOf(idx, idx.length)}, t);
  }
}
