/**
 * The update rules as functions over lists of tensors, PyTorch's {@code torch.optim.functional}
 * ({@code sgd}, {@code adam}, {@code adamw}): the optimizer classes gather each group's parameters,
 * gradients and state and call these; custom training code may call them directly.
 *
 * <p>Also {@code adamax}, {@code adadelta}, {@code adagrad} (dense or sparse COO gradients), {@code rmsprop} and
 * {@code rprop}.
 *
 * <p>Also {@code adafactor} and {@code muon} (PyTorch's {@code torch.optim.functional} has no LBFGS).
 *
 * <p>Also {@code asgd}, {@code nadam}, {@code radam} and {@code sparseAdam} (PyTorch's
 * {@code _functional.sparse_adam}: sparse COO gradients only).
 *
 * <p>Each function computes its scalars (bias corrections, step size) once per parameter in double
 * precision, as PyTorch's single-tensor path does, and runs the rule's kernel from
 * {@code org.optim4j.optim.internal}. Allowed dependencies: {@code org.optim4j.tensor} and
 * {@code org.optim4j.optim.internal}.
 */
package org.optim4j.optim.functional;
