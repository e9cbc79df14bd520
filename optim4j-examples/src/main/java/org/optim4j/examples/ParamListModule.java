package org.optim4j.examples;

import java.util.List;
import org.optim4j.nn.Linear;
import org.optim4j.nn.Module;
import org.optim4j.nn.Parameter;
import org.optim4j.nn.ParameterList;
import org.optim4j.tensor.Tensor;

/**
 * The notebook "optim explain"'s {@code MyModule}: two 10×10 parameters in a {@link ParameterList}, each
 * multiplied into the input in turn, then a bias-free {@code Linear(10, 1)}.
 *
 * <pre>{@code
 * for (Parameter p : params) x = p.mm(x);   // "ParameterList can act as an iterable, or be indexed using ints"
 * return linear.apply(x);
 * }</pre>
 */
public final class ParamListModule extends Module {
  /** The two square parameters, drawn from the default generator. */
  public final ParameterList params = register("params",
      new ParameterList(List.of(new Parameter(Tensor.randn(10, 10)), new Parameter(Tensor.randn(10, 10)))));
  /** The output layer. */
  public final Linear linear = register("linear", new Linear(10, 1, false));

  @Override
  public Tensor forward(Tensor x) {
    for (Parameter p : params) {
      x = p.mm(x);
    }
    return linear.apply(x);
  }

  /** The notebook's input of iteration {@code i}: a 10×10 tensor of {@code i}. */
  static Tensor input(int i) {
    return Tensor.ones(10, 10).mul(i);
  }

  /** The notebook's target of iteration {@code i}: a 10×1 tensor of {@code i}. */
  static Tensor target(int i) {
    return Tensor.ones(10, 1).mul(i);
  }
}
