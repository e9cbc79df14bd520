/**
 * The update rules as functions over lists of tensors, PyTorch's {@code torch.optim.functional}
 * ({@code sgd}, {@code adam}, {@code adamw}): the optimizer classes gather each group's parameters,
 * gradients and state and call these; custom training code may call them directly.
 *
 * <p>Each function computes its scalars (bias corrections, step size) once per parameter in double
 * precision, as PyTorch's single-tensor path does, and runs the rule's kernel from
 * {@code org.optim4j.optim.internal}. Allowed dependencies: {@code org.optim4j.tensor} and
 * {@code org.optim4j.optim.internal}.
 */
package org.optim4j.optim.functional;
