/**
 * Utilities over parameters, PyTorch's {@code torch.nn.utils}: gradient clipping by norm and by value in
 * {@link org.optim4j.nn.utils.Utils}. They take any {@code Iterable} of tensors, such as {@code
 * model.parameters()}.
 *
 * <p>Allowed dependencies: {@code org.optim4j.tensor} and {@code org.optim4j.nn.internal}.
 */
package org.optim4j.nn.utils;
