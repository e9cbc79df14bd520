package org.optim4j.optim.internal;

/**
 * An Adadelta step around {@link AdadeltaFloatKernels}: the kernel call for either dtype, shared with
 * {@code Functional.adadelta} (the per-tensor path), and the multi-tensor apply over a group's
 * {@link Segments}.
 *
 * <p>Segments: {@link Segments#A} {@code square_avg}, {@link Segments#B} {@code acc_delta},
 * {@link Segments#STEP} {@code step} (counted, not used by the rule).
 */
public final class AdadeltaStep implements Segments.Kernel {
  /** The number of per-parameter scalars. */
  public static final int SCALARS = 0;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private double weightDecay;
  private double rho;
  private double eps;
  private double lr;

  /** {@link AdadeltaFloatKernels#step} (or its float64 twin) over {@code [from, to)}; {@code lr} is its value. */
  public static void kernel(Object param, Object grad, Object squareAvg, Object accDelta, int from, int to,
      boolean maximize, double weightDecay, double rho, double eps, double lr) {
    boolean decay = weightDecay != 0;
    if (param instanceof float[] p) {
      AdadeltaFloatKernels.step(p, (float[]) grad, (float[]) squareAvg, (float[]) accDelta, from, to, maximize,
          decay, (float) weightDecay, (float) rho, (float) (1 - rho), (float) eps, (float) -lr);
    } else {
      AdadeltaDoubleKernels.step((double[]) param, (double[]) grad, (double[]) squareAvg, (double[]) accDelta, from,
          to, maximize, decay, weightDecay, rho, 1 - rho, eps, -lr);
    }
  }

  /** One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}). */
  public void step(Segments s, Object lr, double rho, double eps, double weightDecay, boolean maximize) {
    this.lr = Hyper.valueOf(lr, "lr");
    for (int i = 0; i < s.size(); i++) {
      ScalarTensors.increment(s.tensor(Segments.STEP, i));
    }
    this.maximize = maximize;
    this.weightDecay = weightDecay;
    this.rho = rho;
    this.eps = eps;
    s.apply(this);
  }

  @Override
  public void run(Segments s, int i, int from, int to) {
    kernel(s.array(Segments.PARAM, i), s.array(Segments.GRAD, i), s.array(Segments.A, i), s.array(Segments.B, i),
        from, to, maximize, weightDecay, rho, eps, lr);
  }
}
