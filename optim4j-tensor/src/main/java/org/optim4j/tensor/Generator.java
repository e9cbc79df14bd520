package org.optim4j.tensor;

/**
 * A seedable pseudo-random stream, PyTorch's {@code torch.Generator}.
 *
 * <p>The stream is xoshiro256** seeded through SplitMix64; it is not PyTorch's Mersenne Twister, so
 * random values differ from PyTorch's for the same seed (tests take initial values from fixtures).
 * Normal variates use the Box–Muller transform. Not thread-safe.
 */
public final class Generator {
  private static final Generator DEFAULT = new Generator(67280421310721L);

  private long s0;
  private long s1;
  private long s2;
  private long s3;
  private long initialSeed;
  private double spareGaussian;
  private boolean hasSpare;

  /** Creates a generator with the given seed. */
  public Generator(long seed) {
    manualSeed(seed);
  }

  /** The process-wide default generator used when no generator is given. */
  public static Generator defaultGenerator() {
    return DEFAULT;
  }

  /** Re-seeds this generator; returns it. */
  public Generator manualSeed(long seed) {
    initialSeed = seed;
    long x = seed;
    s0 = x = splitMix(x);
    s1 = x = splitMix(x);
    s2 = x = splitMix(x);
    s3 = splitMix(x);
    s0 = mix(s0);
    s1 = mix(s1);
    s2 = mix(s2);
    s3 = mix(s3);
    hasSpare = false;
    return this;
  }

  /** The seed last given to {@link #manualSeed} or the constructor. */
  public long initialSeed() {
    return initialSeed;
  }

  /** The full state of the stream, for checkpoints; see {@link #setState}. */
  public long[] getState() {
    return new long[] {s0, s1, s2, s3, initialSeed, Double.doubleToRawLongBits(spareGaussian), hasSpare ? 1 : 0};
  }

  /**
   * Restores a state returned by {@link #getState}.
   *
   * @throws IllegalArgumentException if the state does not have 7 entries or is all zero
   */
  public void setState(long[] state) {
    if (state == null || state.length != 7) {
      throw new IllegalArgumentException("generator state must have 7 entries");
    }
    if ((state[0] | state[1] | state[2] | state[3]) == 0) {
      throw new IllegalArgumentException("generator state must not be all zero");
    }
    s0 = state[0];
    s1 = state[1];
    s2 = state[2];
    s3 = state[3];
    initialSeed = state[4];
    spareGaussian = Double.longBitsToDouble(state[5]);
    hasSpare = state[6] != 0;
  }

  /** The next 64 random bits. */
  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** A uniform float in [0, 1) with 24 random bits. */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /**
   * Dropout's scaled Bernoulli mask: {@code mask[i] = nextDouble() < keep ? scale : 0} for {@code i < n},
   * drawing exactly what n calls to {@link #nextDouble()} would. The stream's state stays in locals and
   * the comparison is done on the 53 random bits as an integer ({@code u·2⁻⁵³ < keep ⇔ u < ⌈keep·2⁵³⌉}),
   * so the loop has neither a field store nor a branch per element.
   */
  void bernoulliScaled(float[] mask, int n, double keep, float scale) {
    long threshold = (long) Math.ceil(keep * 0x1.0p53);
    int bits = Float.floatToRawIntBits(scale);
    long a = s0;
    long b = s1;
    long c = s2;
    long d = s3;
    for (int i = 0; i < n; i++) {
      long result = Long.rotateLeft(b * 5, 7) * 9;
      long t = b << 17;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = Long.rotateLeft(d, 45);
      mask[i] = Float.intBitsToFloat(bits & (int) (((result >>> 11) - threshold) >> 63));
    }
    s0 = a;
    s1 = b;
    s2 = c;
    s3 = d;
  }

  /** The float64 form of {@link #bernoulliScaled(float[], int, double, float)}. */
  void bernoulliScaled(double[] mask, int n, double keep, double scale) {
    long threshold = (long) Math.ceil(keep * 0x1.0p53);
    long bits = Double.doubleToRawLongBits(scale);
    long a = s0;
    long b = s1;
    long c = s2;
    long d = s3;
    for (int i = 0; i < n; i++) {
      long result = Long.rotateLeft(b * 5, 7) * 9;
      long t = b << 17;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = Long.rotateLeft(d, 45);
      mask[i] = Double.longBitsToDouble(bits & (((result >>> 11) - threshold) >> 63));
    }
    s0 = a;
    s1 = b;
    s2 = c;
    s3 = d;
  }

  /** A uniform long in [0, bound), without modulo bias. */
  public long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long r = nextLong() >>> 1;
    long m = bound - 1;
    if ((bound & m) == 0) {
      return r & m;
    }
    for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
      // rejection sampling
    }
    return r;
  }

  /** A standard normal variate. */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double u1;
    do {
      u1 = nextDouble();
    } while (u1 <= 0);
    double u2 = nextDouble();
    double radius = Math.sqrt(-2 * Math.log(u1));
    spareGaussian = radius * Math.sin(2 * Math.PI * u2);
    hasSpare = true;
    return radius * Math.cos(2 * Math.PI * u2);
  }

  private static long splitMix(long x) {
    return x + 0x9E3779B97F4A7C15L;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
