/**
 * Weight initialisation, PyTorch's {@code torch.nn.init}, in {@link org.optim4j.nn.init.Init}: uniform,
 * normal, constant, Xavier and Kaiming fills, {@code calculateGain} and the fan computation the layers'
 * default initialisation uses.
 *
 * <p>Allowed dependencies: {@code org.optim4j.tensor} only.
 */
package org.optim4j.nn.init;
