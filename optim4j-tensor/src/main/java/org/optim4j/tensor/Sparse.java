package org.optim4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Sparse COO tensors: construction, coalescing, densifying, and the arithmetic gradients need. */
final class Sparse {
  private Sparse() {}

  static Tensor create(Tensor indices, Tensor values, int[] shape) {
    if (indices.dtype() != DType.INT64) {
      throw new IllegalArgumentException("indices must be an int64 tensor");
    }
    if (indices.dim() != 2) {
      throw new IllegalArgumentException("indices must be sparse_dim x nnz, but got: " + Shape.str(indices.shapeRef()));
    }
    int sparseDim = indices.shapeRef()[0];
    int nnz = indices.shapeRef()[1];
    if (values.dim() < 1 || values.shapeRef()[0] != nnz) {
      throw new IllegalArgumentException("indices and values must have same nnz, but got nnz from indices: " + nnz
          + ", nnz from values: " + (values.dim() == 0 ? 1 : values.shapeRef()[0]));
    }
    int denseDim = values.dim() - 1;
    if (sparseDim + denseDim != shape.length) {
      throw new IllegalArgumentException("number of dimensions must be sparse_dim (" + sparseDim + ") + dense_dim ("
          + denseDim + "), but got " + shape.length);
    }
    for (int i = 0; i < denseDim; i++) {
      if (values.shapeRef()[i + 1] != shape[sparseDim + i]) {
        throw new IllegalArgumentException("values has incorrect size, expected " + Shape.str(shape) + ", got "
            + Shape.str(values.shapeRef()));
      }
    }
    long[] idx = indices.toLongArray();
    for (int d = 0; d < sparseDim; d++) {
      for (int j = 0; j < nnz; j++) {
        long v = idx[d * nnz + j];
        if (v < 0 || v >= shape[d]) {
          throw new IllegalArgumentException("index " + v + " is out of bounds for dimension " + d + " with size "
              + shape[d]);
        }
      }
    }
    return new Tensor(indices.contiguousCopy(), values.detach().contiguousCopy(), shape.clone(), false);
  }

  private static int sparseDim(Tensor s) {
    return s.indices().shapeRef()[0];
  }

  private static int nnz(Tensor s) {
    return s.indices().shapeRef()[1];
  }

  /** Row-major linear index of each entry over the sparse dimensions. */
  private static long[] linear(Tensor s) {
    int sd = sparseDim(s);
    int nnz = nnz(s);
    long[] idx = s.indices().toLongArray();
    long[] lin = new long[nnz];
    int[] shape = s.shapeRef();
    for (int j = 0; j < nnz; j++) {
      long l = 0;
      for (int d = 0; d < sd; d++) {
        l = l * shape[d] + idx[d * nnz + j];
      }
      lin[j] = l;
    }
    return lin;
  }

  static Tensor coalesce(Tensor s) {
    int sd = sparseDim(s);
    int nnz = nnz(s);
    long[] lin = linear(s);
    Integer[] order = new Integer[nnz];
    for (int j = 0; j < nnz; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (x, y) -> Long.compare(lin[x], lin[y]));
    Tensor values = s.values();
    int rowLen = values.numelInt() / Math.max(1, nnz);
    double[] vals = values.toDoubleArray();
    List<Long> uniq = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    for (int k = 0; k < nnz; k++) {
      int j = order[k];
      if (!uniq.isEmpty() && uniq.get(uniq.size() - 1) == lin[j]) {
        double[] row = rows.get(rows.size() - 1);
        for (int e = 0; e < rowLen; e++) {
          row[e] += vals[j * rowLen + e];
        }
      } else {
        uniq.add(lin[j]);
        rows.add(Arrays.copyOfRange(vals, j * rowLen, (j + 1) * rowLen));
      }
    }
    int m = uniq.size();
    long[] newIdx = new long[sd * m];
    int[] shape = s.shapeRef();
    for (int j = 0; j < m; j++) {
      long l = uniq.get(j);
      for (int d = sd - 1; d >= 0; d--) {
        newIdx[d * m + j] = l % shape[d];
        l /= shape[d];
      }
    }
    int[] vshape = values.shapeRef().clone();
    vshape[0] = m;
    Tensor newValues = Tensor.empty(values.dtype(), vshape);
    for (int j = 0; j < m; j++) {
      double[] row = rows.get(j);
      for (int e = 0; e < rowLen; e++) {
        newValues.storage().set(j * rowLen + e, row[e]);
      }
    }
    return new Tensor(new Tensor(Storage.of(newIdx), new int[] {sd, m}), newValues, shape.clone(), true);
  }

  static Tensor toDense(Tensor s) {
    Tensor out = Tensor.zeros(s.dtype(), s.shapeRef());
    addInto(out, s);
    return out;
  }

  /** {@code dense += sparse}, in place, without touching autograd or the version counter. */
  static void addInto(Tensor dense, Tensor s) {
    if (!Arrays.equals(dense.shapeRef(), s.shapeRef())) {
      throw new IllegalStateException("The size of tensor a (" + Shape.str(dense.shapeRef())
          + ") must match the size of tensor b (" + Shape.str(s.shapeRef()) + ")");
    }
    long[] lin = linear(s);
    int nnz = lin.length;
    Tensor values = s.values();
    int rowLen = values.numelInt() / Math.max(1, nnz);
    Tensor v = values.contiguousCopy();
    Tensor target = dense.isContiguous() ? dense : dense.contiguousCopy();
    Storage ds = target.storage();
    int off = target.offset();
    for (int j = 0; j < nnz; j++) {
      int base = (int) lin[j] * rowLen;
      for (int e = 0; e < rowLen; e++) {
        ds.set(off + base + e, ds.get(off + base + e) + v.storage().get(j * rowLen + e));
      }
    }
    if (target != dense) {
      Strided.copy(target, dense);
    }
  }

  /** Sparse + sparse: the entries of both, uncoalesced, as PyTorch does. */
  static Tensor add(Tensor a, Tensor b) {
    if (!Arrays.equals(a.shapeRef(), b.shapeRef())) {
      throw new IllegalStateException("sizes of sparse tensors to add must match: " + Shape.str(a.shapeRef())
          + " and " + Shape.str(b.shapeRef()));
    }
    Tensor idx = Tensor.cat(List.of(a.indices(), b.indices()), 1);
    Tensor vals = Tensor.cat(List.of(a.values(), b.values()), 0);
    return new Tensor(idx, vals, a.shapeRef().clone(), false);
  }

  /** Sparse or dense + sparse or dense. */
  static Tensor addDense(Tensor a, Tensor b) {
    if (a.isSparse() && b.isSparse()) {
      return add(a, b);
    }
    Tensor dense = a.isSparse() ? b : a;
    Tensor sparse = a.isSparse() ? a : b;
    Tensor out = dense.contiguousCopy();
    addInto(out, sparse);
    return out;
  }

  static Tensor mulScalar(Tensor s, double value) {
    return new Tensor(s.indices(), s.values().mul(value), s.shapeRef().clone(), s.isCoalesced());
  }

  static Tensor mulDense(Tensor s, Tensor other) {
    if (other.dim() == 0) {
      return mulScalar(s, other.item());
    }
    throw new UnsupportedOperationException("multiplying a sparse tensor by a dense tensor with dimensions is not "
        + "supported");
  }
}
