package org.optim4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.Tensor;

/** Small, fast runs on the embedded MNIST subset for the tests. */
final class TestRuns {
  private static Datasets data;

  private TestRuns() {}

  /**
   * The seed's MLP with SGD with momentum, dropout, shuffling and a MultiStepLR whose milestone falls
   * inside the run, on 500 training and 200 test images.
   */
  static RunConfig mlp(int epochs) {
    Map<String, Object> opt = new LinkedHashMap<>();
    opt.put("lr", 0.1);
    opt.put("momentum", 0.9);
    opt.put("weight_decay", 5e-4);
    Map<String, Object> sched = new LinkedHashMap<>();
    sched.put("milestones", List.of(2));
    sched.put("gamma", 0.1);
    return new RunConfig("mlp", "SGD", opt, List.of(), "MultiStepLR", sched, "epoch", 0, 0.1, epochs, 100, 7L, 2,
        null, null, 500, 200);
  }

  static synchronized Datasets data(RunConfig config) {
    if (data == null) {
      data = Datasets.load(config);
    }
    return data;
  }

  static Trainer.Output quiet() {
    return new Trainer.Output().out(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
        .plots(false);
  }

  /** Whether two state dicts hold the same keys and bit-identical tensors. */
  static boolean sameTensors(Map<String, Tensor> a, Map<String, Tensor> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (String k : a.keySet()) {
      if (!java.util.Arrays.equals(bits(a.get(k)), bits(b.get(k)))) {
        return false;
      }
    }
    return true;
  }

  static int[] bits(Tensor t) {
    float[] f = t.toFloatArray();
    int[] out = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = Float.floatToRawIntBits(f[i]);
    }
    return out;
  }
}
