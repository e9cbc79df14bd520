package org.optim4j.tensor.internal;

/**
 * A provider of the dense matrix product behind {@link Gemm}: the pure-Java kernels, or a native BLAS.
 *
 * <p>{@link Gemm} discovers implementations with {@link java.util.ServiceLoader}: a module registers one in
 * {@code META-INF/services/org.optim4j.tensor.internal.GemmBackend}, with a public no-argument constructor
 * that throws when the backend cannot work on this machine (Gemm then keeps the pure-Java kernel). One can
 * also be installed with {@link Gemm#setBackend(GemmBackend)}.
 *
 * <p>Both methods have row-major BLAS semantics, {@code C ← α·op(A)·op(B) + β·C}, exactly as documented
 * on {@link Gemm}. {@link Gemm} validates the arguments and drops empty products ({@code m = 0} or
 * {@code n = 0}) before calling a backend, so an implementation sees only valid, non-empty problems; it
 * must still honour {@code k = 0} and {@code α = 0} (C ← β·C) and overwrite C without reading it when
 * {@code β = 0}. An implementation must be safe to call from several threads at once.
 */
public interface GemmBackend {
  /** A short name for diagnostics, such as {@code "java"} or {@code "openblas"}. */
  String name();

  /** Single-precision {@code C ← α·op(A)·op(B) + β·C}; see {@link Gemm} for the arguments. */
  void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

  /** Double-precision {@code C ← α·op(A)·op(B) + β·C}; see {@link Gemm} for the arguments. */
  void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
      int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc);
}
