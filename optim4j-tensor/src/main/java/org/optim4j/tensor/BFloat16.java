package org.optim4j.tensor;

/** Conversions between float32 and bfloat16 bit patterns (round to nearest, ties to even; NaN kept). */
public final class BFloat16 {
  private BFloat16() {}

  /** The bfloat16 nearest to {@code x} (ties to even), as its 16 raw bits. */
  public static short fromFloat(float x) {
    int bits = Float.floatToRawIntBits(x);
    if ((bits & 0x7fffffff) > 0x7f800000) {
      return (short) ((bits >>> 16) | 0x0040);
    }
    int lsb = (bits >>> 16) & 1;
    return (short) ((bits + 0x7fff + lsb) >>> 16);
  }

  /** The float32 value of a bfloat16 bit pattern (exact). */
  public static float toFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}
