package org.optim4j.optim.lr_scheduler;

import java.util.List;

/**
 * Python's arithmetic where it differs from Java's: floor division and modulo of ints, Python's
 * {@code ZeroDivisionError} (as {@link ArithmeticException} with Python's message) where Java would give an
 * infinity or NaN, {@code bisect.bisect_right}, and {@code max} of two floats.
 */
final class PyMath {
  static final String FLOAT_DIVISION_BY_ZERO = "float division by zero";
  static final String DIVISION_BY_ZERO = "division by zero";
  static final String INTEGER_MODULO_BY_ZERO = "integer modulo by zero";
  static final String INTEGER_DIVISION_BY_ZERO = "integer division or modulo by zero";

  private PyMath() {}

  /** Python's {@code a / b} on floats. */
  static double div(double a, double b) {
    if (b == 0) {
      throw new ArithmeticException(FLOAT_DIVISION_BY_ZERO);
    }
    return a / b;
  }

  /** Python's {@code a / b} on two ints (true division). */
  static double trueDiv(long a, long b) {
    if (b == 0) {
      throw new ArithmeticException(DIVISION_BY_ZERO);
    }
    return (double) a / (double) b;
  }

  /** Python's {@code a // b} on ints (rounds towards negative infinity). */
  static long floorDiv(long a, long b) {
    if (b == 0) {
      throw new ArithmeticException(INTEGER_DIVISION_BY_ZERO);
    }
    return Math.floorDiv(a, b);
  }

  /** Python's {@code a % b} on ints (the sign of the divisor). */
  static long mod(long a, long b) {
    if (b == 0) {
      throw new ArithmeticException(INTEGER_MODULO_BY_ZERO);
    }
    return Math.floorMod(a, b);
  }

  /** Python's {@code a % b} on floats (C's {@code fmod}, then the sign of the divisor). */
  static double mod(double a, double b) {
    if (b == 0) {
      throw new ArithmeticException("float modulo");
    }
    double m = a % b;
    if (m != 0) {
      if ((b < 0) != (m < 0)) {
        m += b;
      }
    } else {
      m = Math.copySign(0.0, b);
    }
    return m;
  }

  /** Python's {@code max(a, b)}: the first argument unless the second is greater (NaN-aware as Python). */
  static double max(double a, double b) {
    return b > a ? b : a;
  }

  /** Python's {@code bisect.bisect_right(a, x)}, the same probe sequence (also on unsorted input). */
  static int bisectRight(List<Integer> a, long x) {
    int lo = 0;
    int hi = a.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (x < a.get(mid)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Python's {@code b ** n} for ints {@code n >= 0}. */
  static long intPow(long b, long n) {
    long r = 1;
    for (long i = 0; i < n; i++) {
      r = Math.multiplyExact(r, b);
    }
    return r;
  }
}
