package org.optim4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Python's repr of each double, as printed by CPython 3.11 (the values are given as exact hex literals). */
class PyFloatTest {
  @Test
  void matchesPythonRepr() {
    assertEquals("0.1", PyFloat.repr(0x1.999999999999ap-4));
    assertEquals("1e-05", PyFloat.repr(0x1.4f8b588e368f1p-17));
    assertEquals("1e+16", PyFloat.repr(0x1.1c37937e08000p+53));
    assertEquals("1000000000000000.0", PyFloat.repr(0x1.c6bf526340000p+49));
    assertEquals("1.2345678901234568e+17", PyFloat.repr(0x1.b69b4ba630f35p+56));
    assertEquals("0.5958214747269949", PyFloat.repr(0x1.310f832869f33p-1));
    assertEquals("10996.720901489258", PyFloat.repr(0x1.57a5c46800000p+13));
    assertEquals("1.0", PyFloat.repr(1.0));
    assertEquals("-0.0", PyFloat.repr(-0.0));
    assertEquals("5e-324", PyFloat.repr(0x0.0000000000001p-1022));
    assertEquals("1.7976931348623157e+308", PyFloat.repr(0x1.fffffffffffffp+1023));
    assertEquals("0.0001", PyFloat.repr(0x1.a36e2eb1c432dp-14));
    assertEquals("100.0", PyFloat.repr(0x1.9000000000000p+6));
    assertEquals("0.010000000000000002", PyFloat.repr(0x1.47ae147ae147cp-7));
    assertEquals("2.5e-07", PyFloat.repr(0x1.0c6f7a0b5ed8dp-22));
    assertEquals("-3.14159", PyFloat.repr(-0x1.921f9f01b866ep+1));
    assertEquals("0.3333333333333333", PyFloat.repr(0x1.5555555555555p-2));
    assertEquals("35749.28848361969", PyFloat.repr(0x1.174a93b420000p+15));
    assertEquals("9007199254740992.0", PyFloat.repr(0x1.0000000000000p+53));
    assertEquals("1.5e-05", PyFloat.repr(0x1.f75104d551d69p-17));
    assertEquals("inf", PyFloat.repr(Double.POSITIVE_INFINITY));
    assertEquals("-inf", PyFloat.repr(Double.NEGATIVE_INFINITY));
    assertEquals("nan", PyFloat.repr(Double.NaN));
  }
}
