package org.optim4j.tensor.internal;

import static org.optim4j.tensor.internal.KernelOps.*;

/**
 * Element-wise kernels over contiguous ranges of primitive storage.
 *
 * <p>This file is the single source for both floating dtypes: the float64 twin is @derived-from-float.
 * Semantics follow PyTorch's CPU kernels (torch-optim-spec.md §2.11): a scalar operand is rounded to the
 * tensor dtype before the operation; {@code add(b, alpha)}, {@code addcmul} and {@code lerp} are fused
 * multiply-adds; {@code addcdiv} is not. Transcendental functions are evaluated in double precision and
 * rounded once. The switch on the operation code sits outside each loop, so every loop body is a plain
 * indexed expression the JIT can vectorise.
 */
@SuppressWarnings("cast") // the casts are needed in the float source and redundant in its double twin
public final class ElementwiseFloatKernels {
  private ElementwiseFloatKernels() {}

  /** {@code out[i] = a[i] op b[i]} for {@code i < n}. */
  public static void binary(int op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    switch (op) {
      case ADD:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] + b[bo + i];
        }
        break;
      case SUB:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] - b[bo + i];
        }
        break;
      case MUL:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] * b[bo + i];
        }
        break;
      case DIV:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] / b[bo + i];
        }
        break;
      case POW:
        for (int i = 0; i < n; i++) {
          out[oo + i] = (float) pow(a[ao + i], b[bo + i]);
        }
        break;
      case MAXIMUM:
        for (int i = 0; i < n; i++) {
          out[oo + i] = Math.max(a[ao + i], b[bo + i]);
        }
        break;
      case MINIMUM:
        for (int i = 0; i < n; i++) {
          out[oo + i] = Math.min(a[ao + i], b[bo + i]);
        }
        break;
      default:
        throw new IllegalArgumentException("binary op " + op);
    }
  }

  /** {@code out[i] = a[i] op s} for {@code i < n}; reversed codes compute {@code s op a[i]}. */
  public static void binaryScalar(int op, float[] a, int ao, float s, float[] out, int oo, int n) {
    switch (op) {
      case ADD:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] + s;
        }
        break;
      case SUB:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] - s;
        }
        break;
      case MUL:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] * s;
        }
        break;
      case DIV:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] / s;
        }
        break;
      case POW:
        powScalar(a, ao, s, out, oo, n);
        break;
      case MAXIMUM:
        for (int i = 0; i < n; i++) {
          out[oo + i] = Math.max(a[ao + i], s);
        }
        break;
      case MINIMUM:
        for (int i = 0; i < n; i++) {
          out[oo + i] = Math.min(a[ao + i], s);
        }
        break;
      case RSUB:
        for (int i = 0; i < n; i++) {
          out[oo + i] = s - a[ao + i];
        }
        break;
      case RDIV:
        for (int i = 0; i < n; i++) {
          out[oo + i] = s / a[ao + i];
        }
        break;
      case RPOW:
        for (int i = 0; i < n; i++) {
          out[oo + i] = (float) pow(s, a[ao + i]);
        }
        break;
      default:
        throw new IllegalArgumentException("binary op " + op);
    }
  }

  private static void powScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
    if (s == 2) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = a[ao + i] * a[ao + i];
      }
    } else if (s == 1) {
      System.arraycopy(a, ao, out, oo, n);
    } else if (s == 0.5) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = (float) Math.sqrt(a[ao + i]);
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[oo + i] = (float) pow(a[ao + i], s);
      }
    }
  }

  private static double pow(double x, double y) {
    return Math.pow(x, y);
  }

  /** {@code out[i] = a[i] cmp b[i]} for {@code i < n}, with the comparison codes of {@link KernelOps}. */
  public static void compare(int cmp, float[] a, int ao, float[] b, int bo, boolean[] out, int oo, int n) {
    switch (cmp) {
      case EQ:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] == b[bo + i];
        }
        break;
      case NE:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] != b[bo + i];
        }
        break;
      case GT:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] > b[bo + i];
        }
        break;
      case LT:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] < b[bo + i];
        }
        break;
      case GE:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] >= b[bo + i];
        }
        break;
      case LE:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] <= b[bo + i];
        }
        break;
      default:
        throw new IllegalArgumentException("comparison " + cmp);
    }
  }

  /** {@code out[i] = a[i] cmp s} for {@code i < n}. */
  public static void compareScalar(int cmp, float[] a, int ao, float s, boolean[] out, int oo, int n) {
    switch (cmp) {
      case EQ:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] == s;
        }
        break;
      case NE:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] != s;
        }
        break;
      case GT:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] > s;
        }
        break;
      case LT:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] < s;
        }
        break;
      case GE:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] >= s;
        }
        break;
      case LE:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] <= s;
        }
        break;
      default:
        throw new IllegalArgumentException("comparison " + cmp);
    }
  }

  /** {@code out[i] = op(a[i])} for {@code i < n}. */
  public static void unary(int op, float[] a, int ao, float[] out, int oo, int n) {
    switch (op) {
      case NEG:
        for (int i = 0; i < n; i++) {
          out[oo + i] = -a[ao + i];
        }
        break;
      case SQRT:
        for (int i = 0; i < n; i++) {
          out[oo + i] = (float) Math.sqrt(a[ao + i]);
        }
        break;
      case RSQRT:
        for (int i = 0; i < n; i++) {
          out[oo + i] = (float) (1 / Math.sqrt(a[ao + i]));
        }
        break;
      case EXP:
        for (int i = 0; i < n; i++) {
          out[oo + i] = (float) Math.exp(a[ao + i]);
        }
        break;
      case LOG:
        for (int i = 0; i < n; i++) {
          out[oo + i] = (float) Math.log(a[ao + i]);
        }
        break;
      case ABS:
        for (int i = 0; i < n; i++) {
          out[oo + i] = Math.abs(a[ao + i]);
        }
        break;
      case SIGN:
        for (int i = 0; i < n; i++) {
          float x = a[ao + i];
          out[oo + i] = x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : x;
        }
        break;
      case RELU:
        // Math.max propagates NaN and maps -0 to +0, as PyTorch's clamp_min(0); C2 vectorises it.
        for (int i = 0; i < n; i++) {
          out[oo + i] = Math.max(a[ao + i], 0);
        }
        break;
      case SIGMOID:
        for (int i = 0; i < n; i++) {
          out[oo + i] = (float) (1 / (1 + Math.exp(-(double) a[ao + i])));
        }
        break;
      case TANH:
        for (int i = 0; i < n; i++) {
          out[oo + i] = (float) Math.tanh(a[ao + i]);
        }
        break;
      case SQUARE:
        for (int i = 0; i < n; i++) {
          out[oo + i] = a[ao + i] * a[ao + i];
        }
        break;
      case RECIPROCAL:
        for (int i = 0; i < n; i++) {
          out[oo + i] = 1 / a[ao + i];
        }
        break;
      default:
        throw new IllegalArgumentException("unary op " + op);
    }
  }

  /** {@code out[i] = fma(b[i], alpha, a[i])}: PyTorch's {@code a.add(b, alpha=alpha)}. */
  public static void addScaled(float[] a, int ao, float[] b, int bo, float alpha, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      out[oo + i] = Math.fma(b[bo + i], alpha, a[ao + i]);
    }
  }

  /** {@code out[i] = fma(value * b[i], c[i], a[i])}: PyTorch's {@code addcmul}. */
  public static void addcmul(float[] a, int ao, float[] b, int bo, float[] c, int co, float value, float[] out, int oo,
      int n) {
    for (int i = 0; i < n; i++) {
      out[oo + i] = Math.fma(value * b[bo + i], c[co + i], a[ao + i]);
    }
  }

  /** {@code out[i] = a[i] + (value * b[i]) / c[i]}: PyTorch's {@code addcdiv} (no fma). */
  public static void addcdiv(float[] a, int ao, float[] b, int bo, float[] c, int co, float value, float[] out, int oo,
      int n) {
    for (int i = 0; i < n; i++) {
      out[oo + i] = a[ao + i] + (value * b[bo + i]) / c[co + i];
    }
  }

  /** PyTorch's {@code lerp(a, b, w)} with a scalar weight. */
  public static void lerp(float[] a, int ao, float[] b, int bo, float w, float[] out, int oo, int n) {
    if (Math.abs(w) < 0.5) {
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.fma(w, b[bo + i] - a[ao + i], a[ao + i]);
      }
    } else {
      float wm1 = w - 1;
      for (int i = 0; i < n; i++) {
        out[oo + i] = Math.fma(wm1, b[bo + i] - a[ao + i], b[bo + i]);
      }
    }
  }

  /** PyTorch's {@code lerp(a, b, w)} with a tensor weight. */
  public static void lerp(float[] a, int ao, float[] b, int bo, float[] w, int wo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      float wi = w[wo + i];
      float diff = b[bo + i] - a[ao + i];
      out[oo + i] = Math.abs(wi) < 0.5 ? Math.fma(wi, diff, a[ao + i]) : Math.fma(wi - 1, diff, b[bo + i]);
    }
  }

  /** {@code out[i] = min(max(a[i], lo), hi)}, NaN-propagating; pass ±infinity for an absent bound. */
  public static void clamp(float[] a, int ao, float lo, float hi, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      out[oo + i] = Math.min(Math.max(a[ao + i], lo), hi);
    }
  }

  /** {@code out[i] = cond[i] ? a[i] : b[i]}. */
  public static void where(boolean[] cond, int co, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      out[oo + i] = cond[co + i] ? a[ao + i] : b[bo + i];
    }
  }

  /** {@code out[i] = a[i] * (mask[i] ? scale : 0)}: dropout's forward and backward. */
  public static void maskScale(float[] a, int ao, boolean[] mask, int mo, float scale, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      out[oo + i] = mask[mo + i] ? a[ao + i] * scale : 0;
    }
  }

  /**
   * {@code out[i] = x[i] <= 0 ? 0 : g[i]}: ReLU's backward from its output x, PyTorch's
   * {@code threshold_backward} (a NaN output passes the gradient), without a branch.
   */
  public static void reluBackward(float[] g, int go, float[] x, int xo, float[] out, int oo, int n) {
    for (int i = 0; i < n; i++) {
      out[oo + i] = Select.thresholdGrad(g[go + i], x[xo + i]);
    }
  }

  /**
   * Sum of {@code a[ao + i*stride]} over {@code i < n}, accumulated in double: eight partial sums over
   * the positions i ≡ 0 … 7 (mod 8), added pairwise, then the left-over positions in order. The
   * partial sums are independent chains, so the loop runs at the adder's throughput, not its latency.
   */
  public static double sum(float[] a, int ao, int stride, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      int at = ao + i * stride;
      s0 += a[at];
      s1 += a[at + stride];
      s2 += a[at + 2 * stride];
      s3 += a[at + 3 * stride];
      s4 += a[at + 4 * stride];
      s5 += a[at + 5 * stride];
      s6 += a[at + 6 * stride];
      s7 += a[at + 7 * stride];
    }
    double s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    for (; i < n; i++) {
      s += a[ao + i * stride];
    }
    return s;
  }

  /** Fills {@code out[oo .. oo+n)} with {@code v}. */
  public static void fill(float[] out, int oo, int n, float v) {
    java.util.Arrays.fill(out, oo, oo + n, v);
  }
}
