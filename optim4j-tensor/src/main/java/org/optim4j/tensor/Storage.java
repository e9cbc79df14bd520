package org.optim4j.tensor;

/**
 * The flat memory behind one or more tensors (a tensor and its views share it), with the version
 * counter that autograd uses to detect in-place changes of saved tensors.
 *
 * <p>Storage is a primitive Java array, exactly one of which is set: {@code float[]} for float32,
 * {@code double[]} for float64, {@code short[]} for bfloat16 bits, {@code long[]} for int64 and
 * {@code boolean[]} for bool. Heap arrays were chosen by measurement (README, design section): the JIT
 * vectorises element-wise loops over them at memory bandwidth, and the GEMM entry point hides where a
 * native BLAS takes its operands from.
 */
final class Storage {
  final DType dtype;
  final float[] f;
  final double[] d;
  final short[] h;
  final long[] l;
  final boolean[] b;
  private int version;

  private Storage(DType dtype, float[] f, double[] d, short[] h, long[] l, boolean[] b) {
    this.dtype = dtype;
    this.f = f;
    this.d = d;
    this.h = h;
    this.l = l;
    this.b = b;
  }

  static Storage of(float[] data) {
    return new Storage(DType.FLOAT32, data, null, null, null, null);
  }

  static Storage of(double[] data) {
    return new Storage(DType.FLOAT64, null, data, null, null, null);
  }

  static Storage ofBf16(short[] data) {
    return new Storage(DType.BFLOAT16, null, null, data, null, null);
  }

  static Storage of(long[] data) {
    return new Storage(DType.INT64, null, null, null, data, null);
  }

  static Storage of(boolean[] data) {
    return new Storage(DType.BOOL, null, null, null, null, data);
  }

  static Storage allocate(DType dtype, int n) {
    switch (dtype) {
      case FLOAT32:
        return of(new float[n]);
      case FLOAT64:
        return of(new double[n]);
      case BFLOAT16:
        return ofBf16(new short[n]);
      case INT64:
        return of(new long[n]);
      case BOOL:
        return of(new boolean[n]);
      default:
        throw new AssertionError(dtype);
    }
  }

  int length() {
    switch (dtype) {
      case FLOAT32:
        return f.length;
      case FLOAT64:
        return d.length;
      case BFLOAT16:
        return h.length;
      case INT64:
        return l.length;
      default:
        return b.length;
    }
  }

  double get(int i) {
    switch (dtype) {
      case FLOAT32:
        return f[i];
      case FLOAT64:
        return d[i];
      case BFLOAT16:
        return BFloat16.toFloat(h[i]);
      case INT64:
        return l[i];
      default:
        return b[i] ? 1 : 0;
    }
  }

  void set(int i, double v) {
    switch (dtype) {
      case FLOAT32:
        f[i] = (float) v;
        break;
      case FLOAT64:
        d[i] = v;
        break;
      case BFLOAT16:
        h[i] = BFloat16.fromFloat((float) v);
        break;
      case INT64:
        l[i] = (long) v;
        break;
      default:
        b[i] = v != 0;
    }
  }

  int version() {
    return version;
  }

  void bumpVersion() {
    version++;
  }
}
