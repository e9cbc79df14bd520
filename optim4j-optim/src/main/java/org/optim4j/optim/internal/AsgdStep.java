package org.optim4j.optim.internal;

import org.optim4j.tensor.Tensor;

/**
 * An ASGD step around {@link AsgdFloatKernels}: each parameter's η and μ read before the update and their
 * next values written after it, the kernel call for either dtype, and the multi-tensor apply over a group's
 * {@link Segments}; shared with {@code Functional.asgd} (the per-tensor path).
 *
 * <p>Segments: {@link Segments#A} {@code ax}, {@link Segments#STEP} {@code step}, {@link Segments#X}
 * {@code eta}, {@link Segments#Y} {@code mu}.
 */
public final class AsgdStep implements Segments.Kernel {
  /** The number of per-parameter scalars. */
  public static final int SCALARS = 3;

  private static final int STEP = 0;
  private static final int ETA = 1;
  private static final int MU = 2;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private double weightDecay;
  private double lambd;

  /**
   * {@link AsgdFloatKernels#step} (or its float64 twin) over {@code [from, to)} with this step's η and μ (the
   * values the state held before the step).
   */
  public static void kernel(Object param, Object grad, Object ax, int from, int to, boolean maximize,
      double weightDecay, double lambd, double eta, double mu) {
    boolean decay = weightDecay != 0;
    double decayFactor = 1 - lambd * eta;
    boolean copyAverage = mu == 1;
    if (param instanceof float[] p) {
      AsgdFloatKernels.step(p, (float[]) grad, (float[]) ax, from, to, maximize, decay, (float) weightDecay,
          (float) decayFactor, (float) -eta, copyAverage, (float) mu);
    } else {
      AsgdDoubleKernels.step((double[]) param, (double[]) grad, (double[]) ax, from, to, maximize, decay,
          weightDecay, decayFactor, -eta, copyAverage, mu);
    }
  }

  /**
   * Writes the next step's values: {@code eta = lr / (1 + lambd·lr·t)^alpha} and {@code mu = 1 / max(1, t - t0)},
   * each stored as PyTorch's {@code torch.as_tensor} makes it (a Python float becomes float32, a tensor
   * {@code lr} keeps its dtype).
   */
  public static void next(Tensor eta, Tensor mu, double step, Object lr, double lambd, double t0, double alpha) {
    if (lr instanceof Number n) {
      double lrV = n.doubleValue();
      ScalarTensors.fill(eta, (float) (lrV / Math.pow(1 - -(lambd * lrV * step), alpha)));
    } else {
      Hyper lrH = Hyper.of(lr, "lr");
      ScalarTensors.fill(eta, lrH.div(Hyper.of(lambd).mul(lrH).mul(Hyper.of(step)).neg().rsub(1).pow(alpha)).value());
    }
    double sinceT0 = step - t0;
    ScalarTensors.fill(mu, (float) (1 / (sinceT0 > 1 ? sinceT0 : 1)));
  }

  /** One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}). */
  public void step(Segments s, double lambd, Object lr, double t0, double alpha, double weightDecay,
      boolean maximize) {
    if (!(lr instanceof Number)) {
      Hyper.of(lr, "lr");
    }
    for (int i = 0; i < s.size(); i++) {
      double[] c = s.scalars(i);
      c[STEP] = ScalarTensors.increment(s.tensor(Segments.STEP, i));
      c[ETA] = ScalarTensors.get(s.tensor(Segments.X, i));
      c[MU] = ScalarTensors.get(s.tensor(Segments.Y, i));
    }
    this.maximize = maximize;
    this.weightDecay = weightDecay;
    this.lambd = lambd;
    s.apply(this);
    for (int i = 0; i < s.size(); i++) {
      next(s.tensor(Segments.X, i), s.tensor(Segments.Y, i), s.scalars(i)[STEP], lr, lambd, t0, alpha);
    }
  }

  @Override
  public void run(Segments s, int i, int from, int to) {
    double[] c = s.scalars(i);
    kernel(s.array(Segments.PARAM, i), s.array(Segments.GRAD, i), s.array(Segments.A, i), from, to, maximize,
        weightDecay, lambd, c[ETA], c[MU]);
  }
}
