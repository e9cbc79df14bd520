/**
 * Optimizers, PyTorch's {@code torch.optim}: the {@link org.optim4j.optim.Optimizer} base (parameter groups,
 * per-parameter state, {@code stateDict}/{@code loadStateDict} in PyTorch's layout, hooks, the
 * {@code step(closure)} protocol), {@link org.optim4j.optim.ParamGroup}, {@link org.optim4j.optim.Closure},
 * the optimizers ({@link org.optim4j.optim.SGD}, {@link org.optim4j.optim.Adam},
 * {@link org.optim4j.optim.AdamW}) and the factory {@link org.optim4j.optim.Optimizers}.
 *
 * <p>The adaptive classics: {@link org.optim4j.optim.Adamax}, {@link org.optim4j.optim.Adadelta},
 * {@link org.optim4j.optim.Adagrad} (which also takes sparse COO gradients), {@link org.optim4j.optim.RMSprop}
 * and {@link org.optim4j.optim.Rprop}.
 *
 * <p>The matrix-aware and second-order ones: {@link org.optim4j.optim.LBFGS} (closure-driven, with PyTorch's
 * strong-Wolfe line search), {@link org.optim4j.optim.Adafactor} (factored second moments) and
 * {@link org.optim4j.optim.Muon} (bfloat16 Newton–Schulz orthogonalisation of 2-D updates).
 *
 * <p>The averaging and Adam variants: {@link org.optim4j.optim.ASGD} (averaged SGD),
 * {@link org.optim4j.optim.NAdam} (Nesterov momentum), {@link org.optim4j.optim.RAdam} (rectified adaptive step)
 * and {@link org.optim4j.optim.SparseAdam} (dense parameters with sparse COO gradients only).
 *
 * <p>Names, defaults, option keys, state keys, messages and numbers are PyTorch 2.13's; each class's Javadoc
 * holds its algorithm and its differences from PyTorch. The update rules themselves live in
 * {@link org.optim4j.optim.functional} (public, over lists of tensors) and {@code org.optim4j.optim.internal}
 * (the kernels over primitive arrays).
 *
 * <p>The fast path: each element-wise optimizer (SGD, Adam, AdamW, Adamax, Adadelta, Adagrad, RMSprop, Rprop,
 * ASGD, NAdam, RAdam) gathers a group's parameters, gradients and state into a reused segment list and updates
 * them with one multi-tensor kernel call split statically across the threads, allocating nothing per step once
 * the state exists; {@code foreach=False} takes the per-tensor path of {@code functional} instead. Both paths
 * call the same kernel with the same scalars and give the same bits.
 *
 * <p>Allowed dependencies: {@code org.optim4j.tensor} only. Optimizers take any tensors that require grad;
 * this package knows nothing of {@code org.optim4j.nn}.
 */
package org.optim4j.optim;
