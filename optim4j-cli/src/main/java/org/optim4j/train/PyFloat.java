package org.optim4j.train;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, in fixed notation
 * for decimal exponents in {@code [-4, 16)} and scientific notation ({@code 1e-05}, {@code 1.5e+16})
 * otherwise — so the seed's lines ({@code Loss - total: 35749.28848361969}) print the same digits here.
 * It is also how checkpoints write floats into JSON, because every JSON reader parses it back exactly.
 */
public final class PyFloat {
  private PyFloat() {}

  /** The repr of {@code v}: {@code 0.1}, {@code 10.0}, {@code 1e-05}, {@code inf}, {@code nan}. */
  public static String repr(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal shortest = null;
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == v) {
        shortest = rounded;
        break;
      }
    }
    BigDecimal d = shortest.stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - d.scale();   // v = 0.digits × 10^(exponent+1)
    String sign = v < 0 ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
      return sign + fixed(digits, exponent);
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = String.format("%02d", Math.abs(exponent));
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }

  private static String fixed(String digits, int exponent) {
    if (exponent < 0) {
      return "0." + "0".repeat(-exponent - 1) + digits;
    }
    if (digits.length() <= exponent + 1) {
      return digits + "0".repeat(exponent + 1 - digits.length()) + ".0";
    }
    return digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
  }
}
