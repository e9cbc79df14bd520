/**
 * Kernels over primitive storage: element-wise loops, GEMM, and {@link org.optim4j.tensor.internal.Parallel},
 * the one owner of the thread count. Not part of the public API: signatures may change without notice.
 *
 * <p>Each {@code *FloatKernels} class is the single source of a rule; the build derives its
 * {@code *DoubleKernels} twin. Allowed dependencies: the JDK only.
 */
package org.optim4j.tensor.internal;
