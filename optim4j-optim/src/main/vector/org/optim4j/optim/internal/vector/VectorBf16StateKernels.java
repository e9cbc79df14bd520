package org.optim4j.optim.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.optim4j.optim.internal.Bf16StateKernels;

/**
 * The bfloat16-state kernels written with the Vector API ({@code jdk.incubator.vector}), eight float32 lanes at
 * a time: the same operations as the plain loops ({@link Bf16StateKernels.Plain}), lane by lane, with the same
 * rounding (fused multiply-adds where the plain loops have {@code Math.fma}, correctly rounded square roots
 * and divisions, {@code Math.max}'s maximum, and bfloat16 rounding to nearest even), so that both give the
 * same bits. The rare vectors whose new state holds a NaN, and the elements after the last full vector, go
 * through the plain loops.
 *
 * <p>Compiled in its own source directory with {@code --add-modules jdk.incubator.vector} and loaded by
 * {@link Bf16StateKernels#vector()} only when the JVM has that module.
 */
public final class VectorBf16StateKernels extends Bf16StateKernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;

  private final Bf16StateKernels.Plain plain = new Bf16StateKernels.Plain();

  /** Called by {@link Bf16StateKernels#vector()}. */
  public VectorBf16StateKernels() {}

  @Override
  public void adam(float[] param, float[] grad, short[] expAvg, short[] expAvgSq, short[] maxExpAvgSq, int from,
      int to, boolean maximize, boolean decay, boolean decoupled, float weightDecay, float decayFactor,
      float oneMinusBeta1, float beta2, float oneMinusBeta2, float biasCorrection2Sqrt, float eps,
      float negStepSize) {
    int i = from;
    int upper = from + F.loopBound(to - from);
    boolean nearSelf = Math.abs(oneMinusBeta1) < 0.5;
    FloatVector lerpWeight = FloatVector.broadcast(F, nearSelf ? oneMinusBeta1 : oneMinusBeta1 - 1);
    FloatVector wd = FloatVector.broadcast(F, weightDecay);
    for (; i < upper; i += F.length()) {
      FloatVector g = FloatVector.fromArray(F, grad, i);
      if (maximize) {
        g = g.neg();
      }
      FloatVector p = FloatVector.fromArray(F, param, i);
      if (decay) {
        if (decoupled) {
          p = p.mul(decayFactor);
        } else {
          g = p.fma(wd, g);
        }
      }
      FloatVector m = decode(expAvg, i);
      FloatVector diff = g.sub(m);
      m = diff.fma(lerpWeight, nearSelf ? m : g);
      FloatVector v = g.mul(oneMinusBeta2).fma(g, decode(expAvgSq, i).mul(beta2));
      FloatVector vMax = maxExpAvgSq == null ? v : decode(maxExpAvgSq, i).max(v);
      if (anyNaN(m.add(vMax))) { // v ≤ vMax, both ≥ 0 unless NaN: m + vMax is NaN when any of them is (or m = −∞)
        plain.adam(param, grad, expAvg, expAvgSq, maxExpAvgSq, i, i + F.length(), maximize, decay, decoupled,
            weightDecay, decayFactor, oneMinusBeta1, beta2, oneMinusBeta2, biasCorrection2Sqrt, eps, negStepSize);
        continue;
      }
      encode(m, expAvg, i);
      encode(v, expAvgSq, i);
      if (maxExpAvgSq != null) {
        v = vMax;
        encode(v, maxExpAvgSq, i);
      }
      FloatVector denom = v.sqrt().div(biasCorrection2Sqrt).add(eps);
      p.add(m.mul(negStepSize).div(denom)).intoArray(param, i);
    }
    plain.adam(param, grad, expAvg, expAvgSq, maxExpAvgSq, i, to, maximize, decay, decoupled, weightDecay,
        decayFactor, oneMinusBeta1, beta2, oneMinusBeta2, biasCorrection2Sqrt, eps, negStepSize);
  }

  @Override
  public void sgd(float[] param, float[] grad, short[] momentumBuffer, int from, int to, boolean maximize,
      boolean decay, float weightDecay, float momentum, float oneMinusDampening, boolean nesterov,
      boolean initBuffer, float negLr) {
    int i = from;
    int upper = from + F.loopBound(to - from);
    FloatVector wd = FloatVector.broadcast(F, weightDecay);
    FloatVector mu = FloatVector.broadcast(F, momentum);
    FloatVector dampened = FloatVector.broadcast(F, oneMinusDampening);
    FloatVector step = FloatVector.broadcast(F, negLr);
    for (; i < upper; i += F.length()) {
      FloatVector g = FloatVector.fromArray(F, grad, i);
      if (maximize) {
        g = g.neg();
      }
      FloatVector p = FloatVector.fromArray(F, param, i);
      if (decay) {
        g = p.fma(wd, g);
      }
      if (momentumBuffer != null) {
        FloatVector buf = initBuffer ? g : g.fma(dampened, decode(momentumBuffer, i).mul(momentum));
        if (anyNaN(buf)) {
          plain.sgd(param, grad, momentumBuffer, i, i + F.length(), maximize, decay, weightDecay, momentum,
              oneMinusDampening, nesterov, initBuffer, negLr);
          continue;
        }
        encode(buf, momentumBuffer, i);
        g = nesterov ? buf.fma(mu, g) : buf;
      }
      g.fma(step, p).intoArray(param, i);
    }
    plain.sgd(param, grad, momentumBuffer, i, to, maximize, decay, weightDecay, momentum, oneMinusDampening,
        nesterov, initBuffer, negLr);
  }

  /** The eight bfloat16 values at {@code a[i]} as float32 (exact: the bits move to the high half). */
  private static FloatVector decode(short[] a, int i) {
    IntVector bits = (IntVector) ShortVector.fromArray(S, a, i).convertShape(VectorOperators.S2I, I, 0);
    return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
  }

  /**
   * Stores {@code x}, which holds no NaN, rounded to bfloat16 at {@code a[i]}, as {@code BFloat16.fromFloat}
   * (to nearest, ties to even; a value beyond the largest bfloat16 becomes an infinity).
   */
  private static void encode(FloatVector x, short[] a, int i) {
    IntVector bits = x.reinterpretAsInts();
    IntVector lsb = bits.lanewise(VectorOperators.LSHR, 16).and(1);
    IntVector rounded = bits.add(lsb).add(0x7fff).lanewise(VectorOperators.LSHR, 16);
    ((ShortVector) rounded.convertShape(VectorOperators.I2S, S, 0)).intoArray(a, i);
  }

  /** Whether a lane of {@code x} is NaN: those vectors go through the plain loops, which keep NaN payloads. */
  private static boolean anyNaN(FloatVector x) {
    return x.compare(VectorOperators.NE, x).anyTrue();
  }
}
