package org.optim4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.Tensor;

/** The workloads the benchmarks time are what they claim to be (the benchmarks themselves run by hand). */
class WorkloadsTest {
  @Test
  void optimizerWorkloadSplitsTheElementsAndCreatesTheState() {
    OptimizerWorkload w = new OptimizerWorkload("Adam", 1000, 7, Map.of(), 2);
    assertEquals(7, w.params.size());
    long total = 0;
    for (Tensor p : w.params) {
      assertTrue(p.numel() == 142 || p.numel() == 143, "length " + p.numel());
      total += p.numel();
      assertEquals(2.0, ((Tensor) w.optimizer.state(p).get("step")).item());
      assertTrue(w.optimizer.state(p).containsKey("exp_avg"));
    }
    assertEquals(1000, total);
    float[] before = w.params.get(0).toFloatArray();
    w.step();
    assertFalse(Arrays.equals(before, w.params.get(0).toFloatArray()), "a step moves the parameters");
  }

  @Test
  void sgdRunsWithMomentum() {
    OptimizerWorkload w = new OptimizerWorkload("SGD", 100, 1, Map.of(), 1);
    assertEquals(0.9, w.optimizer.paramGroups().get(0).getDouble("momentum"));
    assertTrue(w.optimizer.state(w.params.get(0)).containsKey("momentum_buffer"));
  }

  @Test
  void bytesMovedPerElement() {
    int[] expected = {28, 28, 20, 20, 20, 20};
    int[] got = {OptimizerWorkload.bytesPerElement("Adam", "float32"),
        OptimizerWorkload.bytesPerElement("AdamW", "float32"), OptimizerWorkload.bytesPerElement("SGD", "float32"),
        OptimizerWorkload.bytesPerElement("Adagrad", "float32"),
        OptimizerWorkload.bytesPerElement("RMSprop", "float32"),
        OptimizerWorkload.bytesPerElement("Adam", "bfloat16")};
    assertArrayEquals(expected, got);
  }

  @Test
  void runnerPrintsOneJsonLine() {
    String line = run("optim", "--optimizer", "SGD", "--elements", "2000", "--tensors", "3", "--warmup", "1",
        "--reps", "5", "--threads", "1");
    assertTrue(line.startsWith("{\"impl\": \"optim4j\", \"workload\": \"optim\", \"threads\": 1, \"optimizer\": \"SGD\", "
        + "\"elements\": 2000, \"tensors\": 3, \"state_dtype\": \"float32\", \"bytes_per_element\": 20, \"ms\": "), line);
    assertTrue(line.endsWith(", \"reps\": 5}"), line);
  }

  @Test
  void anOptionTheOptimizerRejectsIsReportedAsSkipped() {
    String line = run("optim", "--optimizer", "Adam", "--elements", "10", "--state-dtype", "no_such_dtype",
        "--threads", "1");
    assertTrue(line.contains("\"skipped\": \"Adam does not accept state_dtype=no_such_dtype in this build: "), line);
    assertFalse(line.contains("\"ms\""), line);
  }

  private static String run(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      Workloads.main(args);
    } finally {
      System.setOut(saved);
    }
    String out = buffer.toString(StandardCharsets.UTF_8).strip();
    assertFalse(out.contains("\n"), out);
    return out;
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertEquals("unknown option --elemnts for optim; known: --elements, --optimizer, --reps, --state-dtype, "
        + "--tensors, --threads, --warmup", usageError("optim", "--elemnts", "10"));
    assertEquals("unknown workload 'sgemm'; expected optim, gemm or epoch", usageError("sgemm"));
  }

  private static String usageError(String... args) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> Workloads.parse(args));
    return e.getMessage();
  }
}
