package org.optim4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optim4j.optim.Optimizers;
import org.optim4j.train.Checkpoint;
import org.optim4j.train.Schedulers;

/** The command line end to end: small runs, their files, and the errors a user can make. */
class MainTest {
  @TempDir
  Path dir;

  /** The exit code and both streams of one command line. */
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertUsageError(Result r, String... expected) {
    assertEquals(2, r.code(), r.err());
    for (String e : expected) {
      assertTrue(r.err().contains(e), "'" + e + "' in: " + r.err());
    }
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void trainIsTheDefaultCommand() {
    assertEquals(List.of("train"), List.of(Main.withDefaultCommand(new String[0])));
    assertEquals(List.of("train", "--optimizer", "Adam"),
        List.of(Main.withDefaultCommand(new String[] {"--optimizer", "Adam"})));
    assertEquals(List.of("--help"), List.of(Main.withDefaultCommand(new String[] {"--help"})));
    assertEquals(List.of("compare"), List.of(Main.withDefaultCommand(new String[] {"compare"})));
    assertUsageError(run("--model", "resnet"), "unknown model 'resnet'");
  }

  @Test
  void anUnknownModelListsTheModels() {
    assertUsageError(run("train", "--model", "resnet"), "unknown model 'resnet'", "mlp, cnn, linreg");
  }

  @Test
  void anUnknownOptimizerListsTheOptimizers() {
    assertUsageError(run("train", "--optimizer", "Adamm"), "unknown optimizer 'Adamm'",
        String.join(", ", Optimizers.names()));
    assertUsageError(run("compare", "--optimizer", "SGD", "--optimizer", "Nope"), "unknown optimizer 'Nope'", "SGD");
  }

  @Test
  void anUnknownSchedulerListsTheSchedulers() {
    assertUsageError(run("train", "--scheduler", "StepLr"), "unknown scheduler 'StepLr'",
        String.join(", ", Schedulers.names()));
    assertUsageError(run("schedule", "--scheduler", "Cosine"), "unknown scheduler 'Cosine'", "CosineAnnealingLR");
  }

  @Test
  void anOptionTheOptimizerRejectsListsItsKeywords() {
    assertUsageError(run("train", "--opt", "momentun=0.9", "--epochs", "1"), "momentun", "momentum",
        "weight_decay");
  }

  @Test
  void aMissingDataDirectorySaysHowToFetchIt() {
    assertUsageError(run("train", "--data", dir.resolve("nowhere").toString()), "scripts/fetch-data.sh");
    assertUsageError(run("train", "--data", dir.toString(), "--epochs", "1"), "scripts/fetch-data.sh");
  }

  @Test
  void aCorruptDataDirectorySaysHowToFetchItAgain() throws IOException {
    Path raw = Files.createDirectories(dir.resolve("MNIST").resolve("raw"));
    for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte")) {
      Files.write(raw.resolve(f), new byte[] {0, 0, 8, 3, 0, 0});
    }
    assertUsageError(run("train", "--data", dir.toString(), "--epochs", "1"), "scripts/fetch-data.sh");
  }

  @Test
  void badOptionSyntaxIsAUsageError() {
    assertUsageError(run("train", "--opt", "lr"), "key=value");
    assertUsageError(run("train", "--group", "0-6"), "FROM:TO");
    assertUsageError(run("train", "--epochs", "0"), "--epochs");
    assertUsageError(run("trian"), "Did you mean");
  }

  @Test
  void trainWritesMetricsPlotsAndACheckpointThenEvalReadsIt() throws IOException {
    Path out = dir.resolve("run");
    Result r = run("train", "--epochs", "2", "--train-samples", "300", "--test-samples", "200", "--out", out.toString(),
        "--threads", "2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Epoch 2 completed. Loss - total: "), r.out());
    assertTrue(r.out().contains("; lr: 0.1"), r.out());
    assertTrue(r.out().matches("(?s).*TESTING - loss [0-9.]+ - performance 0\\.[0-9]+.*"), r.out());
    for (String f : List.of("metrics.csv", "loss.png", "accuracy.png", "lr.png", "checkpoint.safetensors",
        "config.json")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertEquals(3, Files.readAllLines(out.resolve("metrics.csv")).size());
    byte[] png = Files.readAllBytes(out.resolve("loss.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    assertEquals(2, Checkpoint.load(out.resolve("checkpoint.safetensors")).epoch());

    String testing = r.out().lines().filter(l -> l.startsWith("TESTING")).findFirst().orElseThrow();
    Result e = run("eval", out.resolve("checkpoint.safetensors").toString(), "--test-samples", "200");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains(testing), testing + " in: " + e.out());

    Result resume = run("train", "--resume", out.resolve("checkpoint.safetensors").toString(), "--epochs", "3");
    assertEquals(0, resume.code(), resume.err());
    assertTrue(resume.out().contains("Epoch 3 completed."), resume.out());
    assertFalse(resume.out().contains("Epoch 2 completed."), resume.out());
    assertEquals(4, Files.readAllLines(out.resolve("metrics.csv")).size());

    assertUsageError(run("train", "--resume", out.resolve("checkpoint.safetensors").toString(), "--optimizer", "Adam"),
        "--optimizer cannot be given with --resume");
  }

  @Test
  void evalOfACorruptCheckpointIsAClearError() throws IOException {
    Path file = dir.resolve("broken.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    Result r = run("eval", file.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("is truncated"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void compareDrawsEveryRunIntoOnePng() throws IOException {
    Path out = dir.resolve("cmp");
    Result r = run("compare", "--optimizer", "SGD", "--opt", "lr=0.1", "--optimizer", "Adam", "--label", "Adam",
        "--epochs", "1", "--train-samples", "200", "--test-samples", "100", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("== SGD lr=0.1: SGD(lr=0.1) =="), r.out());
    assertTrue(r.out().contains("== Adam: Adam() =="), r.out());
    assertTrue(Files.size(out.resolve("compare.png")) > 0);
    assertEquals(3, Files.readAllLines(out.resolve("summary.csv")).size());
  }

  @Test
  void scheduleDrawsTheDefaultSet() throws IOException {
    Path png = dir.resolve("s.png");
    Result r = run("schedule", "--steps", "40", "--out", png.toString());
    assertEquals(0, r.code(), r.err());
    for (String s : List.of("StepLR", "ExponentialLR", "CosineAnnealingLR", "CyclicLR", "OneCycleLR",
        "LinearLR warm-up", "CosineAnnealingWarmRestarts")) {
      assertTrue(r.out().contains(s), s + " in: " + r.out());
    }
    assertTrue(Files.size(png) > 0);
    List<String> csv = Files.readAllLines(dir.resolve("s.csv"));
    assertEquals(41, csv.size());
    assertTrue(csv.get(1).startsWith("0,0.1,"), csv.get(1));
  }

  @Test
  void typedOptionsReachTheScheduler() {
    Result r = run("schedule", "--steps", "10", "--out", dir.resolve("m.png").toString(), "--scheduler",
        "MultiStepLR", "--sched-opt", "milestones=[2,4]", "--sched-opt", "gamma=0.5");
    assertEquals(0, r.code(), r.err());
    List<String> csv;
    try {
      csv = Files.readAllLines(dir.resolve("m.csv"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertEquals(List.of("step,\"MultiStepLR(milestones=[2, 4], gamma=0.5)\"", "0,0.1", "1,0.1", "2,0.05", "3,0.05",
        "4,0.025", "5,0.025", "6,0.025", "7,0.025", "8,0.025", "9,0.025"), csv);
  }

  @Test
  void linearRegressionReachesTheSlidesNumbers() {
    Result r = run("train", "--model", "linreg", "--out", dir.resolve("lr").toString(), "--no-plots");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Epoch 5000 completed. Loss - total: "), r.out());
    String line = r.out().lines().filter(l -> l.startsWith("Epoch 5000")).findFirst().orElseThrow();
    double avg = Double.parseDouble(line.replaceAll(".*average: ([0-9.e-]+);.*", "$1"));
    assertEquals(2.927647, avg, 1e-4, line);
  }
}
