package org.optim4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.optim4j.train.AtomicFiles;
import org.optim4j.train.Checkpoint;
import org.optim4j.train.Datasets;
import org.optim4j.train.LayerGroup;
import org.optim4j.train.Progress;
import org.optim4j.train.RunConfig;
import org.optim4j.train.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optim4j train}: one training run, the seed's loop with any optimizer and scheduler. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Trains a model on MNIST (or the linear regression) with any optimizer and lr scheduler, "
        + "printing the seed's line per epoch and the TESTING line at the end. The run directory gets "
        + "metrics.csv, loss/accuracy/lr PNG plots and checkpoint.safetensors after every epoch.",
        "",
        "Without options: the lab's MLP on the embedded MNIST subset with SGD(lr=0.1, momentum=0.9, "
            + "weight_decay=5e-4) and MultiStepLR(milestones=[6, 11], gamma=0.1), 15 epochs of batch 100.", ""},
    footer = {"", "Examples:",
        "  optim4j train --optimizer Adam --opt lr=1e-3 --opt betas=[0.9,0.999] --epochs 5",
        "  optim4j train --optimizer LBFGS --opt max_iter=20 --opt line_search_fn=strong_wolfe --batch-size 1000",
        "  optim4j train --scheduler OneCycleLR --sched-opt max_lr=0.1",
        "  optim4j train --group 0:6 --group 6:8 --group-opt weight_decay=1e-3",
        "  optim4j train --model cnn --data data --threads 2",
        "  optim4j train --resume runs/RUN/checkpoint.safetensors --epochs 20"})
final class TrainCommand implements Callable<Integer> {
  @Mixin
  RunOptions run;

  @Option(names = "--optimizer", paramLabel = "NAME", order = -2,
      description = "The optimizer by PyTorch's class name (SGD, Adam, AdamW, RMSprop, LBFGS, ...). Default: the "
          + "model's (SGD).")
  String optimizer;

  @Option(names = "--opt", paramLabel = "KEY=VALUE", order = -1,
      description = "An optimizer keyword argument, the value read as JSON (lr=0.1, betas=[0.9,0.999], "
          + "amsgrad=true, max_iter=20; anything else is a string: line_search_fn=strong_wolfe); repeatable. "
          + "Without --optimizer these override the model's defaults.")
  List<String> opts;

  /** One per-layer parameter group. */
  static final class GroupSpec {
    @Option(names = "--group", paramLabel = "FROM:TO", required = true,
        description = "A parameter group of layers FROM (inclusive) to TO (exclusive) of the model, the seed's "
            + "model.layers[FROM:TO]; repeatable.")
    String range;

    @Option(names = "--group-opt", paramLabel = "KEY=VALUE",
        description = "An option of the preceding --group that overrides the optimizer's (weight_decay=1e-3).")
    List<String> opts;
  }

  @ArgGroup(exclusive = false, multiplicity = "0..*")
  List<GroupSpec> groups;

  @Option(names = "--resume", paramLabel = "CHECKPOINT",
      description = "Continue the run saved in CHECKPOINT with its configuration; only --epochs, --threads, "
          + "--data, --out and the display options may be given.")
  Path resume;

  @Option(names = "--keep-checkpoints",
      description = "Keep every epoch's checkpoint as checkpoints/epoch-NNN.safetensors as well.")
  boolean keepCheckpoints;

  private final PrintStream out;
  private final PrintStream err;

  TrainCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Trainer trainer;
    RunConfig config;
    Path dir;
    if (resume != null) {
      for (String o : List.of("--model", "--optimizer", "--opt", "--group", "--group-opt", "--scheduler",
          "--sched-opt", "--sched-interval", "--warmup", "--warmup-start-factor", "--batch-size", "--seed",
          "--clip-grad-norm", "--train-samples", "--test-samples")) {
        if (run.given(o)) {
          throw run.usage(o + " cannot be given with --resume: the run continues with the checkpoint's "
              + "configuration (only --epochs, --threads, --data and --out may change)");
        }
      }
      Checkpoint checkpoint = Checkpoint.load(resume);
      config = checkpoint.config();
      if (run.epochs != null) {
        run.positive(run.epochs, "--epochs");
        config = config.withEpochs(run.epochs);
      }
      if (run.threads != null && run.threads() != config.threads()) {
        err.println("optim4j: warning: the checkpoint was trained with --threads " + config.threads()
            + "; with " + run.threads + " the results are not bit-identical to an uninterrupted run");
        config = config.withThreads(run.threads);
      }
      if (run.data != null) {
        config = config.withData(run.data.toAbsolutePath().normalize().toString());
      }
      dir = run.out != null ? run.out : resume.toAbsolutePath().getParent();
      Datasets data = load(config);
      trainer = Trainer.resume(checkpoint, config, data, output(dir));
      out.println("Resuming " + resume + " after epoch " + trainer.completedEpochs() + " of " + config.epochs());
      describe(config, data, dir);
    } else {
      List<LayerGroup> layerGroups = new ArrayList<>();
      if (groups != null) {
        for (GroupSpec g : groups) {
          layerGroups.add(parseGroup(g));
        }
      }
      config = run.config(optimizer, run.parse(opts, "--opt"), layerGroups, true, null);
      dir = run.outDir(config.optimizer());
      Datasets data = load(config);
      try {
        trainer = Trainer.create(config, data, output(dir));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      }
      describe(config, data, dir);
      AtomicFiles.write(dir.resolve("config.json"), Json.pretty(config.toMap()));
    }
    trainer.run();
    out.println("Run directory: " + dir);
    return 0;
  }

  private LayerGroup parseGroup(GroupSpec g) {
    String[] parts = g.range.split(":");
    try {
      if (parts.length != 2) {
        throw new NumberFormatException();
      }
      return new LayerGroup(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
          run.parse(g.opts, "--group-opt"));
    } catch (NumberFormatException e) {
      throw run.usage("--group expects FROM:TO (layer indices, such as 0:6), got '" + g.range + "'");
    }
  }

  private Trainer.Output output(Path dir) {
    return new Trainer.Output().dir(dir).out(out).progress(Progress.forConsole(err, 10))
        .plots(!run.noPlots).keepCheckpoints(keepCheckpoints);
  }

  static Datasets load(RunConfig config) {
    try {
      return Datasets.load(config);
    } catch (Datasets.DataUnavailableException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  private void describe(RunConfig c, Datasets data, Path dir) {
    out.println("Model " + c.model() + " on " + data.description());
    out.println("Optimizer " + c.optimizer() + "(" + OptionValues.format(c.optimizerOptions()) + ")"
        + groupsText(c) + "; scheduler " + (c.scheduler() == null ? "none"
        : c.scheduler() + "(" + OptionValues.format(c.schedulerOptions()) + ") per " + c.schedulerInterval()
        + (c.warmup() > 0 ? " after " + c.warmup() + " warm-up steps" : "")));
    out.println(String.format(Locale.ROOT, "%d epochs, batch size %s, seed %d, %d threads%s; writing to %s",
        c.epochs(), c.batchSize() > 0 ? Integer.toString(c.batchSize()) : "all", c.seed(), c.threads(),
        c.clipGradNorm() == null ? "" : ", gradient norm clipped to " + c.clipGradNorm(), dir));
  }

  private static String groupsText(RunConfig c) {
    if (c.groups().isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (LayerGroup g : c.groups()) {
      parts.add("layers " + g.from() + ":" + g.to() + (g.options().isEmpty() ? ""
          : " (" + OptionValues.format(g.options()) + ")"));
    }
    return " with groups " + String.join(", ", parts);
  }
}
