package org.optim4j.examples;

import org.optim4j.nn.Dropout;
import org.optim4j.nn.Flatten;
import org.optim4j.nn.Linear;
import org.optim4j.nn.Module;
import org.optim4j.nn.ReLU;
import org.optim4j.nn.Sequential;
import org.optim4j.tensor.Tensor;

/**
 * The lab's MLP with regularisation ({@code scripts.architectures.MLP}): its layers are a {@code Sequential}
 * named {@code layers}, so that per-layer groups take {@code layers.layers(0, 6)} and {@code
 * layers.layers(6, 8)}, the seed's {@code model.layers[:6]} and {@code model.layers[6:]}.
 *
 * <pre>
 * Flatten → Linear(784, 512) → ReLU → Dropout(0.2) → Linear(512, 256) → ReLU → Dropout(0.2) → Linear(256, 10)
 * </pre>
 */
public final class Mlp extends Module {
  /** The eight layers. */
  public final Sequential layers = register("layers", new Sequential(new Flatten(), new Linear(784, 512),
      new ReLU(), new Dropout(0.2), new Linear(512, 256), new ReLU(), new Dropout(0.2), new Linear(256, 10)));

  @Override
  public Tensor forward(Tensor x) {
    return layers.apply(x);
  }
}
