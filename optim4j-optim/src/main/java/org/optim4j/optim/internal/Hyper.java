package org.optim4j.optim.internal;

import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * A hyper-parameter as PyTorch's scalar code sees it: a Python float (arithmetic in double), or a
 * one-element tensor, whose arithmetic with Python floats and other 0-dim tensors rounds to its dtype.
 *
 * <p>This reproduces what a tensor {@code lr} or tensor {@code betas} do to PyTorch's bias corrections and
 * step size: {@code lr / (1 - beta1**step)} is a float32 division when {@code lr} is a float32 tensor.
 */
public final class Hyper {
  private final double value;
  private final DType dtype;

  private Hyper(double value, DType dtype) {
    this.value = value;
    this.dtype = dtype;
  }

  /** A Python float. */
  public static Hyper of(double value) {
    return new Hyper(value, null);
  }

  /**
   * The value of {@link #of(Object, String)} without allocating: what a step's hot path calls for a
   * hyper-parameter used only as a double (escape analysis may not remove the {@code Hyper} when
   * {@code of} is not inlined).
   *
   * @throws IllegalArgumentException for anything but a Number or a one-element floating tensor
   */
  public static double valueOf(Object value, String name) {
    return value instanceof Number n ? n.doubleValue() : of(value, name).value;
  }

  /**
   * A Number (a Python float) or a one-element floating tensor.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Hyper of(Object value, String name) {
    if (value instanceof Number n) {
      return new Hyper(n.doubleValue(), null);
    }
    if (value instanceof Tensor t && t.numel() == 1 && t.dtype().isFloatingPoint()) {
      return new Hyper(t.item(), t.dtype());
    }
    throw new IllegalArgumentException(name + " must be a float or a one-element floating Tensor, got "
        + (value == null ? "None" : value.getClass().getSimpleName()));
  }

  /** The value (already rounded to the tensor's dtype for a tensor). */
  public double value() {
    return value;
  }

  /** {@code this.to(dtype)} for a tensor (as PyTorch moves a tensor beta to the parameter's dtype); a float is kept. */
  public Hyper to(DType target) {
    return dtype == null ? this : new Hyper(round(target, value), target);
  }

  /** {@code x - this}. */
  public Hyper rsub(double x) {
    return binary(of(x), this, '-');
  }

  /** {@code this * other}. */
  public Hyper mul(Hyper other) {
    return binary(this, other, '*');
  }

  /**
   * {@code this / other}; a Python float divided by a tensor is {@code other.reciprocal() * this}, as
   * PyTorch's {@code Tensor.__rtruediv__} computes it.
   */
  public Hyper div(Hyper other) {
    if (dtype == null && other.dtype != null) {
      return binary(new Hyper(round(other.dtype, 1 / other.value), other.dtype), this, '*');
    }
    return binary(this, other, '/');
  }

  /** {@code -this}. */
  public Hyper neg() {
    return new Hyper(-value, dtype);
  }

  /**
   * {@code this ** exponent}: {@code Math.pow} for a float; for a tensor, PyTorch's {@code pow} kernel, which
   * special-cases the exponents 2, 3, 0.5, -0.5, -1 and -2 and calls {@code pow} in the dtype otherwise.
   */
  public Hyper pow(double exponent) {
    if (dtype == null) {
      return of(Math.pow(value, exponent));
    }
    double x = value;
    double r;
    if (exponent == 2) {
      r = x * x;
    } else if (exponent == 3) {
      r = round(dtype, x * x) * x;
    } else if (exponent == 0.5) {
      r = Math.sqrt(x);
    } else if (exponent == -0.5) {
      r = 1 / round(dtype, Math.sqrt(x));
    } else if (exponent == -1) {
      r = 1 / x;
    } else if (exponent == -2) {
      r = 1 / round(dtype, x * x);
    } else {
      r = Math.pow(x, round(dtype, exponent));
    }
    return new Hyper(round(dtype, r), dtype);
  }

  /** {@code this ** 0.5}. */
  public Hyper sqrt() {
    return dtype == null ? of(Math.sqrt(value)) : pow(0.5);
  }

  private static Hyper binary(Hyper a, Hyper b, char op) {
    DType dt = a.dtype == null ? b.dtype : b.dtype == null ? a.dtype : DType.promote(a.dtype, b.dtype);
    double x = dt == null ? a.value : round(dt, a.value);
    double y = dt == null ? b.value : round(dt, b.value);
    double r;
    switch (op) {
      case '-':
        r = x - y;
        break;
      case '*':
        r = x * y;
        break;
      default:
        r = x / y;
    }
    return dt == null ? of(r) : new Hyper(round(dt, r), dt);
  }

  private static double round(DType dtype, double v) {
    return dtype == DType.FLOAT32 ? (float) v : v;
  }
}
