package org.optim4j.nn;

import org.optim4j.nn.functional.F;
import org.optim4j.nn.init.Init;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * A fully connected layer {@code y = x Aᵀ + b}, PyTorch's {@code torch.nn.Linear}.
 *
 * <p>Parameters: {@code weight} {@code (out_features, in_features)} and, unless {@code bias} is false,
 * {@code bias} {@code (out_features)}. Input {@code (*, in_features)}, output {@code (*, out_features)}.
 *
 * <p>Initialisation as PyTorch's {@code reset_parameters}: {@code kaimingUniform_(weight, a = √5)},
 * that is U(−1/√in_features, 1/√in_features), and the bias from the same range.
 */
public class Linear extends Module {
  private final int inFeatures;
  private final int outFeatures;

  /** A layer with a bias, float32. */
  public Linear(int inFeatures, int outFeatures) {
    this(inFeatures, outFeatures, true, DType.FLOAT32);
  }

  /** A layer with or without a bias, float32. */
  public Linear(int inFeatures, int outFeatures, boolean bias) {
    this(inFeatures, outFeatures, bias, DType.FLOAT32);
  }

  /** A layer with parameters of the given floating-point dtype. */
  public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype) {
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    registerParameter("weight", new Parameter(Tensor.zeros(dtype, outFeatures, inFeatures)));
    registerParameter("bias", bias ? new Parameter(Tensor.zeros(dtype, outFeatures)) : null);
    reset(null);
  }

  /** Re-draws the parameters from the default generator, as at construction. */
  public void resetParameters() {
    reset(null);
  }

  /** Re-draws the parameters from {@code generator}. */
  public void resetParameters(Generator generator) {
    reset(generator);
  }

  private void reset(Generator generator) {
    Init.kaimingUniform_(weight(), Math.sqrt(5), "fan_in", "leaky_relu", generator);
    if (bias() != null) {
      int fanIn = Init.calculateFanInAndFanOut(weight())[0];
      double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      Init.uniform_(bias(), -bound, bound, generator);
    }
  }

  /** The weight {@code (out_features, in_features)}. */
  public Parameter weight() {
    return parameter("weight");
  }

  /** The bias {@code (out_features)}, or null. */
  public Parameter bias() {
    return parameter("bias");
  }

  /** The size of each input sample. */
  public int inFeatures() {
    return inFeatures;
  }

  /** The size of each output sample. */
  public int outFeatures() {
    return outFeatures;
  }

  @Override
  public Tensor forward(Tensor input) {
    return F.linear(input, weight(), bias());
  }

  /** {@code in_features=784, out_features=512, bias=True}. */
  @Override
  public String extraRepr() {
    return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.bool(bias() != null);
  }
}
