package org.optim4j.tensor.internal;

/** Operation codes shared by the element-wise kernels; the switch on them sits outside every loop. */
public final class KernelOps {
  /** {@code a + b}. */
  public static final int ADD = 0;
  /** {@code a - b}. */
  public static final int SUB = 1;
  /** {@code a * b}. */
  public static final int MUL = 2;
  /** {@code a / b} (true division). */
  public static final int DIV = 3;
  /** {@code a ** b}. */
  public static final int POW = 4;
  /** {@code max(a, b)}, NaN-propagating. */
  public static final int MAXIMUM = 5;
  /** {@code min(a, b)}, NaN-propagating. */
  public static final int MINIMUM = 6;
  /** {@code b - a} (reversed subtraction, for scalar-first forms). */
  public static final int RSUB = 7;
  /** {@code b / a} (reversed division). */
  public static final int RDIV = 8;
  /** {@code b ** a} (reversed power). */
  public static final int RPOW = 9;

  /** {@code -a}. */
  public static final int NEG = 0;
  /** {@code sqrt(a)}. */
  public static final int SQRT = 1;
  /** {@code 1 / sqrt(a)}. */
  public static final int RSQRT = 2;
  /** {@code exp(a)}. */
  public static final int EXP = 3;
  /** {@code log(a)}. */
  public static final int LOG = 4;
  /** {@code |a|}. */
  public static final int ABS = 5;
  /** {@code sign(a)}. */
  public static final int SIGN = 6;
  /** {@code max(a, 0)}. */
  public static final int RELU = 7;
  /** {@code 1 / (1 + exp(-a))}. */
  public static final int SIGMOID = 8;
  /** {@code tanh(a)}. */
  public static final int TANH = 9;
  /** {@code a * a}. */
  public static final int SQUARE = 10;
  /** {@code 1 / a}. */
  public static final int RECIPROCAL = 11;

  /** {@code a == b}. */
  public static final int EQ = 0;
  /** {@code a != b}. */
  public static final int NE = 1;
  /** {@code a > b}. */
  public static final int GT = 2;
  /** {@code a < b}. */
  public static final int LT = 3;
  /** {@code a >= b}. */
  public static final int GE = 4;
  /** {@code a <= b}. */
  public static final int LE = 5;

  private KernelOps() {}
}
