/**
 * The update rules as kernels over primitive arrays, and the helpers around them. Not part of the public
 * API: signatures may change without notice; use {@link org.optim4j.optim.functional.Functional}.
 *
 * <p>Each {@code *FloatKernels} class is the single source of one rule, written op by op as PyTorch's
 * single-tensor path ({@code _single_tensor_sgd}, {@code _single_tensor_adam}) with PyTorch's float32
 * rounding (torch-optim-spec §2.11); the build derives its {@code *DoubleKernels} twin by replacing the word
 * {@code float} with {@code double}.
 *
 * <p>Around each element-wise rule, a {@code *Step} class ({@code AdamStep}, {@code SgdStep}, ...) holds what
 * both paths share: the scalars PyTorch computes once per parameter and step, and the kernel call for either
 * dtype. {@code functional} calls them one tensor at a time; the optimizers' default path gathers a group into
 * {@link org.optim4j.optim.internal.Segments} and runs the same kernel once over all its segments, split
 * statically across {@code Parallel}'s threads. {@link org.optim4j.optim.internal.ScalarTensors} reads and
 * updates the 0-dim state tensors ({@code step}, ...) without allocating.
 *
 * <p>Allowed dependencies: the JDK and {@code org.optim4j.tensor}.
 */
package org.optim4j.optim.internal;
