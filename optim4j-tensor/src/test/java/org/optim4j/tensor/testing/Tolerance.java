package org.optim4j.tensor.testing;

import java.util.Arrays;

/**
 * The project's one tolerance rule for comparing results with PyTorch fixtures.
 *
 * <p>An actual value {@code a} matches an expected value {@code b} when
 *
 * <pre>
 *   |a − b| ≤ rtol · max(|b|, s)
 * </pre>
 *
 * where {@code b} is the <em>expected</em> (PyTorch) value, {@code s} the root mean square of the
 * finite expected values of the whole tensor ({@code s = 1} for a 0-dim tensor or a scalar), and
 * {@code rtol} is {@link #RTOL_FLOAT64} or {@link #RTOL_FLOAT32} by the expected dtype; {@code int64}
 * and {@code bool} values must be equal. NaN matches only NaN, an infinity only the same infinity.
 * The scale {@code s} keeps elements near zero (cancellations) from demanding more than the
 * tensor's precision. {@code tools/reference/compare.py} applies the same rule to fixture files.
 */
public final class Tolerance {

  /** Relative tolerance for float64 results. */
  public static final double RTOL_FLOAT64 = 1e-12;

  /** Relative tolerance for float32 results. */
  public static final double RTOL_FLOAT32 = 1e-6;

  private static final int MISMATCHES_SHOWN = 5;

  private Tolerance() {}

  /** The relative tolerance for a PyTorch dtype name; 0 (exact) for int64 and bool. */
  public static double rtol(String dtype) {
    return switch (dtype) {
      case "float64" -> RTOL_FLOAT64;
      case "float32" -> RTOL_FLOAT32;
      case "int64", "bool" -> 0.0;
      default -> throw new IllegalArgumentException("unknown dtype '" + dtype + "'");
    };
  }

  /** Asserts that {@code actual} matches a fixture tensor (length, then every value). */
  public static void assertClose(String what, double[] actual, FixtureTensor expected) {
    double s = expected.shape().length == 0 ? 1.0 : expected.rms();
    check(what, actual, expected.data(), rtol(expected.dtype()), s);
  }

  /** Asserts that float32 results match a fixture tensor; the floats are widened exactly. */
  public static void assertClose(String what, float[] actual, FixtureTensor expected) {
    double[] widened = new double[actual.length];
    for (int i = 0; i < actual.length; i++) {
      widened[i] = actual[i];
    }
    assertClose(what, widened, expected);
  }

  /** Asserts that {@code actual} matches {@code expected} of the given dtype; s is their RMS. */
  public static void assertClose(String what, double[] actual, double[] expected, String dtype) {
    check(what, actual, expected, rtol(dtype), rms(expected));
  }

  /** Asserts that a scalar matches (s = 1). */
  public static void assertClose(String what, double actual, double expected, String dtype) {
    check(what, new double[] {actual}, new double[] {expected}, rtol(dtype), 1.0);
  }

  /** Whether one value matches: the rule of this class for given rtol and scale s. */
  public static boolean close(double actual, double expected, double rtol, double s) {
    if (Double.isNaN(actual) || Double.isNaN(expected)) {
      return Double.isNaN(actual) && Double.isNaN(expected);
    }
    if (Double.isInfinite(actual) || Double.isInfinite(expected)) {
      return actual == expected;
    }
    return Math.abs(actual - expected) <= rtol * Math.max(Math.abs(expected), s);
  }

  /** The root mean square of the finite values; 0 if there are none. */
  public static double rms(double[] values) {
    double sum = 0.0;
    int n = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        sum += v * v;
        n++;
      }
    }
    return n == 0 ? 0.0 : Math.sqrt(sum / n);
  }

  private static void check(String what, double[] actual, double[] expected, double rtol, double s) {
    if (actual.length != expected.length) {
      throw new AssertionError(
          what + ": " + actual.length + " values, expected " + expected.length);
    }
    int bad = 0;
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < actual.length; i++) {
      if (!close(actual[i], expected[i], rtol, s)) {
        if (bad < MISMATCHES_SHOWN) {
          shown
              .append("\n  [")
              .append(i)
              .append("] actual ")
              .append(actual[i])
              .append(" expected ")
              .append(expected[i])
              .append(" |a − b| ")
              .append(Math.abs(actual[i] - expected[i]));
        }
        bad++;
      }
    }
    if (bad > 0) {
      throw new AssertionError(
          what
              + ": "
              + bad
              + " of "
              + actual.length
              + " values differ beyond |a − b| ≤ rtol·max(|b|, s) with rtol="
              + rtol
              + ", s="
              + s
              + " (a actual, b expected):"
              + shown
              + (bad > MISMATCHES_SHOWN ? "\n  ..." : "")
              + "\n  expected "
              + (expected.length <= 12 ? Arrays.toString(expected) : expected.length + " values"));
    }
  }
}
