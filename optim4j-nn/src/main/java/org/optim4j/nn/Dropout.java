package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * Dropout, PyTorch's {@code torch.nn.Dropout}: in training mode each element is zeroed with
 * probability {@code p} and the others are scaled by {@code 1/(1-p)}; in evaluation mode it is the
 * identity. Default {@code p = 0.5}. The mask is drawn from the default generator unless one is set
 * with {@link #generator(Generator)}.
 */
public class Dropout extends Module {
  private final double p;
  private final boolean inplace;
  private Generator generator;

  /** Dropout with {@code p = 0.5}. */
  public Dropout() {
    this(0.5, false);
  }

  /** Dropout with probability {@code p}. */
  public Dropout(double p) {
    this(p, false);
  }

  /**
   * Dropout with probability {@code p}, overwriting its input when {@code inplace}.
   *
   * @throws IllegalArgumentException {@code dropout probability has to be between 0 and 1, but got <p>}
   */
  public Dropout(double p, boolean inplace) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + Repr.pyFloat(p));
    }
    this.p = p;
    this.inplace = inplace;
  }

  /** Draws the masks from {@code generator} (null: the default generator); returns this. */
  public Dropout generator(Generator generator) {
    this.generator = generator;
    return this;
  }

  /** The probability of zeroing an element. */
  public double p() {
    return p;
  }

  /** Whether the input is overwritten. */
  public boolean inplace() {
    return inplace;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.dropout(input, p, isTraining(), inplace, generator);
  }

  /** {@code p=0.2, inplace=False}. */
  @Override
  public String extraRepr() {
    return "p=" + Repr.pyFloat(p) + ", inplace=" + Repr.bool(inplace);
  }
}
