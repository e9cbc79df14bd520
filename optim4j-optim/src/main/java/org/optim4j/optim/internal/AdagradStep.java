package org.optim4j.optim.internal;

/**
 * An Adagrad step (dense gradients) around {@link AdagradFloatKernels}: the step size PyTorch computes once
 * per parameter and step, the kernel call for either dtype, and the multi-tensor apply over a group's
 * {@link Segments}; shared with {@code Functional.adagrad} (the per-tensor path, which also applies sparse
 * gradients).
 *
 * <p>Segments: {@link Segments#A} {@code sum}, {@link Segments#STEP} {@code step}.
 */
public final class AdagradStep implements Segments.Kernel {
  /** The number of per-parameter scalars: {@code negClr = -lr / (1 + (t − 1) lr_decay)}. */
  public static final int SCALARS = 1;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private double weightDecay;
  private double eps;

  /** {@code -lr / (1 + (t − 1) lr_decay)}; a tensor {@code lr} rounds as PyTorch's 0-dim tensor arithmetic. */
  public static double negClr(double step, Object lr, double lrDecay) {
    double decayed = 1 + (step - 1) * lrDecay;
    if (lr instanceof Number n) {
      return -(n.doubleValue() / decayed);
    }
    return Hyper.of(lr, "lr").div(Hyper.of(decayed)).neg().value();
  }

  /** {@link AdagradFloatKernels#step} (or its float64 twin) over {@code [from, to)}. */
  public static void kernel(Object param, Object grad, Object stateSum, int from, int to, boolean maximize,
      double weightDecay, double eps, double negClr) {
    boolean decay = weightDecay != 0;
    if (param instanceof float[] p) {
      AdagradFloatKernels.step(p, (float[]) grad, (float[]) stateSum, from, to, maximize, decay, (float) weightDecay,
          (float) eps, (float) negClr);
    } else {
      AdagradDoubleKernels.step((double[]) param, (double[]) grad, (double[]) stateSum, from, to, maximize, decay,
          weightDecay, eps, negClr);
    }
  }

  /** One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}). */
  public void step(Segments s, Object lr, double weightDecay, double lrDecay, double eps, boolean maximize) {
    if (!(lr instanceof Number)) {
      Hyper.of(lr, "lr");
    }
    for (int i = 0; i < s.size(); i++) {
      s.scalars(i)[0] = negClr(ScalarTensors.increment(s.tensor(Segments.STEP, i)), lr, lrDecay);
    }
    this.maximize = maximize;
    this.weightDecay = weightDecay;
    this.eps = eps;
    s.apply(this);
  }

  @Override
  public void run(Segments s, int i, int from, int to) {
    kernel(s.array(Segments.PARAM, i), s.array(Segments.GRAD, i), s.array(Segments.A, i), from, to, maximize,
        weightDecay, eps, s.scalars(i)[0]);
  }
}
