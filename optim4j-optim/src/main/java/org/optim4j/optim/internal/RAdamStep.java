package org.optim4j.optim.internal;

/**
 * A RAdam step around {@link RAdamFloatKernels}: the bias corrections, ρ_t and the rectification term
 * PyTorch computes once per parameter and step, the kernel call for either dtype, and the multi-tensor apply
 * over a group's {@link Segments}; shared with {@code Functional.radam} (the per-tensor path).
 *
 * <p>Segments: {@link Segments#A} {@code exp_avg}, {@link Segments#B} {@code exp_avg_sq},
 * {@link Segments#STEP} {@code step}.
 */
public final class RAdamStep implements Segments.Kernel {
  /** The number of per-parameter scalars. */
  public static final int SCALARS = 6;

  private static final int DECAY_FACTOR = 0;
  private static final int BIAS_CORRECTION1 = 1;
  private static final int RECTIFY = 2;
  private static final int BIAS_CORRECTION2_SQRT = 3;
  private static final int RECT = 4;
  private static final int LR = 5;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private boolean decoupled;
  private double weightDecay;
  private double beta1;
  private double beta2;
  private double eps;

  /** The scalars of a parameter at step {@code step}, into {@code c} ({@code c[RECTIFY]} is 1 while ρ_t &gt; 5). */
  public static void scalars(double step, Object lr, double beta1, double beta2, double weightDecay,
      boolean decoupled, double[] c) {
    double biasCorrection2 = 1 - Math.pow(beta2, step);
    double rhoInf = 2 / (1 - beta2) - 1;
    double rhoT = rhoInf - 2 * step * Math.pow(beta2, step) / biasCorrection2;
    boolean rectify = rhoT > 5.0;
    c[BIAS_CORRECTION1] = 1 - Math.pow(beta1, step);
    c[RECTIFY] = rectify ? 1 : 0;
    c[RECT] = rectify ? Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 1;
    c[BIAS_CORRECTION2_SQRT] = Math.sqrt(biasCorrection2);
    if (lr instanceof Number n) {
      c[LR] = n.doubleValue();
      c[DECAY_FACTOR] = weightDecay != 0 && decoupled ? 1 - c[LR] * weightDecay : 1;
    } else {
      Hyper lrH = Hyper.of(lr, "lr");
      c[LR] = lrH.value();
      c[DECAY_FACTOR] = weightDecay != 0 && decoupled ? lrH.mul(Hyper.of(weightDecay)).rsub(1).value() : 1;
    }
  }

  /** {@link RAdamFloatKernels#step} (or its float64 twin) over {@code [from, to)} with the scalars {@code c}. */
  public static void kernel(Object param, Object grad, Object expAvg, Object expAvgSq, int from, int to,
      boolean maximize, double weightDecay, boolean decoupled, double beta1, double beta2, double eps, double[] c) {
    boolean decay = weightDecay != 0;
    boolean rectify = c[RECTIFY] != 0;
    if (param instanceof float[] p) {
      RAdamFloatKernels.step(p, (float[]) grad, (float[]) expAvg, (float[]) expAvgSq, from, to, maximize, decay,
          decoupled, (float) weightDecay, (float) c[DECAY_FACTOR], (float) (1 - beta1), (float) beta2,
          (float) (1 - beta2), (float) c[BIAS_CORRECTION1], (float) c[LR], rectify, (float) c[BIAS_CORRECTION2_SQRT],
          (float) eps, (float) c[RECT]);
    } else {
      RAdamDoubleKernels.step((double[]) param, (double[]) grad, (double[]) expAvg, (double[]) expAvgSq, from, to,
          maximize, decay, decoupled, weightDecay, c[DECAY_FACTOR], 1 - beta1, beta2, 1 - beta2, c[BIAS_CORRECTION1],
          c[LR], rectify, c[BIAS_CORRECTION2_SQRT], eps, c[RECT]);
    }
  }

  /** One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}). */
  public void step(Segments s, double beta1, double beta2, Object lr, double weightDecay, double eps,
      boolean maximize, boolean decoupled) {
    if (!(lr instanceof Number)) {
      Hyper.of(lr, "lr");
    }
    for (int i = 0; i < s.size(); i++) {
      double step = ScalarTensors.increment(s.tensor(Segments.STEP, i));
      scalars(step, lr, beta1, beta2, weightDecay, decoupled, s.scalars(i));
    }
    this.maximize = maximize;
    this.decoupled = decoupled;
    this.weightDecay = weightDecay;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    s.apply(this);
  }

  @Override
  public void run(Segments s, int i, int from, int to) {
    kernel(s.array(Segments.PARAM, i), s.array(Segments.GRAD, i), s.array(Segments.A, i), s.array(Segments.B, i),
        from, to, maximize, weightDecay, decoupled, beta1, beta2, eps, s.scalars(i));
  }
}
