package org.optim4j.tensor;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One PyTorch call as a config of {@code ops.json} or {@code reductions.json} writes it
 * ({@code {"op": "pow", "args": ["a", 0.5], "kwargs": {}}}), with the tensor names of {@code args}
 * resolved to optim4j tensors and the Python scalars to doubles.
 *
 * <p>The keyword arguments a dispatcher reads are recorded: {@link ParityCases} fails a case whose
 * call passes a keyword the dispatcher never looked at, so no argument can be silently ignored.
 */
final class TorchCall {

  private final String op;
  private final List<Object> args;
  private final Map<String, Object> kwargs;
  private final Set<String> read = new HashSet<>();

  /**
   * @param op the torch function name, such as {@code "log_softmax"}
   * @param args the positional arguments in call order: {@link Tensor}s and {@link Double}s
   * @param kwargs the keyword arguments exactly as passed to PyTorch
   */
  TorchCall(String op, List<Object> args, Map<String, Object> kwargs) {
    this.op = op;
    this.args = List.copyOf(args);
    this.kwargs = Map.copyOf(kwargs);
  }

  /** The torch function name. */
  String op() {
    return op;
  }

  /** The number of positional arguments. */
  int argCount() {
    return args.size();
  }

  /** Whether positional argument {@code i} is a tensor (otherwise it is a Python scalar). */
  boolean isTensor(int i) {
    return args.get(i) instanceof Tensor;
  }

  /** Positional argument {@code i}, which must be a tensor. */
  Tensor tensor(int i) {
    if (!isTensor(i)) {
      throw unsupported();
    }
    return (Tensor) args.get(i);
  }

  /** Positional argument {@code i}, which must be a Python scalar. */
  double number(int i) {
    if (isTensor(i)) {
      throw unsupported();
    }
    return (Double) args.get(i);
  }

  /** Whether the keyword was passed. */
  boolean has(String key) {
    read.add(key);
    return kwargs.containsKey(key);
  }

  /** Whether the keyword was passed as a list (a {@code dim} of several dimensions). */
  boolean isList(String key) {
    read.add(key);
    return kwargs.get(key) instanceof List;
  }

  /** A numeric keyword, or {@code absent} when it was not passed (PyTorch's default applies). */
  double number(String key, double absent) {
    read.add(key);
    Object v = kwargs.get(key);
    return v == null ? absent : ((Number) v).doubleValue();
  }

  /** A boolean keyword, or {@code absent} when it was not passed. */
  boolean flag(String key, boolean absent) {
    read.add(key);
    Object v = kwargs.get(key);
    return v == null ? absent : (Boolean) v;
  }

  /** An {@code int} keyword, which must have been passed as a single integer. */
  int integer(String key) {
    read.add(key);
    Object v = kwargs.get(key);
    if (!(v instanceof Integer)) {
      throw unsupported();
    }
    return (Integer) v;
  }

  /**
   * A {@code dim} keyword as an array: one element for an integer, the list for a list, or every
   * dimension of {@code t} when it was not passed (a reduction over all elements).
   */
  int[] dims(String key, Tensor t) {
    read.add(key);
    Object v = kwargs.get(key);
    if (v == null) {
      int[] all = new int[t.dim()];
      for (int d = 0; d < all.length; d++) {
        all[d] = d;
      }
      return all;
    }
    if (v instanceof Integer i) {
      return new int[] {i};
    }
    List<?> list = (List<?>) v;
    int[] dims = new int[list.size()];
    for (int d = 0; d < dims.length; d++) {
      dims[d] = (Integer) list.get(d);
    }
    return dims;
  }

  /** The keywords that were passed but never read by the dispatcher. */
  Set<String> unreadKwargs() {
    Set<String> unread = new TreeSet<>(kwargs.keySet());
    unread.removeAll(read);
    return unread;
  }

  /** The failure of a call that no optim4j method is dispatched to. */
  AssertionError unsupported() {
    return new AssertionError("no optim4j dispatch for " + this);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("torch.").append(op).append('(');
    for (int i = 0; i < args.size(); i++) {
      s.append(i == 0 ? "" : ", ");
      s.append(args.get(i) instanceof Tensor t ? t.dtype() + Shape.str(t.shape()) : args.get(i));
    }
    kwargs.forEach((k, v) -> s.append(", ").append(k).append('=').append(v));
    return s.append(')').toString();
  }
}
