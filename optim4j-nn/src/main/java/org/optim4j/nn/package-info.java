/**
 * Neural-network building blocks, PyTorch's {@code torch.nn}: {@link org.optim4j.nn.Module} (parameters,
 * buffers and children registered by name; {@code parameters()}, {@code stateDict()}, {@code train()},
 * {@code toString()} as PyTorch), {@link org.optim4j.nn.Parameter}, the containers {@link
 * org.optim4j.nn.Sequential}, {@link org.optim4j.nn.ModuleList} and {@link org.optim4j.nn.ParameterList},
 * the layers ({@code Linear}, {@code Conv2d}, pooling, activations, {@code Dropout}, {@code BatchNorm1d/2d},
 * {@code Embedding}, ...) with PyTorch's defaults and initialisation, and the losses as modules.
 *
 * <p>Sub-packages: {@link org.optim4j.nn.functional} (the stateless functions the layers call), {@link
 * org.optim4j.nn.init} (weight initialisation) and {@link org.optim4j.nn.utils} (gradient clipping).
 *
 * <p>Allowed dependencies: {@code org.optim4j.tensor} and the nn sub-packages. Nothing here depends on
 * {@code org.optim4j.optim}: optimizers take the {@code List<Parameter>} of {@code parameters()} as plain
 * tensors.
 */
package org.optim4j.nn;
