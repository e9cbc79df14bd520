package org.optim4j.optim.internal;

/**
 * An Adamax step around {@link AdamaxFloatKernels}: the step size PyTorch computes once per parameter and
 * step, the kernel call for either dtype, and the multi-tensor apply over a group's {@link Segments}; shared
 * with {@code Functional.adamax} (the per-tensor path).
 *
 * <p>Segments: {@link Segments#A} {@code exp_avg}, {@link Segments#B} {@code exp_inf}, {@link Segments#STEP}
 * {@code step}.
 */
public final class AdamaxStep implements Segments.Kernel {
  /** The number of per-parameter scalars: {@code negClr = -lr / (1 - beta1ᵗ)}. */
  public static final int SCALARS = 1;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private double weightDecay;
  private double beta1;
  private double beta2;
  private double eps;

  /** {@code -lr / (1 - beta1ᵗ)}; a tensor {@code lr} rounds as PyTorch's 0-dim tensor arithmetic. */
  public static double negClr(double step, Object lr, double beta1) {
    double biasCorrection = 1 - Math.pow(beta1, step);
    if (lr instanceof Number n) {
      return -(n.doubleValue() / biasCorrection);
    }
    return Hyper.of(lr, "lr").div(Hyper.of(biasCorrection)).neg().value();
  }

  /** {@link AdamaxFloatKernels#step} (or its float64 twin) over {@code [from, to)}. */
  public static void kernel(Object param, Object grad, Object expAvg, Object expInf, int from, int to,
      boolean maximize, double weightDecay, double beta1, double beta2, double eps, double negClr) {
    boolean decay = weightDecay != 0;
    if (param instanceof float[] p) {
      AdamaxFloatKernels.step(p, (float[]) grad, (float[]) expAvg, (float[]) expInf, from, to, maximize, decay,
          (float) weightDecay, (float) (1 - beta1), (float) beta2, (float) eps, (float) negClr);
    } else {
      AdamaxDoubleKernels.step((double[]) param, (double[]) grad, (double[]) expAvg, (double[]) expInf, from, to,
          maximize, decay, weightDecay, 1 - beta1, beta2, eps, negClr);
    }
  }

  /** One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}). */
  public void step(Segments s, double eps, double beta1, double beta2, Object lr, double weightDecay,
      boolean maximize) {
    if (!(lr instanceof Number)) {
      Hyper.of(lr, "lr");
    }
    for (int i = 0; i < s.size(); i++) {
      s.scalars(i)[0] = negClr(ScalarTensors.increment(s.tensor(Segments.STEP, i)), lr, beta1);
    }
    this.maximize = maximize;
    this.weightDecay = weightDecay;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    s.apply(this);
  }

  @Override
  public void run(Segments s, int i, int from, int to) {
    kernel(s.array(Segments.PARAM, i), s.array(Segments.GRAD, i), s.array(Segments.A, i), s.array(Segments.B, i),
        from, to, maximize, weightDecay, beta1, beta2, eps, s.scalars(i)[0]);
  }
}
