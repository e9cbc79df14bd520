package org.optim4j.nn;

import org.optim4j.tensor.Tensor;

/** A placeholder that returns its input, PyTorch's {@code torch.nn.Identity}. */
public class Identity extends Module {

  /** An identity layer. */
  public Identity() {}

  @Override
  public Tensor forward(Tensor input) {
    return input;
  }
}
