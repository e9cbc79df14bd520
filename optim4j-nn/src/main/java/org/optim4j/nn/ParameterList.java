package org.optim4j.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.optim4j.tensor.Tensor;

/**
 * A list of registered parameters, PyTorch's {@code torch.nn.ParameterList} (named {@code "0"},
 * {@code "1"}, ...). A plain tensor added to it is wrapped in a {@link Parameter}.
 *
 * <pre>{@code
 * final class MyModule extends Module {
 *   private final ParameterList params = register("params",
 *       new ParameterList(List.of(new Parameter(Tensor.randn(10, 10)), new Parameter(Tensor.randn(10, 10)))));
 *   ...
 *   for (Parameter p : params) x = p.mm(x);
 * }
 * }</pre>
 */
public class ParameterList extends Module implements Iterable<Parameter> {

  /** An empty list. */
  public ParameterList() {}

  /** A list of the given tensors (each wrapped in a {@link Parameter} unless it is one). */
  public ParameterList(Iterable<? extends Tensor> values) {
    for (Tensor t : values) {
      add(t);
    }
  }

  /** Appends a parameter (a plain tensor is wrapped in a {@link Parameter}); returns this. */
  public ParameterList add(Tensor value) {
    Parameter p = value == null || value instanceof Parameter ? (Parameter) value : new Parameter(value);
    registerParameter(Integer.toString(size()), p);
    return this;
  }

  /**
   * The parameter at {@code index} (negative counts from the end).
   *
   * @throws IndexOutOfBoundsException {@code index <i> is out of range}
   */
  public Parameter get(int index) {
    return parameterMap().get(Integer.toString(Sequential.absoluteIndex(index, size())));
  }

  /** The number of parameters. */
  public int size() {
    return parameterMap().size();
  }

  /** The parameters in order. */
  @Override
  public Iterator<Parameter> iterator() {
    return new ArrayList<>(parameterMap().values()).iterator();
  }

  /**
   * A ParameterList is not callable.
   *
   * @throws IllegalStateException always: {@code ParameterList should not be called.}
   */
  @Override
  public Tensor forward(Tensor input) {
    throw new IllegalStateException("ParameterList should not be called.");
  }

  /** One line per parameter: {@code (0): Parameter containing: [torch.float32 of size 2x3]}. */
  @Override
  public String extraRepr() {
    List<String> lines = new ArrayList<>();
    int k = 0;
    for (Parameter p : parameterMap().values()) {
      if (p == null) {
        lines.add("  (" + k++ + "): Object of type: NoneType");
        continue;
      }
      StringBuilder size = new StringBuilder();
      for (int d : p.shape()) {
        size.append(size.length() > 0 ? "x" : "").append(d);
      }
      lines.add("  (" + k++ + "): Parameter containing: [" + p.dtype().torchName() + " of size " + size + "]");
    }
    return String.join("\n", lines);
  }
}
