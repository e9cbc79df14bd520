package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/** The squared error {@code (x − y)²}, averaged by default, PyTorch's {@code torch.nn.MSELoss}. */
public class MSELoss extends Loss {

  /** The mean squared error. */
  public MSELoss() {
    this("mean");
  }

  /** The squared error with reduction {@code "none"}, {@code "mean"} or {@code "sum"}. */
  public MSELoss(String reduction) {
    super(reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return F.mseLoss(input, target, reduction());
  }
}
