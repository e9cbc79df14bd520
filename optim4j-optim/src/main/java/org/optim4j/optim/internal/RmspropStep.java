package org.optim4j.optim.internal;

/**
 * An RMSprop step around {@link RmspropFloatKernels}: the kernel call for either dtype, shared with
 * {@code Functional.rmsprop} (the per-tensor path), and the multi-tensor apply over a group's
 * {@link Segments}.
 *
 * <p>Segments: {@link Segments#A} {@code square_avg}, {@link Segments#B} {@code grad_avg} (centered only),
 * {@link Segments#C} {@code momentum_buffer} (momentum &gt; 0 only), {@link Segments#STEP} {@code step}
 * (counted, not used by the rule).
 */
public final class RmspropStep implements Segments.Kernel {
  /** The number of per-parameter scalars. */
  public static final int SCALARS = 0;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private double weightDecay;
  private double alpha;
  private double eps;
  private double momentum;
  private double lr;

  /**
   * {@link RmspropFloatKernels#step} (or its float64 twin) over {@code [from, to)}; {@code lr} is its value.
   *
   * @param gradAvg null unless centered
   * @param momentumBuffer null unless the momentum is positive
   */
  public static void kernel(Object param, Object grad, Object squareAvg, Object gradAvg, Object momentumBuffer,
      int from, int to, boolean maximize, double weightDecay, double alpha, double eps, double momentum, double lr) {
    boolean decay = weightDecay != 0;
    if (param instanceof float[] p) {
      RmspropFloatKernels.step(p, (float[]) grad, (float[]) squareAvg, (float[]) gradAvg, (float[]) momentumBuffer,
          from, to, maximize, decay, (float) weightDecay, (float) alpha, (float) (1 - alpha), (float) eps,
          (float) momentum, (float) -lr);
    } else {
      RmspropDoubleKernels.step((double[]) param, (double[]) grad, (double[]) squareAvg, (double[]) gradAvg,
          (double[]) momentumBuffer, from, to, maximize, decay, weightDecay, alpha, 1 - alpha, eps, momentum, -lr);
    }
  }

  /** One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}). */
  public void step(Segments s, Object lr, double alpha, double eps, double weightDecay, double momentum,
      boolean maximize) {
    this.lr = Hyper.valueOf(lr, "lr");
    for (int i = 0; i < s.size(); i++) {
      ScalarTensors.increment(s.tensor(Segments.STEP, i));
    }
    this.maximize = maximize;
    this.weightDecay = weightDecay;
    this.alpha = alpha;
    this.eps = eps;
    this.momentum = momentum;
    s.apply(this);
  }

  @Override
  public void run(Segments s, int i, int from, int to) {
    kernel(s.array(Segments.PARAM, i), s.array(Segments.GRAD, i), s.array(Segments.A, i), s.array(Segments.B, i),
        s.array(Segments.C, i), from, to, maximize, weightDecay, alpha, eps, momentum, lr);
  }
}
