package org.optim4j.optim.internal;

import org.optim4j.tensor.Tensor;

/**
 * An SGD step around {@link SgdFloatKernels}: the kernel call for either dtype, shared by
 * {@code Functional.sgd} (the per-tensor path), and the multi-tensor apply over a group's {@link Segments}.
 *
 * <p>Segments: {@link Segments#A} {@code momentum_buffer} (with a momentum; null at a parameter's first step,
 * when the step creates it, in the parameter's dtype). The buffer of a float32 parameter may be a bfloat16
 * tensor ({@code state_dtype="bfloat16"}): the multi-tensor path then runs {@link Bf16StateKernels}.
 */
public final class SgdStep implements Segments.Kernel {
  /** The number of per-parameter scalars: whether the buffer is new. */
  public static final int SCALARS = 1;

  // The options of the multi-tensor step in progress.
  private boolean maximize;
  private boolean nesterov;
  private double weightDecay;
  private double momentum;
  private double dampening;
  private double lr;

  /**
   * {@link SgdFloatKernels#step} (its float64 twin for {@code double[]} arrays, its bfloat16-state variant for
   * a {@code short[]} buffer) over {@code [from, to)}, each scalar rounded to the element type.
   *
   * @param momentumBuffer null when the momentum is 0
   * @param initBuffer the buffer is new: it takes the gradient as it is
   */
  public static void kernel(Object param, Object grad, Object momentumBuffer, int from, int to, boolean maximize,
      double weightDecay, double momentum, double dampening, boolean nesterov, boolean initBuffer, double lr) {
    boolean decay = weightDecay != 0;
    if (param instanceof float[] p && momentumBuffer instanceof short[] b) {
      Bf16StateKernels.INSTANCE.sgd(p, (float[]) grad, b, from, to, maximize, decay, (float) weightDecay,
          (float) momentum, (float) (1 - dampening), nesterov, initBuffer, (float) -lr);
    } else if (param instanceof float[] p) {
      SgdFloatKernels.step(p, (float[]) grad, (float[]) momentumBuffer, from, to, maximize, decay,
          (float) weightDecay, (float) momentum, (float) (1 - dampening), nesterov, initBuffer, (float) -lr);
    } else {
      SgdDoubleKernels.step((double[]) param, (double[]) grad, (double[]) momentumBuffer, from, to, maximize, decay,
          weightDecay, momentum, 1 - dampening, nesterov, initBuffer, -lr);
    }
  }

  /**
   * One multi-tensor step over every segment of {@code s} (which must be {@link Segments#fast()}): a missing
   * momentum buffer is created (and left in column {@link Segments#A} for the caller to store), then one
   * kernel call runs over all segments.
   */
  public void step(Segments s, double weightDecay, double momentum, double lr, double dampening, boolean nesterov,
      boolean maximize) {
    for (int i = 0; i < s.size(); i++) {
      boolean init = momentum != 0 && s.tensor(Segments.A, i) == null;
      if (init) {
        s.set(Segments.A, i, Tensor.zerosLike(s.tensor(Segments.PARAM, i)));
      }
      s.scalars(i)[0] = init ? 1 : 0;
    }
    this.maximize = maximize;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
    this.momentum = momentum;
    this.dampening = dampening;
    this.lr = lr;
    s.apply(this);
  }

  @Override
  public void run(Segments s, int i, int from, int to) {
    kernel(s.array(Segments.PARAM, i), s.array(Segments.GRAD, i), s.array(Segments.A, i), from, to,
        maximize, weightDecay, momentum, dampening, nesterov, s.scalars(i)[0] != 0, lr);
  }
}
