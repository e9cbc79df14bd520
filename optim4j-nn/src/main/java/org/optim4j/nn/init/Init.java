package org.optim4j.nn.init;

import java.util.List;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * Weight initialisation, PyTorch's {@code torch.nn.init}.
 *
 * <p>Every function fills its tensor in place under no-grad (so it works on parameters that require
 * grad) and returns it. Random functions draw from {@code generator}, or from the default generator
 * ({@link Tensor#manualSeed}) when it is null or omitted; the streams are not PyTorch's, the
 * distributions are:
 *
 * <pre>
 * uniform_(t, a, b)            U(a, b)
 * normal_(t, mean, std)        N(mean, std²)
 * xavierUniform_(t, gain)      U(−bound, bound),  bound = gain·√(6 / (fan_in + fan_out))
 * xavierNormal_(t, gain)       N(0, std²),        std   = gain·√(2 / (fan_in + fan_out))
 * kaimingUniform_(t, a, m, nl) U(−bound, bound),  bound = gain·√(3 / fan),  gain = calculateGain(nl, a)
 * kaimingNormal_(t, a, m, nl)  N(0, std²),        std   = gain / √fan
 * </pre>
 *
 * where {@code fan} is {@code fan_in} or {@code fan_out} by {@code mode} (see {@link
 * #calculateFanInAndFanOut}). Linear and Conv2d reset their weight with {@code kaimingUniform_(w,
 * √5)}, which gives {@code bound = 1/√fan_in}. The Kaiming functions leave zero-element tensors
 * unchanged (PyTorch also warns).
 */
public final class Init {
  private static final List<String> LINEAR_FNS = List.of("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
      "conv_transpose2d", "conv_transpose3d");

  private Init() {}

  // ---------------------------------------------------------------------------------------------
  // Gain and fans

  /** The recommended gain for a nonlinearity (PyTorch's {@code nn.functional} name); leaky_relu slope 0.01. */
  public static double calculateGain(String nonlinearity) {
    return calculateGain(nonlinearity, null);
  }

  /**
   * The recommended gain for a nonlinearity, PyTorch's {@code calculate_gain}: 1 for linear,
   * convolutions and sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (slope
   * {@code param}, default 0.01), 3/4 for selu.
   *
   * @param param the negative slope of leaky_relu, or null
   * @throws IllegalArgumentException {@code Unsupported nonlinearity <name>}
   */
  public static double calculateGain(String nonlinearity, Double param) {
    if (LINEAR_FNS.contains(nonlinearity) || "sigmoid".equals(nonlinearity)) {
      return 1;
    }
    switch (String.valueOf(nonlinearity)) {
      case "tanh":
        return 5.0 / 3;
      case "relu":
        return Math.sqrt(2.0);
      case "leaky_relu":
        double negativeSlope = param == null ? 0.01 : param;
        return Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
      case "selu":
        return 3.0 / 4;
      default:
        throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
    }
  }

  /**
   * PyTorch's {@code _calculate_fan_in_and_fan_out}: {@code {fan_in, fan_out}} = {@code {size(1)·r,
   * size(0)·r}} where {@code r} is the product of the dimensions after the second (the receptive
   * field of a convolution kernel).
   *
   * @throws IllegalArgumentException {@code Fan in and fan out can not be computed for tensor with fewer than 2 dimensions}
   */
  public static int[] calculateFanInAndFanOut(Tensor tensor) {
    if (tensor.dim() < 2) {
      throw new IllegalArgumentException(
          "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
    }
    int receptiveFieldSize = 1;
    for (int d = 2; d < tensor.dim(); d++) {
      receptiveFieldSize *= tensor.size(d);
    }
    return new int[] {tensor.size(1) * receptiveFieldSize, tensor.size(0) * receptiveFieldSize};
  }

  private static int correctFan(Tensor tensor, String mode) {
    String m = mode.toLowerCase(java.util.Locale.ROOT);
    if (!m.equals("fan_in") && !m.equals("fan_out")) {
      throw new IllegalArgumentException("Mode " + m + " not supported, please use one of ['fan_in', 'fan_out']");
    }
    int[] fans = calculateFanInAndFanOut(tensor);
    return m.equals("fan_in") ? fans[0] : fans[1];
  }

  // ---------------------------------------------------------------------------------------------
  // Basic fills

  /** Fills with U(0, 1). */
  public static Tensor uniform_(Tensor tensor) {
    return uniform_(tensor, 0.0, 1.0, null);
  }

  /** Fills with U(a, b). */
  public static Tensor uniform_(Tensor tensor, double a, double b) {
    return uniform_(tensor, a, b, null);
  }

  /**
   * Fills with U(a, b): {@code a + (b − a)·u} with {@code u} uniform in [0, 1), computed in double and
   * rounded once to the tensor's dtype.
   *
   * @throws IllegalStateException if the tensor is not floating point
   */
  public static Tensor uniform_(Tensor tensor, double a, double b, Generator generator) {
    Generator g = orDefault(generator);
    Tensor u = Tensor.rand(g, sampleType(tensor, "uniform_"), tensor.shape());
    double[] v = u.toDoubleArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = a + (b - a) * v[i];
    }
    return fill(tensor, v);
  }

  /** Fills with N(0, 1). */
  public static Tensor normal_(Tensor tensor) {
    return normal_(tensor, 0.0, 1.0, null);
  }

  /** Fills with N(mean, std²). */
  public static Tensor normal_(Tensor tensor, double mean, double std) {
    return normal_(tensor, mean, std, null);
  }

  /**
   * Fills with N(mean, std²): {@code mean + std·z} with {@code z} standard normal, computed in double
   * and rounded once to the tensor's dtype.
   *
   * @throws IllegalStateException if the tensor is not floating point
   */
  public static Tensor normal_(Tensor tensor, double mean, double std, Generator generator) {
    if (std < 0) {
      throw new IllegalStateException("normal expects std >= 0.0, but found std " + std);
    }
    Generator g = orDefault(generator);
    sampleType(tensor, "normal_");
    double[] v = new double[Math.toIntExact(tensor.numel())];
    for (int i = 0; i < v.length; i++) {
      v[i] = mean + std * g.nextGaussian();
    }
    return fill(tensor, v);
  }

  /** Fills with {@code value}. */
  @SuppressWarnings("try")
  public static Tensor constant_(Tensor tensor, double value) {
    try (var noGrad = GradMode.noGrad()) {
      return tensor.fill_(value);
    }
  }

  /** Fills with ones. */
  public static Tensor ones_(Tensor tensor) {
    return constant_(tensor, 1.0);
  }

  /** Fills with zeros. */
  @SuppressWarnings("try")
  public static Tensor zeros_(Tensor tensor) {
    try (var noGrad = GradMode.noGrad()) {
      return tensor.zero_();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Xavier (Glorot) and Kaiming (He)

  /** Xavier uniform with gain 1. */
  public static Tensor xavierUniform_(Tensor tensor) {
    return xavierUniform_(tensor, 1.0, null);
  }

  /** Xavier uniform: U(−bound, bound), {@code bound = gain·√3·√(2 / (fan_in + fan_out))}. */
  public static Tensor xavierUniform_(Tensor tensor, double gain) {
    return xavierUniform_(tensor, gain, null);
  }

  /**
   * Xavier (Glorot) uniform initialisation, PyTorch's {@code xavier_uniform_}.
   *
   * @throws IllegalArgumentException if the tensor has fewer than 2 dimensions
   */
  public static Tensor xavierUniform_(Tensor tensor, double gain, Generator generator) {
    int[] fans = calculateFanInAndFanOut(tensor);
    double std = gain * Math.sqrt(2.0 / (fans[0] + fans[1]));
    double a = Math.sqrt(3.0) * std;
    return uniform_(tensor, -a, a, generator);
  }

  /** Xavier normal with gain 1. */
  public static Tensor xavierNormal_(Tensor tensor) {
    return xavierNormal_(tensor, 1.0, null);
  }

  /** Xavier normal: N(0, std²), {@code std = gain·√(2 / (fan_in + fan_out))}. */
  public static Tensor xavierNormal_(Tensor tensor, double gain) {
    return xavierNormal_(tensor, gain, null);
  }

  /**
   * Xavier (Glorot) normal initialisation, PyTorch's {@code xavier_normal_}.
   *
   * @throws IllegalArgumentException if the tensor has fewer than 2 dimensions
   */
  public static Tensor xavierNormal_(Tensor tensor, double gain, Generator generator) {
    int[] fans = calculateFanInAndFanOut(tensor);
    double std = gain * Math.sqrt(2.0 / (fans[0] + fans[1]));
    return normal_(tensor, 0.0, std, generator);
  }

  /** Kaiming uniform with PyTorch's defaults: a 0, mode fan_in, nonlinearity leaky_relu. */
  public static Tensor kaimingUniform_(Tensor tensor) {
    return kaimingUniform_(tensor, 0.0, "fan_in", "leaky_relu", null);
  }

  /** Kaiming uniform with negative slope {@code a}, mode fan_in, nonlinearity leaky_relu. */
  public static Tensor kaimingUniform_(Tensor tensor, double a) {
    return kaimingUniform_(tensor, a, "fan_in", "leaky_relu", null);
  }

  /** Kaiming uniform: U(−bound, bound), {@code bound = √3·calculateGain(nonlinearity, a) / √fan}. */
  public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity) {
    return kaimingUniform_(tensor, a, mode, nonlinearity, null);
  }

  /**
   * Kaiming (He) uniform initialisation, PyTorch's {@code kaiming_uniform_}.
   *
   * @param a the negative slope of the rectifier after this layer (leaky_relu only)
   * @param mode {@code "fan_in"} (preserves the forward variance) or {@code "fan_out"} (backward)
   * @param nonlinearity the {@code nn.functional} name, {@code "relu"} or {@code "leaky_relu"} recommended
   * @throws IllegalArgumentException for an unknown mode or nonlinearity, or fewer than 2 dimensions
   */
  public static Tensor kaimingUniform_(Tensor tensor, double a, String mode, String nonlinearity,
      Generator generator) {
    if (tensor.numel() == 0) {
      return tensor;
    }
    int fan = correctFan(tensor, mode);
    double gain = calculateGain(nonlinearity, a);
    double std = gain / Math.sqrt(fan);
    double bound = Math.sqrt(3.0) * std;
    return uniform_(tensor, -bound, bound, generator);
  }

  /** Kaiming normal with PyTorch's defaults: a 0, mode fan_in, nonlinearity leaky_relu. */
  public static Tensor kaimingNormal_(Tensor tensor) {
    return kaimingNormal_(tensor, 0.0, "fan_in", "leaky_relu", null);
  }

  /** Kaiming normal with negative slope {@code a}, mode fan_in, nonlinearity leaky_relu. */
  public static Tensor kaimingNormal_(Tensor tensor, double a) {
    return kaimingNormal_(tensor, a, "fan_in", "leaky_relu", null);
  }

  /** Kaiming normal: N(0, std²), {@code std = calculateGain(nonlinearity, a) / √fan}. */
  public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity) {
    return kaimingNormal_(tensor, a, mode, nonlinearity, null);
  }

  /**
   * Kaiming (He) normal initialisation, PyTorch's {@code kaiming_normal_}.
   *
   * @throws IllegalArgumentException for an unknown mode or nonlinearity, or fewer than 2 dimensions
   */
  public static Tensor kaimingNormal_(Tensor tensor, double a, String mode, String nonlinearity,
      Generator generator) {
    if (tensor.numel() == 0) {
      return tensor;
    }
    int fan = correctFan(tensor, mode);
    double gain = calculateGain(nonlinearity, a);
    double std = gain / Math.sqrt(fan);
    return normal_(tensor, 0.0, std, generator);
  }

  // ---------------------------------------------------------------------------------------------

  /** Copies float64 values (row-major) into {@code tensor} under no-grad, rounding to its dtype. */
  @SuppressWarnings("try")
  private static Tensor fill(Tensor tensor, double[] values) {
    Tensor src = tensor.dim() == 0 ? Tensor.scalar(values[0], DType.FLOAT64) : Tensor.of(values, tensor.shape());
    try (var noGrad = GradMode.noGrad()) {
      return tensor.copy_(src);
    }
  }

  private static Generator orDefault(Generator generator) {
    return generator != null ? generator : Generator.defaultGenerator();
  }

  /** The dtype to sample in: float32 values (24 random bits) for float32 and bfloat16, else float64. */
  private static DType sampleType(Tensor tensor, String op) {
    if (!tensor.dtype().isFloatingPoint()) {
      throw new IllegalStateException(op + " expects a floating point tensor, got " + tensor.dtype());
    }
    return tensor.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
  }
}
