package org.optim4j.nn;

import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;

/** Turns fixture tensors written by PyTorch into optim4j tensors of the same dtype and shape. */
public final class FixtureTensors {
  private FixtureTensors() {}

  /** The tensor of a fixture, with its dtype (float32, float64 or int64) and shape. */
  public static Tensor of(FixtureTensor t) {
    int[] shape = t.shape();
    double[] data = t.data();
    switch (t.dtype()) {
      case "float32": {
        if (shape.length == 0) {
          return Tensor.scalar(data[0], DType.FLOAT32);
        }
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) data[i];
        }
        return Tensor.of(f, shape);
      }
      case "float64":
        return shape.length == 0 ? Tensor.scalar(data[0], DType.FLOAT64) : Tensor.of(data, shape);
      case "int64":
        return shape.length == 0 ? Tensor.scalar(data[0], DType.INT64) : Tensor.of(t.longData(), shape);
      default:
        throw new AssertionError("unsupported fixture dtype " + t.dtype());
    }
  }

  /** The dtype named by a fixture case, from its {@code _float32} / {@code _float64} suffix. */
  public static DType caseDtype(String caseName) {
    if (caseName.endsWith("_float32")) {
      return DType.FLOAT32;
    }
    if (caseName.endsWith("_float64")) {
      return DType.FLOAT64;
    }
    throw new AssertionError("case " + caseName + " does not end in a dtype");
  }
}
