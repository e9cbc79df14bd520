package org.optim4j.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.optim4j.data.TensorDataset;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.internal.Parallel;
import org.optim4j.train.Datasets;
import org.optim4j.train.RunConfig;
import org.optim4j.train.Trainer;

/**
 * Runs one workload in a fresh JVM and prints its time as one JSON line: the optim4j side of {@code
 * bench/compare-pytorch.sh}, whose PyTorch side is {@code bench/torch_workloads.py} with the same
 * arguments. A JMH fork would give finer statistics but starts slowly; the comparison script needs many
 * short runs that alternate with PyTorch's.
 *
 * <pre>
 * java -cp optim4j-bench/target/benchmarks.jar org.optim4j.bench.Workloads WORKLOAD [OPTIONS]
 *
 *   optim  --optimizer Adam|AdamW|SGD|Adagrad|RMSprop --elements N --tensors T [--state-dtype float32|bfloat16]
 *          [--warmup 20] [--reps 30]     one optimizer step (OptimizerWorkload), state created, grads fixed
 *   gemm   --n 1024 [--warmup 3] [--reps 10]            C = A·B, float32 n×n (Tensor.matmul)
 *   epoch  --model mlp|cnn --data DIR [--train-samples N] [--warmup-batches 50]
 *          one training epoch of `optim4j train` (Trainer: batch 100, shuffled, SGD(lr=0.1, momentum=0.9,
 *          weight_decay=5e-4)); its train_seconds, after a warm-up run of a few batches
 *   all workloads: [--threads 2]
 * </pre>
 *
 * <p>Output: {@code {"impl": "optim4j", "workload": ..., <its parameters>, "ms": median, "min_ms": ...,
 * "reps": ...}} where {@code ms} is the median over the timed repetitions of the milliseconds per
 * operation (per step, per product, per epoch). The warm-up and the timed repetitions are also bounded in
 * time (2 s and, after 5 repetitions, 3 s), so that slow cases do not take minutes; {@code reps} says how
 * many were timed. When optim4j does not accept an option (such as a
 * {@code state_dtype} it does not implement yet) the line is {@code {"impl": "optim4j", ..., "skipped":
 * reason}} and the exit status is still 0. A wrong command line exits with status 2.
 */
public final class Workloads {
  /** The warm-up stops after this many seconds even if it has not made all its repetitions. */
  static final double WARMUP_SECONDS = 2;
  /** The timed repetitions stop after this many seconds once {@link #MIN_REPS} are done. */
  static final double TIMED_SECONDS = 3;
  /** Timed repetitions made whatever the time they take. */
  static final int MIN_REPS = 5;

  private final Map<String, String> args = new LinkedHashMap<>();
  private final Map<String, Object> out = new LinkedHashMap<>();

  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "optim", Set.of("optimizer", "elements", "tensors", "state-dtype", "warmup", "reps", "threads"),
      "gemm", Set.of("n", "warmup", "reps", "threads"),
      "epoch", Set.of("model", "data", "train-samples", "warmup-batches", "threads"));

  private Workloads(String[] argv) {
    Set<String> known = OPTIONS.get(argv[0]);
    if (known == null) {
      throw new UsageException("unknown workload '" + argv[0] + "'; expected optim, gemm or epoch");
    }
    for (int i = 1; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new UsageException("expected --option value pairs after the workload, got '" + argv[i] + "'");
      }
      String key = argv[i].substring(2);
      if (!known.contains(key)) {
        throw new UsageException("unknown option --" + key + " for " + argv[0] + "; known: --"
            + String.join(", --", new TreeSet<>(known)));
      }
      args.put(key, argv[++i]);
    }
    out.put("impl", "optim4j");
    out.put("workload", argv[0]);
  }

  /**
   * Runs the workload named by {@code argv[0]} with the options that follow and prints its JSON line.
   *
   * @param argv the workload and its {@code --option value} pairs (see the class description)
   */
  public static void main(String[] argv) {
    Workloads w;
    try {
      w = parse(argv);
      Parallel.setThreads(w.integer("threads", 2));
      w.out.put("threads", Parallel.threads());
      switch (argv[0]) {
        case "optim" -> w.optim();
        case "gemm" -> w.gemm();
        case "epoch" -> w.epoch();
        default -> throw new IllegalStateException("no runner for " + argv[0]);
      }
    } catch (UsageException e) {
      System.err.println("Workloads: " + e.getMessage());
      System.err.println("usage: Workloads optim|gemm|epoch [--option value ...] (see the class Javadoc)");
      System.exit(2);
      return;
    }
    System.out.println(json(w.out));
  }

  /** The workload and options of {@code argv}; a wrong command line throws {@link UsageException}. */
  static Workloads parse(String[] argv) {
    if (argv.length == 0) {
      throw new UsageException("no workload given");
    }
    return new Workloads(argv);
  }

  /** A wrong command line. */
  private static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private void optim() {
    String name = string("optimizer", "Adam");
    int elements = integer("elements", 16_000_000);
    int tensors = integer("tensors", 1);
    String stateDtype = string("state-dtype", "float32");
    out.put("optimizer", name);
    out.put("elements", elements);
    out.put("tensors", tensors);
    out.put("state_dtype", stateDtype);
    out.put("bytes_per_element", OptimizerWorkload.bytesPerElement(name, stateDtype));
    OptimizerWorkload workload;
    try {
      workload = new OptimizerWorkload(name, elements, tensors, OptimizerWorkload.extraOptions(stateDtype), 2);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      if (stateDtype.equals("float32")) {
        throw e;
      }
      out.put("skipped", name + " does not accept state_dtype=" + stateDtype + " in this build: " + e.getMessage());
      return;
    }
    time(integer("warmup", 20), integer("reps", 30), workload::step);
  }

  private void gemm() {
    int n = integer("n", 1024);
    out.put("n", n);
    Generator g = new Generator(42);
    Tensor a = Tensor.randn(g, DType.FLOAT32, n, n);
    Tensor b = Tensor.randn(g, DType.FLOAT32, n, n);
    Tensor[] c = new Tensor[1];
    time(integer("warmup", 3), integer("reps", 10), () -> c[0] = a.matmul(b));
    out.put("gflops", 2.0 * n * n * n / ((Double) out.get("ms") * 1e6));
  }

  private void epoch() {
    String model = string("model", "mlp");
    String data = args.get("data");
    if (data == null) {
      throw new UsageException("epoch needs --data DIR (the full MNIST, scripts/fetch-data.sh)");
    }
    Integer samples = args.containsKey("train-samples") ? integer("train-samples", 0) : null;
    int warmupBatches = integer("warmup-batches", 50);
    RunConfig config = new RunConfig(model, "SGD", sgd(), List.of(), null, Map.of(), "epoch", 0, 1.0, 1, 100, 0,
        Parallel.threads(), null, data, samples, 1000);
    Datasets full = Datasets.load(config);
    out.put("model", model);
    out.put("samples", full.train().size());
    out.put("warmup_batches", warmupBatches);
    Trainer.Output quiet = new Trainer.Output().out(new PrintStream(OutputStream.nullOutputStream()));
    if (warmupBatches > 0) {
      List<Tensor> t = full.train().tensors();
      int n = Math.min(warmupBatches * 100, full.train().size());
      TensorDataset head = new TensorDataset(t.get(0).narrow(0, 0, n), t.get(1).narrow(0, 0, n));
      Trainer.create(config, new Datasets(head, full.test(), "warm-up"), quiet).trainTo(1);
    }
    Trainer trainer = Trainer.create(config, full, quiet);
    trainer.trainTo(1);
    double ms = trainer.history().get(0).trainSeconds() * 1e3;
    out.put("ms", ms);
    out.put("min_ms", ms);
    out.put("reps", 1);
    out.put("train_loss", trainer.history().get(0).trainLoss());
  }

  private static Map<String, Object> sgd() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("lr", 0.1);
    o.put("momentum", 0.9);
    o.put("weight_decay", 5e-4);
    return o;
  }

  /**
   * Runs {@code op} {@code warmup} times (or for {@value #WARMUP_SECONDS} s, whichever ends first), then
   * times it {@code reps} times (or, after {@value #MIN_REPS} repetitions, until {@value #TIMED_SECONDS} s
   * have passed); records the median, the minimum and the number of timed repetitions.
   */
  private void time(int warmup, int reps, Runnable op) {
    long warmupEnd = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
    for (int i = 0; i < warmup && (i == 0 || System.nanoTime() < warmupEnd); i++) {
      op.run();
    }
    double[] ms = new double[reps];
    long timedEnd = System.nanoTime() + (long) (TIMED_SECONDS * 1e9);
    int done = 0;
    while (done < reps && (done < MIN_REPS || System.nanoTime() < timedEnd)) {
      long start = System.nanoTime();
      op.run();
      ms[done++] = (System.nanoTime() - start) * 1e-6;
    }
    Arrays.sort(ms, 0, done);
    out.put("ms", done % 2 == 1 ? ms[done / 2] : (ms[done / 2 - 1] + ms[done / 2]) / 2);
    out.put("min_ms", ms[0]);
    out.put("reps", done);
  }

  private String string(String key, String defaultValue) {
    return args.getOrDefault(key, defaultValue);
  }

  private int integer(String key, int defaultValue) {
    String v = args.get(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + key + " expects an integer, got '" + v + "'");
    }
  }

  private static String json(Map<String, Object> m) {
    List<String> fields = new ArrayList<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Object v = e.getValue();
      String value;
      if (v instanceof String s) {
        value = "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
      } else if (v instanceof Double d) {
        value = Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null";
      } else {
        value = String.valueOf(v);
      }
      fields.add("\"" + e.getKey() + "\": " + value);
    }
    return "{" + String.join(", ", fields) + "}";
  }
}
