package org.optim4j.tensor.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's formatting of floats, shared by the representations and error messages of every module
 * (PyTorch prints hyperparameters with Python's {@code repr}). Not public API.
 */
public final class PyFormat {
  private PyFormat() {}

  /**
   * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, in
   * positional notation for decimal exponents -4 to 15 ({@code 0.1}, {@code 100.0}) and in scientific
   * notation otherwise ({@code 1e-05}, {@code 1e+16}); {@code nan}, {@code inf}, {@code -inf}.
   */
  public static String pyFloat(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) < 0 ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      // The p-digit decimals next to v, below and above; any other p-digit decimal is farther away.
      BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
      BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
      boolean downOk = Double.parseDouble(down.toString()) == v;
      boolean upOk = Double.parseDouble(up.toString()) == v;
      if (downOk && upOk) {
        shortest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        break;
      }
      if (downOk || upOk) {
        shortest = downOk ? down : up;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale();
    StringBuilder sb = new StringBuilder(v < 0 ? "-" : "");
    if (exponent < -4 || exponent >= 16) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      int absExponent = Math.abs(exponent);
      sb.append('e').append(exponent < 0 ? '-' : '+').append(absExponent < 10 ? "0" : "").append(absExponent);
    } else if (exponent < 0) {
      sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
    } else if (digits.length() <= exponent + 1) {
      sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
    } else {
      sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
    }
    return sb.toString();
  }
}
