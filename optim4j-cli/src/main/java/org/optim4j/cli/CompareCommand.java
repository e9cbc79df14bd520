package org.optim4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.optim4j.train.AtomicFiles;
import org.optim4j.train.Datasets;
import org.optim4j.train.EpochMetrics;
import org.optim4j.train.Evaluation;
import org.optim4j.train.Models;
import org.optim4j.train.Plots;
import org.optim4j.train.Progress;
import org.optim4j.train.PyFloat;
import org.optim4j.train.RunConfig;
import org.optim4j.train.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code optim4j compare}: the seed's optimizer tour, several optimizers on the same model and data. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The lab's tour of the optimizers: trains the same model from the same initial weights with "
        + "each optimizer, prints the seed's lines, then a summary table, and draws every loss and accuracy "
        + "curve into compare.png.",
        "",
        "Default list: SGD(lr=0.1), SGD+momentum (lr=0.1, momentum=0.9, weight_decay=5e-4), RMSprop and Adam "
            + "with PyTorch's default hyperparameters, 5 epochs each.", ""},
    footer = {"", "Example:",
        "  optim4j compare --optimizer SGD --opt lr=0.1 --optimizer Adam --label \"Adam 3e-4\" --opt lr=3e-4"})
final class CompareCommand implements Callable<Integer> {
  @Mixin
  RunOptions run;

  /** One optimizer of the comparison. */
  static final class Entry {
    @Option(names = "--optimizer", paramLabel = "NAME", required = true,
        description = "An optimizer to compare, by PyTorch's class name; repeatable. Default: the seed's four.")
    String name;

    @Option(names = "--opt", paramLabel = "KEY=VALUE",
        description = "A keyword argument of the preceding --optimizer, the value read as JSON.")
    List<String> opts;

    @Option(names = "--label", paramLabel = "TEXT", description = "The preceding --optimizer's name in the plot.")
    String label;
  }

  @ArgGroup(exclusive = false, multiplicity = "0..*")
  List<Entry> entries;

  private final PrintStream out;
  private final PrintStream err;

  CompareCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  private record Run(String label, String optimizer, Map<String, Object> options) {}

  @Override
  public Integer call() {
    List<Run> runs = new ArrayList<>();
    if (entries == null || entries.isEmpty()) {
      runs.add(new Run("SGD", "SGD", options("lr", 0.1)));
      runs.add(new Run("SGD+momentum", "SGD", options("lr", 0.1, "momentum", 0.9, "weight_decay", 5e-4)));
      runs.add(new Run("RMSprop", "RMSprop", options()));
      runs.add(new Run("Adam", "Adam", options()));
    } else {
      for (Entry e : entries) {
        Map<String, Object> o = run.parse(e.opts, "--opt");
        runs.add(new Run(e.label != null ? e.label : e.name + (o.isEmpty() ? "" : " " + OptionValues.format(o)),
            e.name, o));
      }
    }
    List<RunConfig> configs = new ArrayList<>();
    for (Run r : runs) {
      run.checkOptimizer(r.optimizer(), "--optimizer");
      configs.add(run.config(r.optimizer(), r.options(), List.of(), false, 5));
    }
    Models.Spec spec = run.modelSpec();
    Path dir = run.outDir("compare");
    Datasets data = TrainCommand.load(configs.get(0));
    out.println("Comparing " + runs.size() + " optimizers on " + run.model + ", " + data.description() + "; "
        + configs.get(0).epochs() + " epochs each; writing to " + dir);
    Map<String, List<EpochMetrics>> histories = new LinkedHashMap<>();
    List<String> rows = new ArrayList<>();
    List<String> csv = new ArrayList<>(List.of("label,optimizer,options,train_loss,train_accuracy,test_loss,"
        + "test_accuracy,train_seconds"));
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      RunConfig c = configs.get(i);
      out.println();
      out.println("== " + r.label() + ": " + c.optimizer() + "(" + OptionValues.format(c.optimizerOptions()) + ") ==");
      Trainer trainer;
      try {
        trainer = Trainer.create(c, data, new Trainer.Output().dir(dir.resolve(safe(r.label()))).out(out)
            .progress(Progress.forConsole(err, 10)).plots(false).checkpoints(false));
      } catch (IllegalArgumentException e) {
        throw new UsageException(r.label() + ": " + e.getMessage(), e);
      }
      Evaluation test = trainer.run();
      List<EpochMetrics> h = trainer.history();
      histories.put(r.label(), h);
      EpochMetrics last = h.get(h.size() - 1);
      double seconds = h.stream().mapToDouble(EpochMetrics::trainSeconds).sum();
      rows.add(String.format(Locale.ROOT, "%-28s %10.4f %9s %10.4f %9s %9.1f", r.label(), last.trainLoss(),
          percent(last.trainPerformance()), test.loss(), percent(test.performance()), seconds));
      csv.add(String.join(",", quote(r.label()), c.optimizer(), quote(OptionValues.format(c.optimizerOptions())),
          PyFloat.repr(last.trainLoss()), PyFloat.repr(last.trainPerformance()), PyFloat.repr(test.loss()),
          PyFloat.repr(test.performance()), PyFloat.repr(seconds)));
    }
    out.println();
    out.println(String.format(Locale.ROOT, "%-28s %10s %9s %10s %9s %9s", "optimizer", "train loss", "train acc",
        "test loss", "test acc", "time (s)"));
    rows.forEach(out::println);
    AtomicFiles.write(dir.resolve("summary.csv"), String.join("\n", csv) + "\n");
    if (!run.noPlots) {
      Plots.compare(histories, dir.resolve("compare.png"), "Optimizers on " + run.model,
          spec.task() == Models.Task.CLASSIFICATION);
      out.println("Curves: " + dir.resolve("compare.png"));
    }
    out.println("Summary: " + dir.resolve("summary.csv"));
    return 0;
  }

  private static Map<String, Object> options(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String percent(double v) {
    return Double.isNaN(v) ? "--" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static String safe(String label) {
    return label.replaceAll("[^A-Za-z0-9_.+-]+", "_");
  }
}
