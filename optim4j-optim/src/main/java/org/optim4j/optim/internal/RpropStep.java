package org.optim4j.optim.internal;

/**
 * An Rprop step around {@link RpropFloatKernels}: the kernel call for either dtype, shared with
 * {@code Functional.rprop} (the per-tensor path), and the multi-tensor apply over a group's {@link Segments}.
 *
 * <p>Segments: {@link Segments#A} {@code prev}, {@link Segments#B} {@code step_size}, {@link Segments#STEP}
 * {@code step} (counted, not used by the rule).
 */
public final class RpropStep implements Segments.Kernel {
  /** The number of per-parameter scalars. */
  public static final int SCALARS = 0;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private double stepSizeMin;
  private double stepSizeMax;
  private double etaminus;
  private double etaplus;

  /** {@link RpropFloatKernels#step} (or its float64 twin) over {@code [from, to)}. */
  public static void kernel(Object param, Object grad, Object prev, Object stepSize, int from, int to,
      boolean maximize, double etaminus, double etaplus, double stepSizeMin, double stepSizeMax) {
    if (param instanceof float[] p) {
      RpropFloatKernels.step(p, (float[]) grad, (float[]) prev, (float[]) stepSize, from, to, maximize,
          (float) etaminus, (float) etaplus, (float) stepSizeMin, (float) stepSizeMax);
    } else {
      RpropDoubleKernels.step((double[]) param, (double[]) grad, (double[]) prev, (double[]) stepSize, from, to,
          maximize, etaminus, etaplus, stepSizeMin, stepSizeMax);
    }
  }

  /** One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}). */
  public void step(Segments s, double stepSizeMin, double stepSizeMax, double etaminus, double etaplus,
      boolean maximize) {
    for (int i = 0; i < s.size(); i++) {
      ScalarTensors.increment(s.tensor(Segments.STEP, i));
    }
    this.maximize = maximize;
    this.stepSizeMin = stepSizeMin;
    this.stepSizeMax = stepSizeMax;
    this.etaminus = etaminus;
    this.etaplus = etaplus;
    s.apply(this);
  }

  @Override
  public void run(Segments s, int i, int from, int to) {
    kernel(s.array(Segments.PARAM, i), s.array(Segments.GRAD, i), s.array(Segments.A, i), s.array(Segments.B, i),
        from, to, maximize, etaminus, etaplus, stepSizeMin, stepSizeMax);
  }
}
