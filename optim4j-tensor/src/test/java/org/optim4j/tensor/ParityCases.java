package org.optim4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * Replays the PyTorch calls of a fixture file in the format of {@code ops.json} and
 * {@code reductions.json} on optim4j tensors, one dynamic test per case.
 *
 * <p>A case is checked as {@code tools/reference/gen_engine.py} recorded it: every floating input is
 * a leaf that requires grad; the call is dispatched; each output must have the fixture's dtype,
 * shape and values ({@link Tolerance}; int64 and bool exactly); when the fixture has a
 * {@code grad_out}, the first output is backpropagated with it and the gradient of every floating
 * input must match {@code grad_<name>} in dtype, shape and values. Every tensor of the case must be
 * used by these checks, and every keyword argument read by the dispatcher.
 */
final class ParityCases {

  private ParityCases() {}

  /** One test per case of {@code file} (below {@code fixtures/}), named after the case. */
  static Stream<DynamicTest> of(String file, Function<TorchCall, List<Tensor>> dispatch) {
    Fixtures f = Fixtures.load(file);
    return f.cases().stream().map(c -> DynamicTest.dynamicTest(c, () -> {
      try {
        check(f, c, dispatch);
      } catch (RuntimeException e) {
        throw new AssertionError(f.path() + " / " + c + ": " + e, e);
      }
    }));
  }

  /** Runs one case and checks outputs and gradients against the fixture. */
  static void check(Fixtures f, String name, Function<TorchCall, List<Tensor>> dispatch) {
    Map<String, Object> config = f.config(name);
    Set<String> unchecked = new TreeSet<>(f.tensorNames(name));
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    List<Object> args = new ArrayList<>();
    for (Object a : (List<?>) config.get("args")) {
      if (a instanceof String tensorName) {
        Tensor t = inputs.computeIfAbsent(tensorName, n -> leaf(f.tensor(name, n)));
        unchecked.remove(tensorName);
        args.add(t);
      } else {
        args.add(((Number) a).doubleValue());
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> kwargs = (Map<String, Object>) config.get("kwargs");
    TorchCall call = new TorchCall((String) config.get("op"), args, kwargs);

    List<Tensor> outputs = dispatch.apply(call);
    assertEquals(Set.of(), call.unreadKwargs(), name + ": keyword arguments the dispatch of " + call + " ignored");
    List<?> outputNames = (List<?>) config.get("outputs");
    assertEquals(outputNames.size(), outputs.size(), name + ": number of outputs of " + call);
    for (int i = 0; i < outputs.size(); i++) {
      String o = (String) outputNames.get(i);
      Tensor out = outputs.get(i);
      assertMatches(name + " " + o, out, f.tensor(name, o));
      // Every floating input requires grad, so a floating output is recorded; an index output is not.
      assertEquals(out.dtype().isFloatingPoint(), out.requiresGrad(), name + " " + o + ".requiresGrad()");
      unchecked.remove(o);
    }

    if (f.hasTensor(name, "grad_out")) {
      outputs.get(0).backward(toTensor(f.tensor(name, "grad_out")));
      unchecked.remove("grad_out");
      for (Map.Entry<String, Tensor> in : inputs.entrySet()) {
        if (in.getValue().dtype().isFloatingPoint()) {
          String g = "grad_" + in.getKey();
          Tensor grad = in.getValue().grad();
          assertNotNull(grad, name + ": " + in.getKey() + ".grad() is null after backward");
          assertMatches(name + " " + g, grad, f.tensor(name, g));
          unchecked.remove(g);
        }
      }
    }
    assertTrue(unchecked.isEmpty(), name + ": fixture tensors no check used: " + unchecked);
  }

  /** Asserts dtype, shape and values (with {@link Tolerance}; int64 and bool exactly) of a tensor. */
  static void assertMatches(String what, Tensor actual, FixtureTensor expected) {
    assertEquals(expected.dtype(), dtypeName(actual.dtype()), what + " dtype");
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    switch (expected.dtype()) {
      case "float32", "float64" -> Tolerance.assertClose(what, actual.toDoubleArray(), expected);
      case "int64" -> assertArrayEquals(expected.longData(), actual.toLongArray(), what);
      case "bool" -> assertArrayEquals(expected.longData(), bits(actual.toBooleanArray()), what);
      default -> throw new AssertionError(what + ": unknown dtype " + expected.dtype());
    }
  }

  /** PyTorch's short dtype name, as the fixtures write it ({@code float32}, {@code int64}, ...). */
  static String dtypeName(DType dtype) {
    return dtype.torchName().substring("torch.".length());
  }

  /** A fixture tensor as an optim4j tensor of the same dtype and shape (no grad). */
  static Tensor toTensor(FixtureTensor t) {
    int[] shape = t.shape();
    double[] d = t.data();
    DType dtype = switch (t.dtype()) {
      case "float32" -> DType.FLOAT32;
      case "float64" -> DType.FLOAT64;
      case "int64" -> DType.INT64;
      case "bool" -> DType.BOOL;
      default -> throw new AssertionError("unknown dtype " + t.dtype());
    };
    if (shape.length == 0) {
      return Tensor.scalar(d[0], dtype);
    }
    return switch (dtype) {
      case FLOAT32 -> Tensor.of(floats(d), shape);
      case FLOAT64 -> Tensor.of(d, shape);
      case INT64 -> Tensor.of(t.longData(), shape);
      case BOOL -> Tensor.of(booleans(t.longData()), shape);
      default -> throw new AssertionError("unknown dtype " + t.dtype());
    };
  }

  /** A fixture input as PyTorch's generator made it: floating tensors are leaves requiring grad. */
  static Tensor leaf(FixtureTensor t) {
    Tensor x = toTensor(t);
    return x.dtype().isFloatingPoint() ? x.requiresGrad_(true) : x;
  }

  private static float[] floats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static boolean[] booleans(long[] bits) {
    boolean[] b = new boolean[bits.length];
    for (int i = 0; i < bits.length; i++) {
      b[i] = bits[i] != 0;
    }
    return b;
  }

  private static long[] bits(boolean[] b) {
    long[] l = new long[b.length];
    for (int i = 0; i < b.length; i++) {
      l[i] = b[i] ? 1 : 0;
    }
    return l;
  }
}
