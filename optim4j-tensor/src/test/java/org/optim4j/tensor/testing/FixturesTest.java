package org.optim4j.tensor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixture loader and the tolerance rule, on the seed's linear regression. */
class FixturesTest {

  private static final Fixtures LINREG = Fixtures.load("engine/linreg.json");

  @Test
  void loadsCasesInFileOrderWithConfigAndTensors() {
    assertEquals(
        List.of(
            "linreg_manual_float32",
            "linreg_manual_float64",
            "linreg_sgd_float32",
            "linreg_sgd_float64"),
        LINREG.cases());
    String c = "linreg_manual_float32";
    assertEquals(5000, LINREG.config(c).get("epochs"));
    assertEquals(0.01, LINREG.config(c).get("lr"));
    List<?> epochs = (List<?>) LINREG.config(c).get("record_epochs");
    FixtureTensor losses = LINREG.tensor(c, "losses");
    assertEquals("float32", losses.dtype());
    assertArrayEquals(new int[] {epochs.size()}, losses.shape());
    assertArrayEquals(new int[] {2}, LINREG.tensor(c, "params_final").shape());
    assertArrayEquals(new double[] {1.0, 0.0}, LINREG.tensor(c, "params_init").data());
  }

  /** The fixture agrees with the numbers the seed slides print (to their printed digits). */
  @Test
  void linearRegressionMatchesTheSeedPrintout() {
    for (String c : LINREG.cases()) {
      double[] losses = LINREG.tensor(c, "losses").data();
      double[] params = LINREG.tensor(c, "params_final").data();
      assertEquals(2.927647, losses[losses.length - 1], 5e-7, c);
      assertEquals(5.3671, params[0], 5e-5, c);
      assertEquals(-17.3012, params[1], 5e-5, c);
    }
  }

  @Test
  void exactValuesPassAndPerturbedValuesFail() {
    for (String c : List.of("linreg_sgd_float32", "linreg_sgd_float64")) {
      FixtureTensor expected = LINREG.tensor(c, "params_at");
      double rtol = Tolerance.rtol(expected.dtype());
      double s = expected.rms();
      double[] exact = expected.data();
      Tolerance.assertClose(c, exact, expected);

      double[] inside = expected.data();
      inside[3] += 0.5 * rtol * Math.max(Math.abs(inside[3]), s);
      Tolerance.assertClose(c, inside, expected);

      double[] outside = expected.data();
      outside[3] += 2.0 * rtol * Math.max(Math.abs(outside[3]), s);
      AssertionError e =
          assertThrows(AssertionError.class, () -> Tolerance.assertClose(c, outside, expected));
      assertTrue(e.getMessage().contains("[3]"), e.getMessage());

      assertThrows(
          AssertionError.class,
          () -> Tolerance.assertClose(c, new double[exact.length - 1], expected));
    }
  }

  @Test
  void scalarsUseScaleOneAndFloat32IsLooserThanFloat64() {
    Tolerance.assertClose("loss", 2.0 + 0.5e-6, 2.0, "float32");
    assertThrows(AssertionError.class, () -> Tolerance.assertClose("loss", 2.0 + 0.5e-6, 2.0, "float64"));
    Tolerance.assertClose("near zero", 0.5e-6, 0.0, "float32");
    assertThrows(AssertionError.class, () -> Tolerance.assertClose("near zero", 2e-6, 0.0, "float32"));
  }

  @Test
  void nanMatchesOnlyNanAndIntegersMustBeExact() {
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    Tolerance.assertClose("nan", new double[] {nan, inf, 1.0}, new double[] {nan, inf, 1.0}, "float64");
    assertThrows(
        AssertionError.class,
        () -> Tolerance.assertClose("nan", new double[] {0.0}, new double[] {nan}, "float64"));
    assertThrows(
        AssertionError.class,
        () -> Tolerance.assertClose("inf", new double[] {1e308}, new double[] {inf}, "float64"));
    assertThrows(
        AssertionError.class,
        () -> Tolerance.assertClose("idx", new double[] {3.0, 4.0}, new double[] {3.0, 5.0}, "int64"));
  }

  @Test
  void missingNamesFailNamingFileCaseAndTensor() {
    AssertionError noTensor =
        assertThrows(AssertionError.class, () -> LINREG.tensor("linreg_sgd_float32", "nope"));
    assertTrue(noTensor.getMessage().contains("engine/linreg.json"), noTensor.getMessage());
    assertTrue(noTensor.getMessage().contains("linreg_sgd_float32"), noTensor.getMessage());
    assertTrue(noTensor.getMessage().contains("nope"), noTensor.getMessage());
    AssertionError noCase = assertThrows(AssertionError.class, () -> LINREG.config("nope_case"));
    assertTrue(noCase.getMessage().contains("nope_case"), noCase.getMessage());
    assertThrows(AssertionError.class, () -> Fixtures.load("engine/no_such_file.json"));
  }
}
