package org.optim4j.tensor;

/**
 * Element types of a {@link Tensor}, PyTorch's {@code torch.dtype}.
 *
 * <p>{@link #FLOAT32} is the default floating type. {@link #BFLOAT16} is storage-only: tensors can be
 * converted to and from it (round-to-nearest-even), but arithmetic needs {@link #FLOAT32} or
 * {@link #FLOAT64}. {@link #INT64} holds indices and class targets, {@link #BOOL} comparison masks.
 */
public enum DType {
  /** 32-bit IEEE float, PyTorch's {@code torch.float32}; the default. */
  FLOAT32("torch.float32", "Float", 2),
  /** 64-bit IEEE float, {@code torch.float64}. */
  FLOAT64("torch.float64", "Double", 3),
  /** Brain floating point, storage only, {@code torch.bfloat16}. */
  BFLOAT16("torch.bfloat16", "BFloat16", 2),
  /** 64-bit signed integer, {@code torch.int64}. */
  INT64("torch.int64", "Long", 1),
  /** Boolean, {@code torch.bool}. */
  BOOL("torch.bool", "Bool", 0);

  private final String torchName;
  private final String legacyName;
  private final int category;

  DType(String torchName, String legacyName, int category) {
    this.torchName = torchName;
    this.legacyName = legacyName;
    this.category = category;
  }

  /** PyTorch's name of this dtype, such as {@code torch.float32}. */
  public String torchName() {
    return torchName;
  }

  /** PyTorch's legacy tensor type name, such as {@code torch.FloatTensor}. */
  public String tensorTypeName() {
    return "torch." + legacyName + "Tensor";
  }

  /** Whether this is a floating-point dtype. */
  public boolean isFloatingPoint() {
    return category >= 2;
  }

  /** The promotion category: 0 bool, 1 integer, 2 floating point (3 for float64 within it). */
  int category() {
    return category == 3 ? 2 : category;
  }

  /** PyTorch's {@code torch.promote_types} for the dtypes optim4j has. */
  public static DType promote(DType a, DType b) {
    if (a == b) {
      return a;
    }
    if (a == FLOAT64 || b == FLOAT64) {
      return FLOAT64;
    }
    if (a == FLOAT32 || b == FLOAT32) {
      return FLOAT32;
    }
    if (a == BFLOAT16 || b == BFLOAT16) {
      return BFLOAT16;
    }
    return INT64;
  }

  @Override
  public String toString() {
    return torchName;
  }
}
