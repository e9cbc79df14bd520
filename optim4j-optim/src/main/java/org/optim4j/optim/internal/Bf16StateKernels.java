package org.optim4j.optim.internal;

/**
 * The kernels of the rules that can keep their state in bfloat16 (Adam and AdamW, SGD's momentum): float32
 * parameters and gradients, {@code short[]} state holding bfloat16 bits, the arithmetic of the float32 kernel
 * in between (each state element is decoded when read and rounded to nearest even when written).
 *
 * <p>{@link #INSTANCE} is the Vector API implementation when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, otherwise {@link Plain}, the plain loops derived at build time
 * from the float32 source ({@code AdamBf16Kernels}, {@code SgdBf16Kernels}). Both give the same bits.
 */
public abstract class Bf16StateKernels {
  /** The implementation this JVM uses. */
  public static final Bf16StateKernels INSTANCE = load();

  private static final String VECTOR_IMPLEMENTATION = "org.optim4j.optim.internal.vector.VectorBf16StateKernels";

  /** Subclasses: {@link Plain} and the Vector API one. */
  protected Bf16StateKernels() {}

  /** {@link AdamFloatKernels#step} with bfloat16 moments. */
  public abstract void adam(float[] param, float[] grad, short[] expAvg, short[] expAvgSq, short[] maxExpAvgSq,
      int from, int to, boolean maximize, boolean decay, boolean decoupled, float weightDecay, float decayFactor,
      float oneMinusBeta1, float beta2, float oneMinusBeta2, float biasCorrection2Sqrt, float eps,
      float negStepSize);

  /** {@link SgdFloatKernels#step} with a bfloat16 momentum buffer. */
  public abstract void sgd(float[] param, float[] grad, short[] momentumBuffer, int from, int to, boolean maximize,
      boolean decay, float weightDecay, float momentum, float oneMinusDampening, boolean nesterov,
      boolean initBuffer, float negLr);

  /**
   * The Vector API implementation, or null when this JVM does not have the {@code jdk.incubator.vector} module
   * (the implementation class is loaded only when it does).
   */
  public static Bf16StateKernels vector() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      return (Bf16StateKernels) Class.forName(VECTOR_IMPLEMENTATION).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  private static Bf16StateKernels load() {
    Bf16StateKernels vector = vector();
    return vector != null ? vector : new Plain();
  }

  /** The plain loops. */
  public static final class Plain extends Bf16StateKernels {
    @Override
    public void adam(float[] param, float[] grad, short[] expAvg, short[] expAvgSq, short[] maxExpAvgSq, int from,
        int to, boolean maximize, boolean decay, boolean decoupled, float weightDecay, float decayFactor,
        float oneMinusBeta1, float beta2, float oneMinusBeta2, float biasCorrection2Sqrt, float eps,
        float negStepSize) {
      AdamBf16Kernels.step(param, grad, expAvg, expAvgSq, maxExpAvgSq, from, to, maximize, decay, decoupled,
          weightDecay, decayFactor, oneMinusBeta1, beta2, oneMinusBeta2, biasCorrection2Sqrt, eps, negStepSize);
    }

    @Override
    public void sgd(float[] param, float[] grad, short[] momentumBuffer, int from, int to, boolean maximize,
        boolean decay, float weightDecay, float momentum, float oneMinusDampening, boolean nesterov,
        boolean initBuffer, float negLr) {
      SgdBf16Kernels.step(param, grad, momentumBuffer, from, to, maximize, decay, weightDecay, momentum,
          oneMinusDampening, nesterov, initBuffer, negLr);
    }
  }
}
