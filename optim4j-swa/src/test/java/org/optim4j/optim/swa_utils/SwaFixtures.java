package org.optim4j.optim.swa_utils;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * Reads fixtures/swa (written by tools/reference/gen_swa.py): fixture tensors as optim4j tensors, rows of
 * stacked per-step tensors, and the two comparison rules: {@link Tolerance} for tensors and {@link #LR_RTOL}
 * for learning rates.
 */
final class SwaFixtures {
  /**
   * Learning rates match when {@code |a − b| ≤ LR_RTOL · max(|b|, base lr)}: both sides compute in double with
   * the same operations in the same order; only {@code cos} may differ in the last bit between Java's and C's
   * libm.
   */
  static final double LR_RTOL = 1e-12;

  private SwaFixtures() {}

  static Fixtures load(String file) {
    return Fixtures.load("swa/" + file);
  }

  static DType dtype(String name) {
    return switch (name) {
      case "float32" -> DType.FLOAT32;
      case "float64" -> DType.FLOAT64;
      case "int64" -> DType.INT64;
      default -> throw new AssertionError("unexpected dtype " + name);
    };
  }

  static String dtypeName(DType dtype) {
    return dtype.torchName().substring("torch.".length());
  }

  /** A fixture tensor as a tensor of its dtype and shape (float32 values are exact in the file). */
  static Tensor tensor(FixtureTensor t) {
    if (t.dtype().equals("int64")) {
      return t.shape().length == 0 ? Tensor.scalar(t.data()[0], DType.INT64) : Tensor.of(t.longData(), t.shape());
    }
    return Tensor.of(t.data()).to(dtype(t.dtype())).reshape(t.shape());
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

  /** Row {@code row} of a stacked fixture tensor as a tensor. */
  static Tensor rowTensor(FixtureTensor stacked, int row) {
    int[] s = stacked.shape();
    return Tensor.of(row(stacked, row)).to(dtype(stacked.dtype())).reshape(Arrays.copyOfRange(s, 1, s.length));
  }

  /** Asserts that {@code actual} has the fixture's dtype and shape and matches it under {@link Tolerance}. */
  static void assertTensor(String what, Tensor actual, FixtureTensor expected) {
    if (!expected.dtype().equals(dtypeName(actual.dtype()))) {
      fail(what + ": dtype " + actual.dtype() + ", expected " + expected.dtype());
    }
    if (!Arrays.equals(actual.shape(), expected.shape())) {
      fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
    }
    Tolerance.assertClose(what, actual.toDoubleArray(), expected);
  }

  /** Asserts that {@code actual} matches row {@code row} of a stacked fixture (Tolerance, scale of that row). */
  static void assertRow(String what, Tensor actual, FixtureTensor stacked, int row) {
    if (!stacked.dtype().equals(dtypeName(actual.dtype()))) {
      fail(what + ": dtype " + actual.dtype() + ", expected " + stacked.dtype());
    }
    int[] s = stacked.shape();
    if (!Arrays.equals(actual.shape(), Arrays.copyOfRange(s, 1, s.length))) {
      fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
          + Arrays.toString(Arrays.copyOfRange(s, 1, s.length)));
    }
    double[] expected = row(stacked, row);
    if (s.length == 1) {
      Tolerance.assertClose(what, actual.item(), expected[0], stacked.dtype());
    } else {
      Tolerance.assertClose(what, actual.toDoubleArray(), expected, stacked.dtype());
    }
  }

  /** Asserts a learning rate under {@link #LR_RTOL} with the group's base lr as the scale. */
  static void assertLr(String what, double actual, double expected, double baseLr) {
    if (!(Math.abs(actual - expected) <= LR_RTOL * Math.max(Math.abs(expected), baseLr))) {
      fail(what + ": " + actual + ", expected " + expected + " (difference " + (actual - expected) + ")");
    }
  }

  /** Every tensor of a case whose name starts with {@code prefix + "/"}, by the rest of the name, in file order. */
  static Map<String, FixtureTensor> withPrefix(Fixtures f, String caseName, String prefix) {
    Map<String, FixtureTensor> out = new LinkedHashMap<>();
    for (String name : f.tensorNames(caseName)) {
      if (name.startsWith(prefix + "/")) {
        out.put(name.substring(prefix.length() + 1), f.tensor(caseName, name));
      }
    }
    return out;
  }

  /** The state dict {@code init/<key>} of a case as tensors. */
  static Map<String, Tensor> stateDict(Fixtures f, String caseName, String prefix) {
    Map<String, Tensor> sd = new LinkedHashMap<>();
    withPrefix(f, caseName, prefix).forEach((k, t) -> sd.put(k, tensor(t)));
    return sd;
  }

  /** A config number list as doubles. */
  static double[] doubles(Object list) {
    return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
  }
}
