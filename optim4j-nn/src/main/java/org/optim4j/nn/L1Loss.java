package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/** The absolute error {@code |x − y|}, averaged by default, PyTorch's {@code torch.nn.L1Loss}. */
public class L1Loss extends Loss {

  /** The mean absolute error. */
  public L1Loss() {
    this("mean");
  }

  /** The absolute error with reduction {@code "none"}, {@code "mean"} or {@code "sum"}. */
  public L1Loss(String reduction) {
    super(reduction);
  }

  @Override
  public Tensor forward(Tensor input, Tensor target) {
    return F.l1Loss(input, target, reduction());
  }
}
