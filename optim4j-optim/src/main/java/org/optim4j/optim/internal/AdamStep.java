package org.optim4j.optim.internal;

import org.optim4j.tensor.DType;

/**
 * An Adam (or AdamW) step around {@link AdamFloatKernels}: the scalars PyTorch computes once per parameter
 * and step, the kernel call for either dtype, and the multi-tensor apply over a group's {@link Segments}.
 * {@code Functional.adam} (the per-tensor path) and the optimizers' default multi-tensor path both go
 * through {@link #scalars} and {@link #kernel}, so they agree bit for bit.
 *
 * <p>Segments: {@link Segments#A} {@code exp_avg}, {@link Segments#B} {@code exp_avg_sq}, {@link Segments#C}
 * {@code max_exp_avg_sq} (AMSGrad only), {@link Segments#STEP} {@code step}. The moments of a float32
 * parameter may be bfloat16 tensors ({@code state_dtype="bfloat16"}): the multi-tensor path then runs
 * {@link Bf16StateKernels}; the per-tensor path decodes them into float32 copies, runs the float32 kernel and
 * rounds them back, which gives the same bits.
 */
public final class AdamStep implements Segments.Kernel {
  /** The number of per-parameter scalars. */
  public static final int SCALARS = 6;

  private static final int DECAY_FACTOR = 0;
  private static final int ONE_MINUS_BETA1 = 1;
  private static final int BETA2 = 2;
  private static final int ONE_MINUS_BETA2 = 3;
  private static final int BIAS_CORRECTION2_SQRT = 4;
  private static final int NEG_STEP_SIZE = 5;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private boolean decoupled;
  private double weightDecay;
  private double eps;

  /**
   * The scalars of a parameter of dtype {@code dt} at step {@code step}, into {@code c}: with float
   * hyper-parameters in double precision as PyTorch's Python code computes them, with tensor ones rounding
   * as PyTorch's 0-dim tensor arithmetic ({@link Hyper}).
   */
  public static void scalars(double step, Object lr, Object beta1, Object beta2, DType dt, double weightDecay,
      boolean decoupled, double[] c) {
    if (lr instanceof Number lrN && beta1 instanceof Number beta1N && beta2 instanceof Number beta2N) {
      double lrV = lrN.doubleValue();
      double b1 = beta1N.doubleValue();
      double b2 = beta2N.doubleValue();
      c[DECAY_FACTOR] = weightDecay != 0 && decoupled ? 1 - lrV * weightDecay : 1;
      c[ONE_MINUS_BETA1] = 1 - b1;
      c[BETA2] = b2;
      c[ONE_MINUS_BETA2] = 1 - b2;
      c[BIAS_CORRECTION2_SQRT] = Math.sqrt(1 - Math.pow(b2, step));
      c[NEG_STEP_SIZE] = -(lrV / (1 - Math.pow(b1, step)));
    } else {
      hyperScalars(step, Hyper.of(lr, "lr"), Hyper.of(beta1, "beta1"), Hyper.of(beta2, "beta2"), dt, weightDecay,
          decoupled, c);
    }
  }

  /** {@link #scalars} through {@link Hyper}, for any mix of float and tensor hyper-parameters. */
  static void hyperScalars(double step, Hyper lr, Hyper beta1, Hyper beta2, DType dt, double weightDecay,
      boolean decoupled, double[] c) {
    c[DECAY_FACTOR] = weightDecay != 0 && decoupled ? lr.mul(Hyper.of(weightDecay)).rsub(1).value() : 1;
    c[ONE_MINUS_BETA1] = beta1.to(dt).rsub(1).value();
    c[BETA2] = beta2.value();
    c[ONE_MINUS_BETA2] = beta2.rsub(1).value();
    c[BIAS_CORRECTION2_SQRT] = beta2.pow(step).rsub(1).sqrt().value();
    c[NEG_STEP_SIZE] = lr.div(beta1.pow(step).rsub(1)).neg().value();
  }

  /**
   * {@link AdamFloatKernels#step} (its float64 twin for {@code double[]} arrays, its bfloat16-state variant
   * for {@code short[]} state) over {@code [from, to)} with the scalars {@code c}, each rounded to the element
   * type.
   *
   * @param maxExpAvgSq null without AMSGrad
   */
  public static void kernel(Object param, Object grad, Object expAvg, Object expAvgSq, Object maxExpAvgSq, int from,
      int to, boolean maximize, double weightDecay, boolean decoupled, double eps, double[] c) {
    boolean decay = weightDecay != 0;
    if (param instanceof float[] p && expAvg instanceof short[] m) {
      Bf16StateKernels.INSTANCE.adam(p, (float[]) grad, m, (short[]) expAvgSq, (short[]) maxExpAvgSq, from, to,
          maximize, decay, decoupled, (float) weightDecay, (float) c[DECAY_FACTOR], (float) c[ONE_MINUS_BETA1],
          (float) c[BETA2], (float) c[ONE_MINUS_BETA2], (float) c[BIAS_CORRECTION2_SQRT], (float) eps,
          (float) c[NEG_STEP_SIZE]);
    } else if (param instanceof float[] p) {
      AdamFloatKernels.step(p, (float[]) grad, (float[]) expAvg, (float[]) expAvgSq, (float[]) maxExpAvgSq, from,
          to, maximize, decay, decoupled, (float) weightDecay, (float) c[DECAY_FACTOR], (float) c[ONE_MINUS_BETA1],
          (float) c[BETA2], (float) c[ONE_MINUS_BETA2], (float) c[BIAS_CORRECTION2_SQRT], (float) eps,
          (float) c[NEG_STEP_SIZE]);
    } else {
      AdamDoubleKernels.step((double[]) param, (double[]) grad, (double[]) expAvg, (double[]) expAvgSq,
          (double[]) maxExpAvgSq, from, to, maximize, decay, decoupled, weightDecay, c[DECAY_FACTOR],
          c[ONE_MINUS_BETA1], c[BETA2], c[ONE_MINUS_BETA2], c[BIAS_CORRECTION2_SQRT], eps, c[NEG_STEP_SIZE]);
    }
  }

  /**
   * One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}): each
   * {@code step} incremented, each parameter's scalars computed, then one kernel call over all segments.
   */
  public void step(Segments s, Object lr, Object beta1, Object beta2, double weightDecay, double eps,
      boolean maximize, boolean decoupled) {
    if (!(lr instanceof Number && beta1 instanceof Number && beta2 instanceof Number)) {
      hyperScalars(1, Hyper.of(lr, "lr"), Hyper.of(beta1, "beta1"), Hyper.of(beta2, "beta2"), DType.FLOAT32,
          weightDecay, decoupled, new double[SCALARS]); // rejects a bad value before any step is counted
    }
    for (int i = 0; i < s.size(); i++) {
      double step = ScalarTensors.increment(s.tensor(Segments.STEP, i));
      scalars(step, lr, beta1, beta2, s.tensor(Segments.PARAM, i).dtype(), weightDecay, decoupled, s.scalars(i));
    }
    this.maximize = maximize;
    this.decoupled = decoupled;
    this.weightDecay = weightDecay;
    this.eps = eps;
    s.apply(this);
  }

  @Override
  public void run(Segments s, int i, int from, int to) {
    kernel(s.array(Segments.PARAM, i), s.array(Segments.GRAD, i), s.array(Segments.A, i), s.array(Segments.B, i),
        s.array(Segments.C, i), from, to, maximize, weightDecay, decoupled, eps, s.scalars(i));
  }
}
