package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Tensor;

/** The rectified linear unit {@code max(0, x)}, PyTorch's {@code torch.nn.ReLU}; optionally in place. */
public class ReLU extends Module {
  private final boolean inplace;

  /** An out-of-place ReLU. */
  public ReLU() {
    this(false);
  }

  /** A ReLU that overwrites its input when {@code inplace}. */
  public ReLU(boolean inplace) {
    this.inplace = inplace;
  }

  /** Whether the input is overwritten. */
  public boolean inplace() {
    return inplace;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.relu(input, inplace);
  }

  /** Empty, or {@code inplace=True}. */
  @Override
  public String extraRepr() {
    return inplace ? "inplace=True" : "";
  }
}
