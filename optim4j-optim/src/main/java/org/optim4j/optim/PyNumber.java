package org.optim4j.optim;

import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * A number as {@link LBFGS}'s Python code holds it: a Python {@code int} or {@code float}, or a 0-dim tensor
 * (the results of {@code dot}, {@code max}, and anything computed from them).
 *
 * <p>Arithmetic follows PyTorch: Python numbers compute in double; as soon as a tensor takes part, the result is
 * a tensor of its dtype, the Python number is first rounded to that dtype and the result is rounded to it
 * (a float32 tensor computes in float32); two tensors promote. Comparisons round a Python number to the
 * tensor's dtype the same way. {@link #max} and {@link #min} are Python's built-ins, which return one of their
 * arguments, so a tensor can become a float and back as in PyTorch's line search.
 */
final class PyNumber {
  static final PyNumber ZERO = new PyNumber(0, null, true);

  private final double value;
  /** The tensor's dtype; null for a Python number. */
  private final DType dtype;
  /** A Python int (only for Python numbers). */
  private final boolean integer;

  private PyNumber(double value, DType dtype, boolean integer) {
    this.dtype = dtype;
    this.value = dtype == DType.FLOAT32 ? (float) value : value;
    this.integer = integer;
  }

  /** A Python float. */
  static PyNumber of(double value) {
    return new PyNumber(value, null, false);
  }

  /** A 0-dim tensor of {@code dtype} holding {@code value} (rounded to the dtype). */
  static PyNumber tensor(double value, DType dtype) {
    return new PyNumber(value, dtype, false);
  }

  /**
   * A value as LBFGS finds it in its options or state: an Integer (a Python int), another Number (a float), or
   * a one-element tensor.
   *
   * @throws IllegalArgumentException for anything else
   */
  static PyNumber from(Object value, String what) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return new PyNumber(((Number) value).doubleValue(), null, true);
    }
    if (value instanceof Number n) {
      return of(n.doubleValue());
    }
    if (value instanceof Tensor t && t.numel() == 1 && t.dtype().isFloatingPoint()) {
      return tensor(t.item(), t.dtype());
    }
    throw new IllegalArgumentException(what + " must be a number or a one-element floating Tensor, got "
        + Scalars.describe(value));
  }

  /** The value as PyTorch stores it in the state: an Integer, a Double, or a new 0-dim tensor. */
  Object toObject() {
    if (dtype != null) {
      return Tensor.scalar(value, dtype);
    }
    return integer && Math.abs(value) < 0x1p31 ? (Object) (int) value : (Object) value;
  }

  double value() {
    return value;
  }

  boolean isTensor() {
    return dtype != null;
  }

  PyNumber add(PyNumber o) {
    return binary(o, '+');
  }

  PyNumber sub(PyNumber o) {
    return binary(o, '-');
  }

  PyNumber mul(PyNumber o) {
    return binary(o, '*');
  }

  /**
   * {@code this / o}; a Python number divided by a tensor is {@code o.reciprocal() * this}, as PyTorch's
   * {@code Tensor.__rtruediv__}.
   */
  PyNumber div(PyNumber o) {
    if (dtype == null && o.dtype != null) {
      return new PyNumber(1 / o.value, o.dtype, false).mul(this);
    }
    return binary(o, '/');
  }

  PyNumber add(double x) {
    return add(of(x));
  }

  PyNumber sub(double x) {
    return sub(of(x));
  }

  PyNumber mul(double x) {
    return mul(of(x));
  }

  PyNumber neg() {
    return new PyNumber(-value, dtype, integer);
  }

  /** Python's {@code abs}. */
  PyNumber abs() {
    return new PyNumber(Math.abs(value), dtype, integer);
  }

  /** {@code tensor.sqrt()} (correctly rounded in the dtype). */
  PyNumber sqrt() {
    return new PyNumber(Math.sqrt(value), dtype, false);
  }

  /** {@code x ** 2}. */
  PyNumber square() {
    return mul(this);
  }

  boolean gt(PyNumber o) {
    return compared(this, o) > compared(o, this);
  }

  boolean ge(PyNumber o) {
    return compared(this, o) >= compared(o, this);
  }

  boolean lt(PyNumber o) {
    return compared(this, o) < compared(o, this);
  }

  boolean le(PyNumber o) {
    return compared(this, o) <= compared(o, this);
  }

  boolean gt(double x) {
    return gt(of(x));
  }

  boolean ge(double x) {
    return ge(of(x));
  }

  boolean lt(double x) {
    return lt(of(x));
  }

  boolean le(double x) {
    return le(of(x));
  }

  /** Python's {@code max(a, b)}: {@code b} if {@code b > a}, else {@code a}. */
  static PyNumber max(PyNumber a, PyNumber b) {
    return b.gt(a) ? b : a;
  }

  /** Python's {@code min(a, b)}: {@code b} if {@code b < a}, else {@code a}. */
  static PyNumber min(PyNumber a, PyNumber b) {
    return b.lt(a) ? b : a;
  }

  /** {@code x}'s value as it takes part in a comparison with {@code other}: rounded to a tensor's dtype. */
  private static double compared(PyNumber x, PyNumber other) {
    DType dt = common(x, other);
    return dt == DType.FLOAT32 ? (float) x.value : x.value;
  }

  private static DType common(PyNumber a, PyNumber b) {
    if (a.dtype == null) {
      return b.dtype;
    }
    if (b.dtype == null) {
      return a.dtype;
    }
    return DType.promote(a.dtype, b.dtype);
  }

  private PyNumber binary(PyNumber o, char op) {
    DType dt = common(this, o);
    double x = dt == DType.FLOAT32 ? (float) value : value;
    double y = dt == DType.FLOAT32 ? (float) o.value : o.value;
    double r = switch (op) {
      case '+' -> x + y;
      case '-' -> x - y;
      case '*' -> x * y;
      default -> x / y;
    };
    boolean bothInts = dt == null && integer && o.integer && op != '/';
    return new PyNumber(r, dt, bothInts);
  }

  @Override
  public String toString() {
    return dtype == null ? (integer ? Long.toString((long) value) : Double.toString(value))
        : "tensor(" + value + ", " + dtype + ")";
  }
}
