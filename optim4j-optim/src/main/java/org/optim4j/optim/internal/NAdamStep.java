package org.optim4j.optim.internal;

import org.optim4j.tensor.Tensor;

/**
 * A NAdam step around {@link NAdamFloatKernels}: the momentum schedule and the coefficients PyTorch computes
 * once per parameter and step, the kernel call for either dtype, and the multi-tensor apply over a group's
 * {@link Segments}; shared with {@code Functional.nadam} (the per-tensor path).
 *
 * <p>Segments: {@link Segments#A} {@code exp_avg}, {@link Segments#B} {@code exp_avg_sq},
 * {@link Segments#STEP} {@code step}, {@link Segments#X} {@code mu_product}.
 */
public final class NAdamStep implements Segments.Kernel {
  /** The number of per-parameter scalars. */
  public static final int SCALARS = 4;

  private static final int DECAY_FACTOR = 0;
  private static final int BIAS_CORRECTION2 = 1;
  private static final int GRAD_COEF = 2;
  private static final int EXP_AVG_COEF = 3;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private boolean decoupled;
  private double weightDecay;
  private double beta1;
  private double beta2;
  private double eps;

  /**
   * The scalars of a parameter at step {@code step}, into {@code c}; multiplies its {@code mu_product} by
   * μ_t (in the tensor's dtype, float32 as PyTorch creates it, which is what keeps PyTorch's coefficients).
   */
  public static void scalars(double step, Tensor muProduct, Object lr, double beta1, double beta2,
      double weightDecay, double momentumDecay, boolean decoupled, double[] c) {
    double mu = beta1 * (1.0 - 0.5 * Math.pow(0.96, step * momentumDecay));
    double muNext = beta1 * (1.0 - 0.5 * Math.pow(0.96, (step + 1) * momentumDecay));
    double muProductValue = ScalarTensors.mul(muProduct, mu);
    double muProductNext = muProductValue * muNext;
    c[BIAS_CORRECTION2] = 1 - Math.pow(beta2, step);
    if (lr instanceof Number n) {
      double lrV = n.doubleValue();
      c[DECAY_FACTOR] = weightDecay != 0 && decoupled ? 1 - lrV * weightDecay : 1;
      c[GRAD_COEF] = -lrV * (1.0 - mu) / (1.0 - muProductValue);
      c[EXP_AVG_COEF] = -lrV * muNext / (1.0 - muProductNext);
    } else {
      Hyper lrH = Hyper.of(lr, "lr");
      c[DECAY_FACTOR] = weightDecay != 0 && decoupled ? lrH.mul(Hyper.of(weightDecay)).rsub(1).value() : 1;
      c[GRAD_COEF] = lrH.neg().mul(Hyper.of(1.0 - mu)).div(Hyper.of(1.0 - muProductValue)).value();
      c[EXP_AVG_COEF] = lrH.neg().mul(Hyper.of(muNext)).div(Hyper.of(1.0 - muProductNext)).value();
    }
  }

  /** {@link NAdamFloatKernels#step} (or its float64 twin) over {@code [from, to)} with the scalars {@code c}. */
  public static void kernel(Object param, Object grad, Object expAvg, Object expAvgSq, int from, int to,
      boolean maximize, double weightDecay, boolean decoupled, double beta1, double beta2, double eps, double[] c) {
    boolean decay = weightDecay != 0;
    if (param instanceof float[] p) {
      NAdamFloatKernels.step(p, (float[]) grad, (float[]) expAvg, (float[]) expAvgSq, from, to, maximize, decay,
          decoupled, (float) weightDecay, (float) c[DECAY_FACTOR], (float) (1 - beta1), (float) beta2,
          (float) (1 - beta2), (float) c[BIAS_CORRECTION2], (float) eps, (float) c[GRAD_COEF],
          (float) c[EXP_AVG_COEF]);
    } else {
      NAdamDoubleKernels.step((double[]) param, (double[]) grad, (double[]) expAvg, (double[]) expAvgSq, from, to,
          maximize, decay, decoupled, weightDecay, c[DECAY_FACTOR], 1 - beta1, beta2, 1 - beta2,
          c[BIAS_CORRECTION2], eps, c[GRAD_COEF], c[EXP_AVG_COEF]);
    }
  }

  /** One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}). */
  public void step(Segments s, double beta1, double beta2, Object lr, double weightDecay, double momentumDecay,
      double eps, boolean maximize, boolean decoupled) {
    if (!(lr instanceof Number)) {
      Hyper.of(lr, "lr");
    }
    for (int i = 0; i < s.size(); i++) {
      double step = ScalarTensors.increment(s.tensor(Segments.STEP, i));
      scalars(step, s.tensor(Segments.X, i), lr, beta1, beta2, weightDecay, momentumDecay, decoupled, s.scalars(i));
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
