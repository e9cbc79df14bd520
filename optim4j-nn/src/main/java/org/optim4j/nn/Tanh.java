package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/** The hyperbolic tangent, PyTorch's {@code torch.nn.Tanh}. */
public class Tanh extends Module {

  /** A tanh layer. */
  public Tanh() {}

  @Override
  public Tensor forward(Tensor input) {
    return F.tanh(input);
  }
}
