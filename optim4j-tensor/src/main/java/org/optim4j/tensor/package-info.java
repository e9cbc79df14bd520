/**
 * Tensors and reverse-mode automatic differentiation: PyTorch's {@code torch.Tensor} and
 * {@code torch.autograd}, with the differentiable neural-network primitives ({@code NnOps}) that layers
 * are built from.
 *
 * <p>Role: the engine every other optim4j module stands on. Allowed dependencies: the JDK only — this
 * package knows nothing of {@code nn}, {@code optim} or {@code data}. Kernels over primitive arrays live in
 * {@code org.optim4j.tensor.internal}; the public surface is {@link org.optim4j.tensor.Tensor},
 * {@link org.optim4j.tensor.DType}, {@link org.optim4j.tensor.GradMode},
 * {@link org.optim4j.tensor.Generator} and {@link org.optim4j.tensor.Node}.
 */
package org.optim4j.tensor;
