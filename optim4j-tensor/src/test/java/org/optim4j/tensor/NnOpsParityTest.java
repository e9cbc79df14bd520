package org.optim4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * {@link NnOps} against real PyTorch: every case of the engine fixtures for linear, conv2d, pooling,
 * batch norm and the losses is rebuilt from its input tensors, run forward and backward with the
 * fixture's {@code grad_out} (or a scalar loss's {@code backward()}), and every output, gradient and
 * running statistic is compared with {@link Tolerance}. A case that cannot be run fails.
 */
class NnOpsParityTest {

  @TestFactory
  Stream<DynamicTest> linear() {
    return cases("engine/linear.json", (f, c) -> {
      Tensor x = leaf(f.tensor(c, "x"));
      Tensor weight = leaf(f.tensor(c, "weight"));
      Tensor bias = (Boolean) f.config(c).get("bias") ? leaf(f.tensor(c, "bias")) : null;
      Tensor out = NnOps.linear(x, weight, bias);
      out.backward(tensor(f.tensor(c, "grad_out")));
      assertClose(c, "out", out, f);
      assertClose(c, "grad_x", x.grad(), f);
      assertClose(c, "grad_weight", weight.grad(), f);
      if (bias != null) {
        assertClose(c, "grad_bias", bias.grad(), f);
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> conv2d() {
    return Stream.concat(cases("engine/conv2d.json", NnOpsParityTest::conv2dCase),
        cases("engine/conv2d_large.json", NnOpsParityTest::conv2dCase));
  }

  private static void conv2dCase(Fixtures f, String c) {
    Map<String, Object> config = f.config(c);
    assertEquals("Conv2d", config.get("module"));
    assertEquals("zeros", config.get("padding_mode"));
    Tensor x = leaf(f.tensor(c, "x"));
    Tensor weight = leaf(f.tensor(c, "weight"));
    Tensor bias = (Boolean) config.get("bias") ? leaf(f.tensor(c, "bias")) : null;
    Tensor out = NnOps.conv2d(x, weight, bias, ints(config, "stride"), ints(config, "padding"),
        ints(config, "dilation"), (Integer) config.get("groups"));
    out.backward(tensor(f.tensor(c, "grad_out")));
    assertClose(c, "out", out, f);
    assertClose(c, "grad_x", x.grad(), f);
    assertClose(c, "grad_weight", weight.grad(), f);
    if (bias != null) {
      assertClose(c, "grad_bias", bias.grad(), f);
    }
  }

  @TestFactory
  Stream<DynamicTest> pool() {
    return cases("engine/pool.json", (f, c) -> {
      Map<String, Object> config = f.config(c);
      Tensor x = leaf(f.tensor(c, "x"));
      Tensor out;
      switch ((String) config.get("module")) {
        case "MaxPool2d": {
          ValuesAndIndices r = NnOps.maxPool2dWithIndices(x, ints(config, "kernel_size"), ints(config, "stride"),
              ints(config, "padding"), ints(config, "dilation"), (Boolean) config.get("ceil_mode"));
          out = r.values();
          Tolerance.assertClose(c + " indices", r.indices().toDoubleArray(), f.tensor(c, "indices"));
          break;
        }
        case "AvgPool2d":
          out = NnOps.avgPool2d(x, ints(config, "kernel_size"), ints(config, "stride"), ints(config, "padding"),
              (Boolean) config.get("ceil_mode"), (Boolean) config.get("count_include_pad"),
              (Integer) config.get("divisor_override"));
          break;
        default:
          throw new AssertionError(c + ": unknown module " + config.get("module"));
      }
      out.backward(tensor(f.tensor(c, "grad_out")));
      assertClose(c, "out", out, f);
      assertClose(c, "grad_x", x.grad(), f);
    });
  }

  /**
   * The module logic of {@code nn.BatchNorm*d} around {@code F.batch_norm}: count the batches, pick the
   * exponential-average factor (1/num_batches_tracked when momentum is None), use batch statistics in
   * training and running ones in evaluation.
   */
  @TestFactory
  Stream<DynamicTest> batchNorm() {
    return cases("engine/batchnorm.json", (f, c) -> {
      Map<String, Object> config = f.config(c);
      boolean training = "train".equals(config.get("mode"));
      boolean affine = (Boolean) config.get("affine");
      Object momentum = config.get("momentum");
      double eps = ((Number) config.get("eps")).doubleValue();
      Tensor weight = affine ? leaf(f.tensor(c, "weight")) : null;
      Tensor bias = affine ? leaf(f.tensor(c, "bias")) : null;
      Tensor runningMean = tensor(f.tensor(c, "running_mean_before"));
      Tensor runningVar = tensor(f.tensor(c, "running_var_before"));
      long tracked = f.tensor(c, "num_batches_tracked_before").longData()[0];
      List<String> suffixes = f.hasTensor(c, "x") ? List.of("") : List.of("1", "2");
      for (String s : suffixes) {
        Tensor x = leaf(f.tensor(c, "x" + s));
        double factor = 0;
        if (training) {
          tracked++;
          factor = momentum == null ? 1.0 / tracked : ((Number) momentum).doubleValue();
        }
        Tensor out = NnOps.batchNorm(x, runningMean, runningVar, weight, bias, training, factor, eps);
        out.backward(tensor(f.tensor(c, "grad_out" + s)));
        assertClose(c, "out" + s, out, f);
        assertClose(c, "grad_x" + s, x.grad(), f);
      }
      assertEquals(f.tensor(c, "num_batches_tracked_after").longData()[0], tracked, c);
      assertClose(c, "running_mean_after", runningMean, f);
      assertClose(c, "running_var_after", runningVar, f);
      if (affine) {
        assertClose(c, "grad_weight", weight.grad(), f);
        assertClose(c, "grad_bias", bias.grad(), f);
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> losses() {
    return cases("engine/losses.json", (f, c) -> {
      Map<String, Object> config = f.config(c);
      @SuppressWarnings("unchecked")
      Map<String, Object> kwargs = (Map<String, Object>) config.get("kwargs");
      String reduction = (String) kwargs.getOrDefault("reduction", "mean");
      long ignoreIndex = ((Number) kwargs.getOrDefault("ignore_index", -100)).longValue();
      double smoothing = ((Number) kwargs.getOrDefault("label_smoothing", 0.0)).doubleValue();
      Tensor input = leaf(f.tensor(c, "input"));
      Tensor target = tensor(f.tensor(c, "target"));
      Tensor weight = f.hasTensor(c, "weight") ? tensor(f.tensor(c, "weight")) : null;
      Tensor out;
      switch ((String) config.get("loss")) {
        case "CrossEntropyLoss":
          out = NnOps.crossEntropy(input, target, weight, ignoreIndex, reduction, smoothing);
          break;
        case "NLLLoss":
          out = NnOps.nllLoss(input, target, weight, ignoreIndex, reduction);
          break;
        case "MSELoss":
          out = NnOps.mseLoss(input, target, reduction);
          break;
        case "L1Loss":
          out = NnOps.l1Loss(input, target, reduction);
          break;
        default:
          throw new AssertionError(c + ": unknown loss " + config.get("loss"));
      }
      if (f.hasTensor(c, "grad_out")) {
        out.backward(tensor(f.tensor(c, "grad_out")));
      } else {
        out.backward();
      }
      assertClose(c, "out", out, f);
      assertClose(c, "grad_input", input.grad(), f);
    });
  }

  private interface Case {
    void run(Fixtures f, String caseName);
  }

  private static Stream<DynamicTest> cases(String file, Case body) {
    Fixtures f = Fixtures.load(file);
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : f.cases()) {
      tests.add(DynamicTest.dynamicTest(c, () -> body.run(f, c)));
    }
    if (tests.isEmpty()) {
      throw new AssertionError(file + " has no cases");
    }
    return tests.stream();
  }

  /** A tensor of the fixture's dtype, shape and values. */
  static Tensor tensor(FixtureTensor t) {
    int[] shape = t.shape();
    Tensor r;
    switch (t.dtype()) {
      case "float32": {
        double[] d = t.data();
        float[] v = new float[d.length];
        for (int i = 0; i < d.length; i++) {
          v[i] = (float) d[i];
        }
        r = Tensor.of(v);
        break;
      }
      case "float64":
        r = Tensor.of(t.data());
        break;
      case "int64":
        r = Tensor.of(t.longData());
        break;
      default:
        throw new AssertionError("unsupported fixture dtype " + t.dtype());
    }
    return r.reshape(shape);
  }

  private static Tensor leaf(FixtureTensor t) {
    return tensor(t).detach().requiresGrad_();
  }

  private static int[] ints(Map<String, Object> config, String key) {
    Object v = config.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return new int[] {n.intValue()};
    }
    List<?> list = (List<?>) v;
    int[] r = new int[list.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = ((Number) list.get(i)).intValue();
    }
    return r;
  }

  private static void assertClose(String c, String name, Tensor actual, Fixtures f) {
    FixtureTensor expected = f.tensor(c, name);
    if (actual == null) {
      throw new AssertionError(c + " " + name + ": no value");
    }
    assertEquals(List.of(boxed(expected.shape())), List.of(boxed(actual.shape())), c + " " + name + " shape");
    if (expected.dtype().equals("float32")) {
      assertEquals(DType.FLOAT32, actual.dtype(), c + " " + name + " dtype");
      Tolerance.assertClose(c + " " + name, actual.toDense().toFloatArray(), expected);
    } else {
      assertEquals(DType.FLOAT64, actual.dtype(), c + " " + name + " dtype");
      Tolerance.assertClose(c + " " + name, actual.toDense().toDoubleArray(), expected);
    }
  }

  private static Integer[] boxed(int[] a) {
    Integer[] r = new Integer[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i];
    }
    return r;
  }
}
