/**
 * Utilities over parameters, PyTorch's {@code torch.nn.utils}: gradient clipping by norm and by value in
 * {@link org.optim4j.nn.utils.Utils}. They take any {@code Iterable} of tensors, such as {@code
 * model.parameters()}.
 *
 * <p>Allowed dependencies: {@code org.optim4j.tensor} (with its internal Python formatting).
 */
package org.optim4j.nn.utils;
