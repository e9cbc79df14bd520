package org.optim4j.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizers;
import org.optim4j.tensor.internal.Parallel;
import org.optim4j.train.LayerGroup;
import org.optim4j.train.Models;
import org.optim4j.train.RunConfig;
import org.optim4j.train.Schedulers;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options that {@code train} and {@code compare} share: model, scheduler, data, epochs, threads, output. */
final class RunOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = "mlp",
      description = "The model: mlp (the lab's MLP), cnn (the lecture's Net) or linreg (the slides' linear "
          + "regression). Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--scheduler", paramLabel = "NAME",
      description = "An lr scheduler by PyTorch's class name (StepLR, MultiStepLR, ExponentialLR, "
          + "CosineAnnealingLR, CyclicLR, OneCycleLR, ReduceLROnPlateau, ...), or none. Default for train: the "
          + "model's (MultiStepLR milestones=[6,11] gamma=0.1 for mlp, none otherwise); for compare: none.")
  String scheduler;

  @Option(names = "--sched-opt", paramLabel = "KEY=VALUE",
      description = "A scheduler keyword argument, the value read as JSON (step_size=30, milestones=[6,11]); "
          + "repeatable.")
  List<String> schedOpts;

  @Option(names = "--sched-interval", paramLabel = "epoch|batch",
      description = "When the scheduler steps: after each epoch or after each batch. Default: batch for CyclicLR "
          + "and OneCycleLR, epoch otherwise.")
  String schedInterval;

  @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "0",
      description = "Linear lr warm-up for STEPS scheduler steps before the scheduler (LinearLR chained with "
          + "SequentialLR). Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--warmup-start-factor", paramLabel = "F", defaultValue = "0.1",
      description = "The warm-up's first lr as a fraction of the base lr. Default: ${DEFAULT-VALUE}.")
  double warmupStartFactor;

  @Option(names = "--epochs", paramLabel = "N",
      description = "Epochs to train. Default: the model's (15 mlp, 10 cnn, 5000 linreg); 5 for compare.")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "Training batch size. Default: 100 (the seeds'); the whole set for linreg.")
  Integer batchSize;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seeds the initial weights (seed), dropout (seed+1) and shuffling (seed+2). "
          + "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads the kernels split their work across. Results are bit-identical for the same seed "
          + "and thread count. Default: the number of processors.")
  Integer threads;

  @Option(names = "--clip-grad-norm", paramLabel = "MAX",
      description = "Clip the total gradient norm to MAX before each step (nn.utils.clip_grad_norm_).")
  Double clipGradNorm;

  @Option(names = "--data", paramLabel = "DIR",
      description = "A directory with the full MNIST (run scripts/fetch-data.sh DIR). Default: the 10000 + "
          + "2000-image subset embedded in the jar.")
  Path data;

  @Option(names = "--train-samples", paramLabel = "N", description = "Train on the first N samples only.")
  Integer trainSamples;

  @Option(names = "--test-samples", paramLabel = "N", description = "Test on the first N samples only.")
  Integer testSamples;

  @Option(names = "--out", paramLabel = "DIR",
      description = "The run directory (metrics.csv, PNG plots, checkpoints). Default: runs/<time>-<model>-<what>.")
  Path out;

  @Option(names = "--no-plots", description = "Do not render PNG plots.")
  boolean noPlots;

  /** Whether the user gave {@code option} on the command line. */
  boolean given(String option) {
    return spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * The run configuration for {@code optimizer} (null: the model's) with {@code optimizerOptions} on top of
   * the model's defaults when the optimizer is the model's.
   *
   * @param defaultScheduler whether a missing --scheduler means the model's scheduler (train) or none (compare)
   * @param defaultEpochs the epochs when --epochs is not given, or null for the model's
   */
  RunConfig config(String optimizer, Map<String, Object> optimizerOptions, List<LayerGroup> groups,
      boolean defaultScheduler, Integer defaultEpochs) {
    Models.Spec m = modelSpec();
    Map<String, Object> opts = new LinkedHashMap<>();
    String opt = optimizer;
    if (opt == null) {
      opt = m.optimizer();
      opts.putAll(m.optimizerOptions());
    }
    checkOptimizer(opt, "--optimizer");
    opts.putAll(optimizerOptions);
    Map<String, Object> schedOptions = new LinkedHashMap<>();
    String sched = scheduler;
    if (sched == null && defaultScheduler) {
      sched = m.scheduler();
      schedOptions.putAll(m.schedulerOptions());
    } else if ("none".equalsIgnoreCase(sched)) {
      sched = null;
    }
    Map<String, Object> given = parse(schedOpts, "--sched-opt");
    if (sched == null && !given.isEmpty()) {
      throw usage("--sched-opt needs a --scheduler");
    }
    if (sched != null && !Schedulers.names().contains(sched)) {
      throw usage("Invalid value for option '--scheduler': unknown scheduler '" + sched + "'; valid schedulers: "
          + String.join(", ", Schedulers.names()) + ", none");
    }
    schedOptions.putAll(given);
    String interval = schedInterval != null ? schedInterval : Schedulers.defaultInterval(sched);
    if (!interval.equals("epoch") && !interval.equals("batch")) {
      throw usage("Invalid value for option '--sched-interval': expected epoch or batch, got '" + interval + "'");
    }
    int e = epochs != null ? epochs : defaultEpochs != null ? defaultEpochs : m.epochs();
    int b = batchSize != null ? batchSize : m.batchSize();
    positive(e, "--epochs");
    if (batchSize != null) {
      positive(batchSize, "--batch-size");
    }
    if (warmup < 0) {
      throw usage("--warmup must be 0 or more, got " + warmup);
    }
    if (warmup > 0 && sched == null) {
      throw usage("--warmup needs a --scheduler to warm up into");
    }
    if (!(warmupStartFactor > 0 && warmupStartFactor <= 1)) {
      throw usage("--warmup-start-factor must be in (0, 1], got " + warmupStartFactor);
    }
    int t = threads();
    if (clipGradNorm != null && !(clipGradNorm > 0)) {
      throw usage("--clip-grad-norm must be positive, got " + clipGradNorm);
    }
    if (trainSamples != null) {
      positive(trainSamples, "--train-samples");
    }
    if (testSamples != null) {
      positive(testSamples, "--test-samples");
    }
    return new RunConfig(model, opt, opts, groups, sched, schedOptions, interval, warmup, warmupStartFactor, e, b,
        seed, t, clipGradNorm, data == null ? null : data.toAbsolutePath().normalize().toString(), trainSamples,
        testSamples);
  }

  Models.Spec modelSpec() {
    if (!Models.names().contains(model)) {
      throw usage("Invalid value for option '--model': unknown model '" + model + "'; valid models: "
          + String.join(", ", Models.names()));
    }
    return Models.spec(model);
  }

  int threads() {
    if (threads == null) {
      return Parallel.threads();
    }
    positive(threads, "--threads");
    return threads;
  }

  void checkOptimizer(String name, String option) {
    if (!Optimizers.names().contains(name)) {
      throw usage("Invalid value for option '" + option + "': unknown optimizer '" + name + "'; valid optimizers: "
          + String.join(", ", Optimizers.names()));
    }
  }

  Map<String, Object> parse(List<String> entries, String option) {
    try {
      return OptionValues.parse(entries, option);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  void positive(int value, String option) {
    if (value < 1) {
      throw usage(option + " must be at least 1, got " + value);
    }
  }

  /** The run directory: --out, or runs/&lt;time&gt;-&lt;model&gt;-&lt;what&gt;. */
  Path outDir(String what) {
    if (out != null) {
      return out;
    }
    String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("runs", time + "-" + model + "-" + what.replaceAll("[^A-Za-z0-9_.-]+", "_"));
  }
}
