/**
 * Stateless neural-network functions, PyTorch's {@code torch.nn.functional}, gathered in {@link
 * org.optim4j.nn.functional.F}: linear, convolution, pooling, activations, dropout, batch norm,
 * embedding, softmax and the losses. They delegate to the differentiable kernels of {@code
 * org.optim4j.tensor.NnOps} and {@code Tensor}.
 *
 * <p>Allowed dependencies: {@code org.optim4j.tensor} (with its internal Python formatting); not the
 * modules of {@code org.optim4j.nn}, which are built on top of it.
 */
package org.optim4j.nn.functional;
