package org.optim4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * Every case of {@code fixtures/engine/ops.json} (element-wise ops with broadcasting and scalar
 * forms, pow, unary functions, clamp, maximum/minimum with ties, where, matmul/mm/bmm), float32 and
 * float64: forward values, output dtype and shape, and the gradient of every input, against PyTorch.
 */
class OpsParityTest {

  private static final String FILE = "engine/ops.json";

  @TestFactory
  Stream<DynamicTest> everyCaseMatchesPyTorch() {
    return ParityCases.of(FILE, OpsParityTest::dispatch);
  }

  /**
   * A float32 tensor combined with a 0-dim float64 tensor stays float32, whichever comes first, and
   * the 0-dim operand's gradient is float64 (PyTorch's type promotion; a gradient takes the dtype of
   * its input).
   *
   * <p>PyTorch casts the 0-dim float64 operand to float32 before computing, which is exactly the
   * {@code b} of the float32 case (both are rounded from the same float64 draw): so the output and
   * gradients are those of the float32 case, to float32 precision. With the 0-dim operand first only
   * the commutative add and mul have a PyTorch result to compare with.
   */
  @TestFactory
  Stream<DynamicTest> zeroDimFloat64OperandKeepsFloat32() {
    Fixtures f = Fixtures.load(FILE);
    Stream<DynamicTest> second = Stream.of("add", "sub", "mul", "div")
        .map(op -> DynamicTest.dynamicTest(op + "_0dim_float32 with a float64 b", () -> checkMixed(f, op, false)));
    Stream<DynamicTest> first = Stream.of("add", "mul")
        .map(op -> DynamicTest.dynamicTest(op + "_0dim_float32 with a float64 b first", () -> checkMixed(f, op, true)));
    return Stream.concat(second, first);
  }

  private static void checkMixed(Fixtures f, String op, boolean zeroDimFirst) {
    String c32 = op + "_0dim_float32";
    String what = c32 + (zeroDimFirst ? " (float64 b first)" : " (float64 b)");
    Tensor a = ParityCases.leaf(f.tensor(c32, "a"));
    Tensor b = ParityCases.leaf(f.tensor(op + "_0dim_float64", "b"));
    List<Object> args = zeroDimFirst ? List.of(b, a) : List.of(a, b);
    Tensor out = dispatch(new TorchCall(op, args, Map.of())).get(0);
    ParityCases.assertMatches(what + " out", out, f.tensor(c32, "out"));
    out.backward(ParityCases.toTensor(f.tensor(c32, "grad_out")));
    ParityCases.assertMatches(what + " grad_a", a.grad(), f.tensor(c32, "grad_a"));
    assertNotNull(b.grad(), what + ": b.grad() is null after backward");
    assertEquals(DType.FLOAT64, b.grad().dtype(), what + ": dtype of the float64 operand's gradient");
    assertArrayEquals(new int[0], b.grad().shape(), what + ": shape of b.grad()");
    Tolerance.assertClose(what + " grad_b", b.grad().toDoubleArray(), f.tensor(c32, "grad_b"));
  }

  /** The optim4j call for a {@code torch.<op>(*args, **kwargs)} of {@code ops.json}. */
  static List<Tensor> dispatch(TorchCall c) {
    Tensor out = switch (c.op()) {
      case "add", "sub", "mul", "div" -> arithmetic(c);
      case "pow" -> pow(c);
      case "neg" -> single(c).neg();
      case "sqrt" -> single(c).sqrt();
      case "rsqrt" -> single(c).rsqrt();
      case "exp" -> single(c).exp();
      case "log" -> single(c).log();
      case "abs" -> single(c).abs();
      case "sign" -> single(c).sign();
      case "relu" -> single(c).relu();
      case "sigmoid" -> single(c).sigmoid();
      case "tanh" -> single(c).tanh();
      case "clamp" -> clamp(c);
      case "maximum" -> pair(c).maximum(c.tensor(1));
      case "minimum" -> pair(c).minimum(c.tensor(1));
      case "where" -> {
        if (c.argCount() != 3) {
          throw c.unsupported();
        }
        yield Tensor.where(c.tensor(0), c.tensor(1), c.tensor(2));
      }
      case "matmul" -> pair(c).matmul(c.tensor(1));
      case "mm" -> pair(c).mm(c.tensor(1));
      case "bmm" -> pair(c).bmm(c.tensor(1));
      default -> throw c.unsupported();
    };
    return List.of(out);
  }

  /** add/sub/mul/div: tensor–tensor (with {@code alpha} for add/sub), tensor–scalar, scalar–tensor. */
  private static Tensor arithmetic(TorchCall c) {
    if (c.argCount() != 2) {
      throw c.unsupported();
    }
    if (!c.isTensor(0)) {
      // Python's reflected operators: 2.5 + b, 2.5 - b, 2.5 * b, 2.5 / b.
      double s = c.number(0);
      Tensor b = c.tensor(1);
      return switch (c.op()) {
        case "add" -> b.add(s);
        case "sub" -> b.rsub(s);
        case "mul" -> b.mul(s);
        case "div" -> Tensor.scalar(s, b.dtype()).div(b);
        default -> throw c.unsupported();
      };
    }
    Tensor a = c.tensor(0);
    if (!c.isTensor(1)) {
      double s = c.number(1);
      return switch (c.op()) {
        case "add" -> a.add(s);
        case "sub" -> a.sub(s);
        case "mul" -> a.mul(s);
        case "div" -> a.div(s);
        default -> throw c.unsupported();
      };
    }
    Tensor b = c.tensor(1);
    if (c.has("alpha")) {
      double alpha = c.number("alpha", 1);
      return switch (c.op()) {
        case "add" -> a.add(b, alpha);
        case "sub" -> a.sub(b, alpha);
        default -> throw c.unsupported();
      };
    }
    return switch (c.op()) {
      case "add" -> a.add(b);
      case "sub" -> a.sub(b);
      case "mul" -> a.mul(b);
      case "div" -> a.div(b);
      default -> throw c.unsupported();
    };
  }

  /** torch.pow(tensor, scalar), torch.pow(tensor, tensor) and torch.pow(scalar, tensor). */
  private static Tensor pow(TorchCall c) {
    if (c.argCount() != 2) {
      throw c.unsupported();
    }
    if (!c.isTensor(0)) {
      return Tensor.pow(c.number(0), c.tensor(1));
    }
    return c.isTensor(1) ? c.tensor(0).pow(c.tensor(1)) : c.tensor(0).pow(c.number(1));
  }

  /** torch.clamp(a, min=..., max=...): an absent bound, PyTorch's None, is NaN. */
  private static Tensor clamp(TorchCall c) {
    return single(c).clamp(c.number("min", Double.NaN), c.number("max", Double.NaN));
  }

  /** The one tensor argument of a unary op. */
  private static Tensor single(TorchCall c) {
    if (c.argCount() != 1) {
      throw c.unsupported();
    }
    return c.tensor(0);
  }

  /** The first of two tensor arguments. */
  private static Tensor pair(TorchCall c) {
    if (c.argCount() != 2 || !c.isTensor(1)) {
      throw c.unsupported();
    }
    return c.tensor(0);
  }
}
