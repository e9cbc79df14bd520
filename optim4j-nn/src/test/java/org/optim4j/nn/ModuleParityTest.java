package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * The layers and losses of this package, built from each fixture case's PyTorch config, against
 * PyTorch's outputs and gradients in {@code fixtures/engine/} (every case of linear, conv2d,
 * conv2d_large, pool, batchnorm and losses). Parameters and buffers are loaded with {@link
 * Module#loadStateDict}; float64 cases convert the module with {@link Module#to}.
 */
class ModuleParityTest {

  private static Tensor leaf(FixtureTensor t) {
    return FixtureTensors.of(t).requiresGrad_(true);
  }

  private static void close(String what, Tensor actual, FixtureTensor expected) {
    assertEquals(expected.dtype(), actual.dtype().torchName().replace("torch.", ""), what + " dtype");
    assertEquals(List.of(boxed(expected.shape())), List.of(boxed(actual.shape())), what + " shape");
    Tolerance.assertClose(what, actual.toDoubleArray(), expected);
  }

  private static Integer[] boxed(int[] a) {
    Integer[] r = new Integer[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i];
    }
    return r;
  }

  private static int[] ints(Object list) {
    return ((List<?>) list).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
  }

  /**
   * Loads the case's parameters (and buffers named {@code <buffer>_before}) into {@code m} converted to
   * the case dtype, runs every input {@code x<sfx>} with its {@code grad_out<sfx>}, and compares outputs,
   * input gradients, parameter gradients and buffers after.
   */
  private static void runModuleCase(Fixtures f, String c, Module m) {
    m.to(FixtureTensors.caseDtype(c));
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (String name : m.stateDict().keySet()) {
      String key = f.hasTensor(c, name) ? name : name + "_before";
      if (f.hasTensor(c, key)) {
        state.put(name, FixtureTensors.of(f.tensor(c, key)));
      }
    }
    assertTrue(m.loadStateDict(state).allMatched(), c);
    List<String> suffixes = f.hasTensor(c, "x") ? List.of("") : List.of("1", "2");
    for (String sfx : suffixes) {
      Tensor x = leaf(f.tensor(c, "x" + sfx));
      Tensor out = m.apply(x);
      out.backward(FixtureTensors.of(f.tensor(c, "grad_out" + sfx)));
      close(c + " out" + sfx, out, f.tensor(c, "out" + sfx));
      close(c + " grad_x" + sfx, x.grad(), f.tensor(c, "grad_x" + sfx));
    }
    for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) {
      close(c + " grad_" + p.getKey(), p.getValue().grad(), f.tensor(c, "grad_" + p.getKey()));
    }
    for (Map.Entry<String, Tensor> b : m.namedBuffers().entrySet()) {
      close(c + " " + b.getKey() + "_after", b.getValue(), f.tensor(c, b.getKey() + "_after"));
    }
  }

  @Test
  void linear() {
    Fixtures f = Fixtures.load("engine/linear.json");
    assertEquals(8, f.cases().size());
    for (String c : f.cases()) {
      Map<String, Object> cfg = f.config(c);
      runModuleCase(f, c, new Linear((Integer) cfg.get("in_features"), (Integer) cfg.get("out_features"),
          (Boolean) cfg.get("bias")));
    }
  }

  @Test
  void conv2d() {
    for (String file : List.of("engine/conv2d.json", "engine/conv2d_large.json")) {
      Fixtures f = Fixtures.load(file);
      for (String c : f.cases()) {
        Map<String, Object> cfg = f.config(c);
        runModuleCase(f, c, new Conv2d((Integer) cfg.get("in_channels"), (Integer) cfg.get("out_channels"),
            ints(cfg.get("kernel_size")), ints(cfg.get("stride")), ints(cfg.get("padding")), ints(cfg.get("dilation")),
            (Integer) cfg.get("groups"), (Boolean) cfg.get("bias")));
      }
    }
  }

  @Test
  void pooling() {
    Fixtures f = Fixtures.load("engine/pool.json");
    for (String c : f.cases()) {
      Map<String, Object> cfg = f.config(c);
      Module m = cfg.get("module").equals("MaxPool2d")
          ? new MaxPool2d(ints(cfg.get("kernel_size")), ints(cfg.get("stride")), ints(cfg.get("padding")),
              ints(cfg.get("dilation")), (Boolean) cfg.get("ceil_mode"))
          : new AvgPool2d(ints(cfg.get("kernel_size")), ints(cfg.get("stride")), ints(cfg.get("padding")),
              (Boolean) cfg.get("ceil_mode"), (Boolean) cfg.get("count_include_pad"),
              (Integer) cfg.get("divisor_override"));
      runModuleCase(f, c, m);
    }
  }

  @Test
  void batchNorm() {
    Fixtures f = Fixtures.load("engine/batchnorm.json");
    for (String c : f.cases()) {
      Map<String, Object> cfg = f.config(c);
      int features = (Integer) cfg.get("num_features");
      double eps = ((Number) cfg.get("eps")).doubleValue();
      Double momentum = cfg.get("momentum") == null ? null : ((Number) cfg.get("momentum")).doubleValue();
      boolean affine = (Boolean) cfg.get("affine");
      boolean track = (Boolean) cfg.get("track_running_stats");
      BatchNorm m = cfg.get("module").equals("BatchNorm1d")
          ? new BatchNorm1d(features, eps, momentum, affine, track)
          : new BatchNorm2d(features, eps, momentum, affine, track);
      m.train("train".equals(cfg.get("mode")));
      runModuleCase(f, c, m);
    }
  }

  @Test
  void losses() {
    Fixtures f = Fixtures.load("engine/losses.json");
    for (String c : f.cases()) {
      Map<String, Object> cfg = f.config(c);
      @SuppressWarnings("unchecked")
      Map<String, Object> kw = (Map<String, Object>) cfg.get("kwargs");
      String reduction = (String) kw.getOrDefault("reduction", "mean");
      Tensor weight = f.hasTensor(c, "weight") ? FixtureTensors.of(f.tensor(c, "weight")) : null;
      long ignoreIndex = ((Number) kw.getOrDefault("ignore_index", -100)).longValue();
      Loss loss;
      switch ((String) cfg.get("loss")) {
        case "CrossEntropyLoss":
          loss = new CrossEntropyLoss(weight, ignoreIndex, reduction,
              ((Number) kw.getOrDefault("label_smoothing", 0.0)).doubleValue());
          break;
        case "NLLLoss":
          loss = new NLLLoss(weight, ignoreIndex, reduction);
          break;
        case "MSELoss":
          loss = new MSELoss(reduction);
          break;
        case "L1Loss":
          loss = new L1Loss(reduction);
          break;
        default:
          throw new AssertionError(c + ": unknown loss " + cfg.get("loss"));
      }
      Tensor input = leaf(f.tensor(c, "input"));
      Tensor out = loss.apply(input, FixtureTensors.of(f.tensor(c, "target")));
      if (f.hasTensor(c, "grad_out")) {
        out.backward(FixtureTensors.of(f.tensor(c, "grad_out")));
      } else {
        out.backward();
      }
      close(c + " out", out, f.tensor(c, "out"));
      close(c + " grad_input", input.grad(), f.tensor(c, "grad_input"));
      assertEquals(FixtureTensors.caseDtype(c), out.dtype());
    }
  }

  @Test
  void float64ModulesComputeInFloat64() {
    Linear l = new Linear(5, 3, true, DType.FLOAT64);
    assertEquals(DType.FLOAT64, l.weight().dtype());
    assertEquals(DType.FLOAT64, l.apply(Tensor.randn(new Generator(64), DType.FLOAT64, 2, 5)).dtype());
  }
}
