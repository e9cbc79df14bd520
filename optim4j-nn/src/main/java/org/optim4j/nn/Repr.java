package org.optim4j.nn;

import org.optim4j.tensor.internal.PyFormat;

/**
 * Python-style formatting for module representations and error messages, so that {@link
 * Module#toString()} and {@link Module#extraRepr()} print exactly what PyTorch prints.
 *
 * <p>Custom modules use it to write a PyTorch-like {@code extraRepr}:
 *
 * <pre>{@code
 * @Override
 * public String extraRepr() {
 *   return "p=" + Repr.pyFloat(p) + ", inplace=" + Repr.bool(inplace);
 * }
 * }</pre>
 */
public final class Repr {
  private Repr() {}

  /**
   * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, in
   * positional notation for decimal exponents -4 to 15 ({@code 0.1}, {@code 100.0}) and in scientific
   * notation otherwise ({@code 1e-05}, {@code 1e+16}); {@code nan}, {@code inf}, {@code -inf}.
   */
  public static String pyFloat(double v) {
    return PyFormat.pyFloat(v);
  }

  /** Python's {@code True} or {@code False}. */
  public static String bool(boolean b) {
    return b ? "True" : "False";
  }

  /** A Python tuple of ints: {@code (1, 2)}, {@code (3,)}, {@code ()}. */
  public static String tuple(int... values) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < values.length; i++) {
      sb.append(i > 0 ? ", " : "").append(values[i]);
    }
    return sb.append(values.length == 1 ? ",)" : ")").toString();
  }

  /** A {@code torch.Size}: {@code torch.Size([2, 3])}, {@code torch.Size([])} for a 0-dim tensor. */
  public static String torchSize(int[] shape) {
    StringBuilder sb = new StringBuilder("torch.Size([");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return sb.append("])").toString();
  }

  /**
   * PyTorch's {@code _addindent}: indents every line but the first by {@code numSpaces}, leaving blank
   * lines empty; a single line is returned unchanged.
   */
  public static String addIndent(String s, int numSpaces) {
    String[] lines = s.split("\n", -1);
    if (lines.length == 1) {
      return s;
    }
    StringBuilder sb = new StringBuilder(lines[0]);
    String pad = " ".repeat(numSpaces);
    for (int i = 1; i < lines.length; i++) {
      sb.append('\n');
      if (!lines[i].isBlank()) {
        sb.append(pad).append(lines[i]);
      }
    }
    return sb.toString();
  }

  /**
   * A size argument as given to a pooling layer: one value prints as an int ({@code 2}), two as a tuple
   * ({@code (2, 3)}), as PyTorch prints the argument it was given.
   */
  static String intOrTuple(int[] values) {
    return values.length == 1 ? Integer.toString(values[0]) : tuple(values);
  }
}
