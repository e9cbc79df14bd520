package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/** The logistic function {@code 1 / (1 + exp(-x))}, PyTorch's {@code torch.nn.Sigmoid}. */
public class Sigmoid extends Module {

  /** A sigmoid layer. */
  public Sigmoid() {}

  @Override
  public Tensor forward(Tensor input) {
    return F.sigmoid(input);
  }
}
