package org.optim4j.examples;

import org.optim4j.nn.Conv2d;
import org.optim4j.nn.Linear;
import org.optim4j.nn.Module;
import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/**
 * The lecture's convolutional network {@code Net} for MNIST (Fleuret, "PyTorch optimizers"):
 *
 * <pre>
 * x → conv1 (1→32, 5×5) → max-pool 3 → ReLU → conv2 (32→64, 5×5) → max-pool 2 → ReLU → view(-1, 256)
 *   → fc1 (256→200) → ReLU → fc2 (200→10)
 * </pre>
 */
public final class Net extends Module {
  private final Conv2d conv1 = register("conv1", new Conv2d(1, 32, 5));
  private final Conv2d conv2 = register("conv2", new Conv2d(32, 64, 5));
  private final Linear fc1 = register("fc1", new Linear(256, 200));
  private final Linear fc2 = register("fc2", new Linear(200, 10));

  @Override
  public Tensor forward(Tensor x) {
    x = F.relu(F.maxPool2d(conv1.apply(x), 3));
    x = F.relu(F.maxPool2d(conv2.apply(x), 2));
    x = x.view(x.size(0), -1);
    x = F.relu(fc1.apply(x));
    return fc2.apply(x);
  }
}
