package org.optim4j.nn;

import org.optim4j.tensor.Tensor;

/**
 * A tensor that is a module parameter, PyTorch's {@code torch.nn.Parameter}.
 *
 * <p>A parameter shares the storage of the tensor it is made from (it is a detached alias of it, a
 * leaf of the autograd graph) and requires grad unless told otherwise. {@link Module} registers
 * parameters and lists them in {@link Module#parameters()}, which is what optimizers take.
 *
 * <pre>{@code
 * Parameter w = new Parameter(Tensor.randn(10, 10));
 * System.out.println(w);   // Parameter containing:
 *                          // tensor([[...]], requires_grad=True)
 * }</pre>
 */
public class Parameter extends Tensor {

  /** A parameter aliasing {@code data}, requiring grad. */
  public Parameter(Tensor data) {
    this(data, true);
  }

  /**
   * A parameter aliasing {@code data}.
   *
   * @param data the tensor whose storage, shape and strides the parameter shares
   * @param requiresGrad whether the parameter requires grad
   * @throws NullPointerException if {@code data} is null
   * @throws IllegalStateException if {@code requiresGrad} and {@code data} is not floating point
   */
  public Parameter(Tensor data, boolean requiresGrad) {
    super(requireData(data));
    super.requiresGrad_(requiresGrad);
  }

  private static Tensor requireData(Tensor data) {
    if (data == null) {
      throw new NullPointerException("Parameter needs a data tensor");
    }
    return data;
  }

  /** PyTorch's representation: {@code "Parameter containing:\n"} followed by the tensor. */
  @Override
  public String toString() {
    return "Parameter containing:\n" + super.toString();
  }
}
