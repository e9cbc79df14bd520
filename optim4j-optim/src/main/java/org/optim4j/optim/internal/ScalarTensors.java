package org.optim4j.optim.internal;

import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.internal.RawAccess;

/**
 * The optimizers' 0-dim state tensors ({@code step}, ASGD's {@code eta} and {@code mu}, NAdam's
 * {@code mu_product}) read and updated in place with PyTorch's rounding, without allocating when the tensor
 * owns its float32 or float64 element and does not require grad; any other tensor goes through the tensor
 * operations themselves. Both the per-tensor and the multi-tensor paths use these.
 */
public final class ScalarTensors {
  private ScalarTensors() {}

  /** Whether {@code t} is read and written through its array (a one-element float32 or float64 owner). */
  public static boolean raw(Tensor t) {
    if (t == null || t.requiresGrad()) {
      return false;
    }
    Object a = RawAccess.wholeArray(t);
    return a instanceof float[] f && f.length == 1 || a instanceof double[] d && d.length == 1;
  }

  /** {@code t += 1}, PyTorch's {@code step_t += 1}; returns the new value ({@code _get_value(step_t)}). */
  public static double increment(Tensor t) {
    Object a = RawAccess.wholeArray(t);
    if (!t.requiresGrad() && a instanceof float[] f && f.length == 1) {
      f[0] += 1;
    } else if (!t.requiresGrad() && a instanceof double[] d && d.length == 1) {
      d[0] += 1;
    } else {
      t.add_(1);
      return t.item();
    }
    RawAccess.bumpVersion(t);
    return get(t);
  }

  /** {@code t.mul_(factor)}: the factor rounded to {@code t}'s dtype, one rounding; returns the new value. */
  public static double mul(Tensor t, double factor) {
    Object a = RawAccess.wholeArray(t);
    if (!t.requiresGrad() && a instanceof float[] f && f.length == 1) {
      f[0] *= (float) factor;
    } else if (!t.requiresGrad() && a instanceof double[] d && d.length == 1) {
      d[0] *= factor;
    } else {
      t.mul_(factor);
      return t.item();
    }
    RawAccess.bumpVersion(t);
    return get(t);
  }

  /** {@code t.fill_(value)}: the value rounded to {@code t}'s dtype. */
  public static void fill(Tensor t, double value) {
    Object a = RawAccess.wholeArray(t);
    if (!t.requiresGrad() && a instanceof float[] f && f.length == 1) {
      f[0] = (float) value;
    } else if (!t.requiresGrad() && a instanceof double[] d && d.length == 1) {
      d[0] = value;
    } else {
      t.fill_(value);
      return;
    }
    RawAccess.bumpVersion(t);
  }

  /** {@code t.item()}. */
  public static double get(Tensor t) {
    Object a = RawAccess.wholeArray(t);
    if (a instanceof float[] f && f.length == 1) {
      return f[0];
    }
    if (a instanceof double[] d && d.length == 1) {
      return d[0];
    }
    return t.item();
  }
}
