package org.optim4j.tensor;

import org.optim4j.tensor.internal.Gemm;

/** Matrix products; every one goes through the single GEMM entry point {@link Gemm}. */
final class LinearAlgebra {
  private LinearAlgebra() {}

  static Tensor mm(Tensor a, Tensor b) {
    if (a.dim() != 2) {
      throw new IllegalStateException("self must be a matrix");
    }
    if (b.dim() != 2) {
      throw new IllegalStateException("mat2 must be a matrix");
    }
    checkSameDtype(a, b);
    int n = a.shapeRef()[0];
    int k = a.shapeRef()[1];
    int m = b.shapeRef()[1];
    if (b.shapeRef()[0] != k) {
      throw new IllegalStateException("mat1 and mat2 shapes cannot be multiplied (" + n + "x" + k + " and "
          + b.shapeRef()[0] + "x" + m + ")");
    }
    Tensor out = Tensor.empty(a.dtype(), new int[] {n, m});
    gemmInto(a, b, out, 0);
    return Autograd.record2(Op.MM, out, null, a, b, a, b);
  }

  @SuppressWarnings("try")
  static Tensor bmm(Tensor a, Tensor b) {
    if (a.dim() != 3) {
      throw new IllegalStateException("batch1 must be a 3D tensor");
    }
    if (b.dim() != 3) {
      throw new IllegalStateException("batch2 must be a 3D tensor");
    }
    checkSameDtype(a, b);
    int batch = a.shapeRef()[0];
    int n = a.shapeRef()[1];
    int k = a.shapeRef()[2];
    int m = b.shapeRef()[2];
    if (b.shapeRef()[0] != batch || b.shapeRef()[1] != k) {
      throw new IllegalStateException("Expected size for first two dimensions of batch2 tensor to be: [" + batch + ", "
          + k + "] but got: [" + b.shapeRef()[0] + ", " + b.shapeRef()[1] + "].");
    }
    Tensor out = Tensor.empty(a.dtype(), new int[] {batch, n, m});
    try (GradMode.Scope ignored = GradMode.noGrad()) {
      for (int i = 0; i < batch; i++) {
        gemmInto(a.select(0, i), b.select(0, i), out, i * n * m);
      }
    }
    return Autograd.record2(Op.BMM, out, null, a, b, a, b);
  }

  private static void checkSameDtype(Tensor a, Tensor b) {
    Pointwise.checkArithmetic(a.dtype());
    if (a.dtype() != b.dtype()) {
      throw new IllegalStateException("expected m1 and m2 to have the same dtype, but got: "
          + cName(a.dtype()) + " != " + cName(b.dtype()));
    }
    if (!a.dtype().isFloatingPoint()) {
      throw new UnsupportedOperationException("matrix products need a floating-point dtype, got " + a.dtype());
    }
  }

  private static String cName(DType d) {
    switch (d) {
      case FLOAT32:
        return "float";
      case FLOAT64:
        return "double";
      case INT64:
        return "long int";
      default:
        return d.name().toLowerCase();
    }
  }

  /** out[offset ..] = a · b for 2-D a [n,k] and b [k,m], reading transposed operands without copies. */
  private static void gemmInto(Tensor a, Tensor b, Tensor out, int outOffset) {
    int n = a.shapeRef()[0];
    int k = a.shapeRef()[1];
    int m = b.shapeRef()[1];
    Tensor ac = a;
    boolean ta = false;
    int lda;
    if (isRowMajor(a)) {
      lda = n <= 1 ? Math.max(1, k) : a.stridesRef()[0];
    } else if (isColMajor(a)) {
      ta = true;
      lda = k <= 1 ? Math.max(1, n) : a.stridesRef()[1];
    } else {
      ac = a.contiguousCopy();
      lda = Math.max(1, k);
    }
    Tensor bc = b;
    boolean tb = false;
    int ldb;
    if (isRowMajor(b)) {
      ldb = k <= 1 ? Math.max(1, m) : b.stridesRef()[0];
    } else if (isColMajor(b)) {
      tb = true;
      ldb = m <= 1 ? Math.max(1, k) : b.stridesRef()[1];
    } else {
      bc = b.contiguousCopy();
      ldb = Math.max(1, m);
    }
    if (out.dtype() == DType.FLOAT32) {
      Gemm.gemm(ta, tb, n, m, k, 1f, ac.storage().f, ac.offset(), lda, bc.storage().f, bc.offset(), ldb, 0f,
          out.storage().f, outOffset, Math.max(1, m));
    } else {
      Gemm.gemm(ta, tb, n, m, k, 1.0, ac.storage().d, ac.offset(), lda, bc.storage().d, bc.offset(), ldb, 0.0,
          out.storage().d, outOffset, Math.max(1, m));
    }
  }

  private static boolean isRowMajor(Tensor t) {
    int[] s = t.shapeRef();
    int[] st = t.stridesRef();
    return (st[1] == 1 || s[1] <= 1) && (st[0] >= Math.max(1, s[1]) || s[0] <= 1);
  }

  private static boolean isColMajor(Tensor t) {
    int[] s = t.shapeRef();
    int[] st = t.stridesRef();
    return (st[0] == 1 || s[0] <= 1) && (st[1] >= Math.max(1, s[0]) || s[1] <= 1);
  }

  static Tensor matmul(Tensor a, Tensor b) {
    int da = a.dim();
    int db = b.dim();
    if (da == 0 || db == 0) {
      throw new IllegalStateException("both arguments to matmul need to be at least 1D, but they are " + da + "D and "
          + db + "D");
    }
    if (da == 1 && db == 1) {
      if (a.shapeRef()[0] != b.shapeRef()[0]) {
        throw new IllegalStateException("inconsistent tensor size, expected tensor [" + a.shapeRef()[0] + "] and src ["
            + b.shapeRef()[0] + "] to have the same number of elements, but got " + a.shapeRef()[0] + " and "
            + b.shapeRef()[0] + " elements respectively");
      }
      return mm(a.unsqueeze(0), b.unsqueeze(1)).reshape();
    }
    if (da == 2 && db == 1) {
      return mm(a, b.unsqueeze(1)).squeeze(-1);
    }
    if (da == 1 && db == 2) {
      return mm(a.unsqueeze(0), b).squeeze(0);
    }
    if (da == 2 && db == 2) {
      return mm(a, b);
    }
    if (db <= 2) {
      // Fold the batch of a into rows: [..., n, k] · [k, m].
      Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
      int[] as = a.shapeRef();
      int k = as[da - 1];
      if (b2.shapeRef()[0] != k) {
        throw new IllegalStateException("mat1 and mat2 shapes cannot be multiplied (" + (a.numel() / k) + "x" + k
            + " and " + b2.shapeRef()[0] + "x" + b2.shapeRef()[1] + ")");
      }
      Tensor r = mm(a.reshape(-1, k), b2);
      int[] os = as.clone();
      os[da - 1] = b2.shapeRef()[1];
      r = r.reshape(os);
      return db == 1 ? r.squeeze(-1) : r;
    }
    Tensor a3 = da == 1 ? a.unsqueeze(0) : a;
    int[] as = a3.shapeRef();
    int[] bs = b.shapeRef();
    int n = as[as.length - 2];
    int k = as[as.length - 1];
    int k2 = bs[bs.length - 2];
    int m = bs[bs.length - 1];
    if (k != k2) {
      throw new IllegalStateException("Expected size for first two dimensions of batch2 tensor to be: [" + k + ", "
          + m + "] but got: [" + k2 + ", " + m + "].");
    }
    int[] batchA = java.util.Arrays.copyOf(as, as.length - 2);
    int[] batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
    int[] batch = Shape.broadcast(batchA, batchB);
    int nb = Shape.numel(batch);
    int[] ea = concat(batch, n, k);
    int[] eb = concat(batch, k, m);
    Tensor r = bmm(a3.expand(ea).reshape(nb, n, k), b.expand(eb).reshape(nb, k, m));
    r = r.reshape(concat(batch, n, m));
    return da == 1 ? r.squeeze(-2) : r;
  }

  private static int[] concat(int[] batch, int x, int y) {
    int[] r = java.util.Arrays.copyOf(batch, batch.length + 2);
    r[batch.length] = x;
    r[batch.length + 1] = y;
    return r;
  }
}
