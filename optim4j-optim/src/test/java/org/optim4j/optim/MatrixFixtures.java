package org.optim4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Tolerance;

/**
 * Helpers for the tests of LBFGS, Adafactor and Muon against fixtures/optim_matrix (written by
 * tools/reference/gen_optim_matrix.py): comparisons with a chosen relative tolerance, the description of state
 * values the generator writes, and PyTorch 2.13's repr of LBFGS with the {@code maximize} key of 2.14.
 */
final class MatrixFixtures {
  /**
   * LBFGS's float64 tolerance: its iterations amplify the last-bit differences of inner products and losses
   * whose summation order differs from PyTorch's (MKL's tails, autograd sums).
   */
  static final double RTOL_LBFGS_FLOAT64 = 1e-10;

  /**
   * The tolerance of LBFGS's final internal vectors (direction, gradient differences) after a run has converged:
   * they are differences of gradients of size 1e-6 and carry, amplified, the summation-order noise of the
   * autograd sums (the tiny MLP's match PyTorch to 3e-10; the other cases exactly).
   */
  static final double RTOL_LBFGS_STATE = 1e-8;

  private MatrixFixtures() {}

  /** The tolerance of an LBFGS case of this dtype: {@link #RTOL_LBFGS_FLOAT64}, or the project's float32 one. */
  static double lbfgsRtol(String dtype) {
    return dtype.equals("float64") ? RTOL_LBFGS_FLOAT64 : Tolerance.RTOL_FLOAT32;
  }

  /** Row {@code row} of a fixture tensor that stacks per-step values. */
  static double[] row(FixtureTensor stacked, int row) {
    int[] s = stacked.shape();
    int n = 1;
    for (int i = 1; i < s.length; i++) {
      n *= s[i];
    }
    return Arrays.copyOfRange(stacked.data(), row * n, (row + 1) * n);
  }

  /** Asserts the project's tolerance rule with relative tolerance {@code rtol} (s: the RMS of the expected). */
  static void assertClose(String what, double[] actual, double[] expected, double rtol) {
    if (actual.length != expected.length) {
      throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
    }
    double s = expected.length == 1 ? 1.0 : Tolerance.rms(expected);
    for (int i = 0; i < actual.length; i++) {
      if (!Tolerance.close(actual[i], expected[i], rtol, s)) {
        throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
            + " (rtol " + rtol + ")");
      }
    }
  }

  /**
   * The generator's description of a state value: {@code None}, {@code int}, {@code float}, {@code bool},
   * {@code tensor <dtype> [shape]}, lists as {@code [a, b]}.
   */
  static String describe(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof Integer || v instanceof Long) {
      return "int";
    }
    if (v instanceof Number) {
      return "float";
    }
    if (v instanceof Tensor t) {
      return "tensor " + FixtureValues.dtypeName(t.dtype()) + " " + Arrays.toString(t.shape());
    }
    if (v instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      for (Object x : l) {
        parts.add(describe(x));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    throw new AssertionError("unexpected state value " + v);
  }

  /** A state's layout as the generator writes it: [key, description], an int at the top level with its value. */
  static List<List<String>> layout(Map<String, Object> state) {
    List<List<String>> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : state.entrySet()) {
      Object v = e.getValue();
      out.add(List.of(e.getKey(), v instanceof Integer ? "int " + v : describe(v)));
    }
    return out;
  }

  /**
   * PyTorch 2.13's repr of an LBFGS with the group key {@code maximize} that PyTorch 2.14 adds (and optim4j
   * implements), in its sorted place after {@code max_iter}.
   */
  static String withMaximize(String repr2_13, boolean maximize) {
    int at = repr2_13.indexOf("    max_iter: ");
    if (at < 0) {
      throw new AssertionError("not an LBFGS repr: " + repr2_13);
    }
    int end = repr2_13.indexOf('\n', at) + 1;
    return repr2_13.substring(0, end) + "    maximize: " + (maximize ? "True" : "False") + "\n"
        + repr2_13.substring(end);
  }
}
