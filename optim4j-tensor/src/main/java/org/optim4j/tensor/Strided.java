package org.optim4j.tensor;

/** Copies between strided tensors: the one place that walks arbitrary strides. */
final class Strided {
  private Strided() {}

  /** Copies {@code src} into {@code dst} element by element (same shape; dtypes may differ). */
  static void copy(Tensor src, Tensor dst) {
    int[] shape = dst.shapeRef();
    int n = Shape.numel(shape);
    if (n == 0) {
      return;
    }
    Storage s = src.storage();
    Storage d = dst.storage();
    if (src.isContiguous() && dst.isContiguous() && s.dtype == d.dtype && s.dtype != DType.BFLOAT16) {
      System.arraycopy(array(s), src.offset(), array(d), dst.offset(), n);
      return;
    }
    int nd = shape.length;
    if (nd == 0) {
      d.set(dst.offset(), s.get(src.offset()));
      return;
    }
    int[] ss = src.stridesRef();
    int[] ds = dst.stridesRef();
    int inner = shape[nd - 1];
    int sInner = ss[nd - 1];
    int dInner = ds[nd - 1];
    int[] idx = new int[nd];
    int so = src.offset();
    int dof = dst.offset();
    int rows = n / inner;
    for (int r = 0; r < rows; r++) {
      copyRow(s, so, sInner, d, dof, dInner, inner);
      for (int k = nd - 2; k >= 0; k--) {
        idx[k]++;
        so += ss[k];
        dof += ds[k];
        if (idx[k] < shape[k]) {
          break;
        }
        so -= ss[k] * shape[k];
        dof -= ds[k] * shape[k];
        idx[k] = 0;
      }
    }
  }

  private static void copyRow(Storage s, int so, int sst, Storage d, int dof, int dst, int n) {
    if (s.dtype == DType.FLOAT32 && d.dtype == DType.FLOAT32) {
      float[] a = s.f;
      float[] b = d.f;
      for (int j = 0; j < n; j++) {
        b[dof + j * dst] = a[so + j * sst];
      }
    } else if (s.dtype == DType.FLOAT64 && d.dtype == DType.FLOAT64) {
      double[] a = s.d;
      double[] b = d.d;
      for (int j = 0; j < n; j++) {
        b[dof + j * dst] = a[so + j * sst];
      }
    } else if (s.dtype == DType.INT64 && d.dtype == DType.INT64) {
      long[] a = s.l;
      long[] b = d.l;
      for (int j = 0; j < n; j++) {
        b[dof + j * dst] = a[so + j * sst];
      }
    } else if (s.dtype == DType.BFLOAT16 && d.dtype == DType.BFLOAT16) {
      short[] a = s.h;
      short[] b = d.h;
      for (int j = 0; j < n; j++) {
        b[dof + j * dst] = a[so + j * sst];
      }
    } else if (d.dtype == DType.BFLOAT16 && s.dtype == DType.FLOAT64) {
      for (int j = 0; j < n; j++) {
        // PyTorch converts float64 to bfloat16 through float32.
        d.h[dof + j * dst] = BFloat16.fromFloat((float) s.d[so + j * sst]);
      }
    } else if (d.dtype == DType.INT64 && s.dtype.isFloatingPoint()) {
      for (int j = 0; j < n; j++) {
        d.l[dof + j * dst] = (long) s.get(so + j * sst);
      }
    } else {
      for (int j = 0; j < n; j++) {
        d.set(dof + j * dst, s.get(so + j * sst));
      }
    }
  }

  static Object array(Storage s) {
    switch (s.dtype) {
      case FLOAT32:
        return s.f;
      case FLOAT64:
        return s.d;
      case BFLOAT16:
        return s.h;
      case INT64:
        return s.l;
      default:
        return s.b;
    }
  }
}
