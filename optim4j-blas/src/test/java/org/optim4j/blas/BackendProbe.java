package org.optim4j.blas;

import org.optim4j.tensor.internal.Gemm;

/** Prints the name of the backend Gemm chose in a fresh JVM, then the result of a small product. */
public final class BackendProbe {
  private BackendProbe() {}

  /** Prints {@code <backend name> <C[0,0]>} for C = [1 2]·[3 4]ᵀ. */
  public static void main(String[] args) {
    float[] c = new float[1];
    Gemm.gemm(false, true, 1, 1, 2, 1f, new float[] {1, 2}, 0, 2, new float[] {3, 4}, 0, 2, 0f, c, 0, 1);
    System.out.println(Gemm.backend().name() + " " + c[0]);
  }
}
