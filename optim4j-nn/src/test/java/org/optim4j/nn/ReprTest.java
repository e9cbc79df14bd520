package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Python-style formatting against the strings Python 3.11 prints. */
class ReprTest {

  /** {@code repr(v)} in Python for each value. */
  private static final Object[][] FLOATS = {
    {"0.5", 0.5}, {"0.2", 0.2}, {"0.1", 0.1}, {"1.0", 1.0}, {"1e-05", 1E-05}, {"0.0001", 0.0001},
    {"0.001", 0.001}, {"1e-06", 1E-06}, {"1e-08", 1E-08}, {"1e+16", 1E+16},
    {"1000000000000000.0", 1000000000000000.0}, {"1.2345678901234568e+17", 1.2345678901234568E+17},
    {"-0.0", -0.0}, {"0.0", 0.0}, {"-2.5", -2.5}, {"3.0", 3.0}, {"0.3333333333333333", 0.3333333333333333},
    {"0.6666666666666666", 0.6666666666666666}, {"5e-324", 5E-324},
    {"1.7976931348623157e+308", 1.7976931348623157E+308}, {"0.30000000000000004", 0.30000000000000004},
    {"100.0", 100.0}, {"12345.678", 12345.678}, {"1.5e-07", 1.5E-07}, {"inf", Double.POSITIVE_INFINITY},
    {"-inf", Double.NEGATIVE_INFINITY}, {"nan", Double.NaN}, {"0.9", 0.9}, {"0.999", 0.999},
    {"5.684341886080802e-14", 5.684341886080802E-14}, {"9007199254740992.0", 9007199254740992.0},
    {"1e+22", 1E+22}, {"1e+23", 1E+23}, {"0.7999999999999999", 0.7999999999999999},
  };

  @Test
  void pyFloatMatchesPythonRepr() {
    for (Object[] row : FLOATS) {
      assertEquals(row[0], Repr.pyFloat((Double) row[1]), "repr of " + row[1]);
    }
  }

  @Test
  void tuplesSizesAndIndentation() {
    assertEquals("(1, 2)", Repr.tuple(1, 2));
    assertEquals("(3,)", Repr.tuple(3));
    assertEquals("()", Repr.tuple());
    assertEquals("torch.Size([2, 3])", Repr.torchSize(new int[] {2, 3}));
    assertEquals("torch.Size([])", Repr.torchSize(new int[0]));
    assertEquals("True", Repr.bool(true));
    assertEquals("one line", Repr.addIndent("one line", 2));
    assertEquals("A(\n  x\n\n  y)", Repr.addIndent("A(\nx\n\ny)", 2));
  }
}
