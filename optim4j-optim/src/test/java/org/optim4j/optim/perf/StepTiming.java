package org.optim4j.optim.perf;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.Optimizers;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * A timing harness for optimizer steps, driven line by line on standard input so that a PyTorch process can
 * interleave its own runs with these (see {@code src/test/python/optimizer_steps.py}). Not a test.
 *
 * <p>Each input line is {@code <optimizer> <tensors> <elements per tensor> <steps> <key=value options...>};
 * the answer is one line with the median and the minimum milliseconds per {@code step()}. The optimizer of the
 * previous line is kept while the configuration does not change, so its state already exists.
 */
public final class StepTiming {
  private StepTiming() {}

  /** Reads configurations from standard input until it closes. */
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String current = null;
    Optimizer optimizer = null;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] f = line.trim().split("\\s+");
      String key = String.join(" ", Arrays.copyOfRange(f, 0, 3)) + " " + String.join(" ",
          Arrays.copyOfRange(f, 4, f.length));
      if (!key.equals(current)) {
        optimizer = null;
        System.gc();
        optimizer = build(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Arrays.copyOfRange(f, 4, f.length));
        current = key;
      }
      int steps = Integer.parseInt(f[3]);
      double[] ms = new double[steps];
      for (int s = 0; s < steps; s++) {
        long t0 = System.nanoTime();
        optimizer.step();
        ms[s] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      System.out.println(ms[steps / 2] + " " + ms[0]);
      System.out.flush();
    }
  }

  private static Optimizer build(String name, int tensors, int elements, String[] options) {
    Generator g = new Generator(0);
    List<Tensor> params = new ArrayList<>();
    for (int i = 0; i < tensors; i++) {
      Tensor p = Tensor.randn(g, DType.FLOAT32, elements).requiresGrad_(true);
      p.setGrad(Tensor.randn(g, DType.FLOAT32, elements));
      params.add(p);
    }
    java.util.LinkedHashMap<String, Object> kwargs = new java.util.LinkedHashMap<>();
    for (String o : options) {
      String[] kv = o.split("=", 2);
      kwargs.put(kv[0], parse(kv[1]));
    }
    Optimizer opt = Optimizers.create(name, params, kwargs);
    for (int s = 0; s < 3; s++) {
      opt.step();
    }

    return opt;
  }

  private static Object parse(String v) {
    if (v.equals("True") || v.equals("False")) {
      return Boolean.valueOf(v.equals("True"));
    }
    try {
      return Double.valueOf(v);
    } catch (NumberFormatException e) {
      return v;
    }
  }
}
