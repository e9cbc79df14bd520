/**
 * The update rules as kernels over primitive arrays, and the helpers around them. Not part of the public
 * API: signatures may change without notice; use {@link org.optim4j.optim.functional.Functional}.
 *
 * <p>Each {@code *FloatKernels} class is the single source of one rule, written op by op as PyTorch's
 * single-tensor path ({@code _single_tensor_sgd}, {@code _single_tensor_adam}) with PyTorch's float32
 * rounding (torch-optim-spec §2.11); the build derives its {@code *DoubleKernels} twin by replacing the word
 * {@code float} with {@code double}. Allowed dependencies: the JDK and {@code org.optim4j.tensor}.
 */
package org.optim4j.optim.internal;
