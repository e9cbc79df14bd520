package org.optim4j.optim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.BFloat16;

/**
 * The bfloat16-state kernels: the Vector API implementation against the plain loops, bit for bit, on random
 * data sprinkled with the values where rounding and {@code Math.max} are delicate (NaN, infinities, signed
 * zeros, subnormals, exact bfloat16 ties), over every combination of options, with ranges that do not start
 * or end on a vector boundary. The Vector API half runs in the surefire execution that adds
 * {@code jdk.incubator.vector}; without the module only the plain loops' invariants are checked.
 */
class Bf16StateKernelsTest {
  private static final int N = 1003;
  private static final int FROM = 5;
  private static final int TO = 1000;

  @Test
  void theVectorApiKernelsAreLoadedWhenTheModuleIsThere() {
    boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(module, Bf16StateKernels.vector() != null);
    assertEquals(module ? "VectorBf16StateKernels" : "Plain", Bf16StateKernels.INSTANCE.getClass().getSimpleName());
  }

  @Test
  void adamGivesTheBitsOfThePlainLoops() {
    Bf16StateKernels vector = Bf16StateKernels.vector();
    assumeTrue(vector != null, "needs --add-modules jdk.incubator.vector");
    Bf16StateKernels plain = new Bf16StateKernels.Plain();
    Random r = new Random(11);
    for (int flags = 0; flags < 16; flags++) {
      for (float oneMinusBeta1 : new float[] {0.1f, 0.75f}) {
        boolean maximize = (flags & 1) != 0;
        boolean decay = (flags & 2) != 0;
        boolean decoupled = (flags & 4) != 0;
        boolean amsgrad = (flags & 8) != 0;
        float[] param = values(r, false);
        float[] grad = values(r, true);
        short[] m = bf16(values(r, true));
        short[] v = bf16(abs(values(r, true)));
        short[] vMax = amsgrad ? bf16(abs(values(r, true))) : null;
        float[] param2 = param.clone();
        short[] m2 = m.clone();
        short[] v2 = v.clone();
        short[] vMax2 = amsgrad ? vMax.clone() : null;
        plain.adam(param, grad, m, v, vMax, FROM, TO, maximize, decay, decoupled, 0.01f, 0.9999f, oneMinusBeta1,
            0.999f, 0.001f, 0.3f, 1e-8f, -0.01f);
        vector.adam(param2, grad, m2, v2, vMax2, FROM, TO, maximize, decay, decoupled, 0.01f, 0.9999f,
            oneMinusBeta1, 0.999f, 0.001f, 0.3f, 1e-8f, -0.01f);
        String where = "flags " + flags + " oneMinusBeta1 " + oneMinusBeta1;
        assertSame(param, param2, where + " param");
        assertSame(m, m2, where + " exp_avg");
        assertSame(v, v2, where + " exp_avg_sq");
        if (amsgrad) {
          assertSame(vMax, vMax2, where + " max_exp_avg_sq");
        }
      }
    }
  }

  @Test
  void sgdGivesTheBitsOfThePlainLoops() {
    Bf16StateKernels vector = Bf16StateKernels.vector();
    assumeTrue(vector != null, "needs --add-modules jdk.incubator.vector");
    Bf16StateKernels plain = new Bf16StateKernels.Plain();
    Random r = new Random(12);
    for (int flags = 0; flags < 32; flags++) {
      boolean maximize = (flags & 1) != 0;
      boolean decay = (flags & 2) != 0;
      boolean withBuffer = (flags & 4) != 0;
      boolean nesterov = (flags & 8) != 0;
      boolean init = (flags & 16) != 0;
      float[] param = values(r, false);
      float[] grad = values(r, true);
      short[] buf = withBuffer ? bf16(values(r, true)) : null;
      float[] param2 = param.clone();
      short[] buf2 = withBuffer ? buf.clone() : null;
      plain.sgd(param, grad, buf, FROM, TO, maximize, decay, 0.01f, 0.9f, 0.9f, nesterov, init, -0.01f);
      vector.sgd(param2, grad, buf2, FROM, TO, maximize, decay, 0.01f, 0.9f, 0.9f, nesterov, init, -0.01f);
      assertSame(param, param2, "flags " + flags + " param");
      if (withBuffer) {
        assertSame(buf, buf2, "flags " + flags + " momentum_buffer");
      }
    }
  }

  @Test
  void thePlainLoopsRoundTheStateOfTheFloatKernel() {
    // One Adam step with bfloat16 state is the float32 step on the decoded state, with the new state rounded.
    Random r = new Random(13);
    float[] param = values(r, false);
    float[] grad = values(r, true);
    short[] m = bf16(values(r, true));
    short[] v = bf16(abs(values(r, true)));
    float[] paramF = param.clone();
    float[] mF = decoded(m);
    float[] vF = decoded(v);
    new Bf16StateKernels.Plain().adam(param, grad, m, v, null, FROM, TO, false, true, false, 0.01f, 1f, 0.1f,
        0.999f, 0.001f, 0.3f, 1e-8f, -0.01f);
    AdamFloatKernels.step(paramF, grad, mF, vF, null, FROM, TO, false, true, false, 0.01f, 1f, 0.1f, 0.999f,
        0.001f, 0.3f, 1e-8f, -0.01f);
    assertSame(paramF, param, "param");
    assertSame(bf16(mF), m, "exp_avg");
    assertSame(bf16(vF), v, "exp_avg_sq");
  }

  /** Random values of both signs and many magnitudes, with the delicate ones mixed in. */
  private static float[] values(Random r, boolean specials) {
    float[] x = new float[N];
    float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
        -Float.MIN_NORMAL / 3, Float.intBitsToFloat(0x3f808000), Float.intBitsToFloat(0x3f818000),
        Float.intBitsToFloat(0x7f7fffff)};
    for (int i = 0; i < N; i++) {
      x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
      if (specials && r.nextInt(10) == 0) {
        x[i] = special[r.nextInt(special.length)];
      }
    }
    return x;
  }

  private static float[] abs(float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.abs(x[i]);
    }
    return x;
  }

  private static short[] bf16(float[] x) {
    short[] h = new short[x.length];
    for (int i = 0; i < x.length; i++) {
      h[i] = BFloat16.fromFloat(x[i]);
    }
    return h;
  }

  private static float[] decoded(short[] h) {
    float[] x = new float[h.length];
    for (int i = 0; i < h.length; i++) {
      x[i] = BFloat16.toFloat(h[i]);
    }
    return x;
  }

  /** Same bits, except that any NaN equals any NaN (NaN payloads are not part of the contract). */
  private static void assertSame(float[] expected, float[] actual, String where) {
    assertNotNull(actual);
    for (int i = 0; i < expected.length; i++) {
      boolean same = Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i])
          || (Float.isNaN(expected[i]) && Float.isNaN(actual[i]));
      assertTrue(same, where + " at " + i + ": " + expected[i] + " vs " + actual[i]);
    }
  }

  private static void assertSame(short[] expected, short[] actual, String where) {
    assertSame(decoded(expected), decoded(actual), where);
  }
}
