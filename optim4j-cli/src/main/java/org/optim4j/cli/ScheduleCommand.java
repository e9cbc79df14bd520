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
import org.optim4j.train.Plots;
import org.optim4j.train.PyFloat;
import org.optim4j.train.Schedulers;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code optim4j schedule}: draws learning-rate schedules, without training anything. */
@Command(name = "schedule", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Draws the learning rate of lr schedulers over N optimizer steps into one PNG (one chart per "
        + "scheduler) and prints a few values of each.",
        "",
        "Default set: StepLR, ExponentialLR, CosineAnnealingLR, CyclicLR (mode triangular, the default), OneCycleLR, a LinearLR "
            + "warm-up followed by CosineAnnealingLR (SequentialLR), and CosineAnnealingWarmRestarts.", ""},
    footer = {"", "Example:",
        "  optim4j schedule --steps 50 --scheduler StepLR --sched-opt step_size=10 --sched-opt gamma=0.5 \\",
        "                   --scheduler CosineAnnealingLR --sched-opt T_max=50 --warmup 5"})
final class ScheduleCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "100",
      description = "Optimizer steps to draw. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.1",
      description = "The optimizer's lr (SGD with momentum 0.9). Default: ${DEFAULT-VALUE}.")
  double lr;

  @Option(names = "--columns", paramLabel = "N", defaultValue = "2",
      description = "Charts per row of the PNG. Default: ${DEFAULT-VALUE}.")
  int columns;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "runs/schedules.png",
      description = "The PNG to write; a CSV of every curve goes beside it. Default: ${DEFAULT-VALUE}.")
  Path file;

  /** One scheduler to draw. */
  static final class Entry {
    @Option(names = "--scheduler", paramLabel = "NAME", required = true,
        description = "A scheduler by PyTorch's class name; repeatable. Default: the set above.")
    String name;

    @Option(names = "--sched-opt", paramLabel = "KEY=VALUE",
        description = "A keyword argument of the preceding --scheduler, the value read as JSON.")
    List<String> opts;

    @Option(names = "--warmup", paramLabel = "STEPS", defaultValue = "0",
        description = "Linear warm-up steps before the preceding --scheduler (LinearLR, then SequentialLR).")
    int warmup;

    @Option(names = "--warmup-start-factor", paramLabel = "F", defaultValue = "0.1",
        description = "The warm-up's first lr as a fraction of the base lr. Default: ${DEFAULT-VALUE}.")
    double warmupStartFactor;

    @Option(names = "--label", paramLabel = "TEXT", description = "The preceding --scheduler's chart title.")
    String label;
  }

  @ArgGroup(exclusive = false, multiplicity = "0..*")
  List<Entry> entries;

  private final PrintStream out;

  ScheduleCommand(PrintStream out) {
    this.out = out;
  }

  private record Curve(String label, String name, Map<String, Object> options, int warmup, double startFactor) {}

  @Override
  public Integer call() {
    if (steps < 1 || columns < 1) {
      throw new ParameterException(spec.commandLine(), "--steps and --columns must be at least 1");
    }
    if (!(lr > 0)) {
      throw new ParameterException(spec.commandLine(), "--lr must be positive, got " + lr);
    }
    List<Curve> curves = new ArrayList<>();
    if (entries == null || entries.isEmpty()) {
      curves.addAll(defaults());
    } else {
      for (Entry e : entries) {
        if (!Schedulers.names().contains(e.name)) {
          throw new ParameterException(spec.commandLine(), "Invalid value for option '--scheduler': unknown "
              + "scheduler '" + e.name + "'; valid schedulers: " + String.join(", ", Schedulers.names()));
        }
        Map<String, Object> o;
        try {
          o = OptionValues.parse(e.opts, "--sched-opt");
        } catch (IllegalArgumentException ex) {
          throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        String label = e.label != null ? e.label : title(e.name, o, e.warmup);
        curves.add(new Curve(label, e.name, o, e.warmup, e.warmupStartFactor));
      }
    }
    List<Plots.Curve> drawn = new ArrayList<>();
    double[] x = new double[steps];
    for (int i = 0; i < steps; i++) {
      x[i] = i;
    }
    StringBuilder csv = new StringBuilder("step");
    List<double[]> values = new ArrayList<>();
    out.println(String.format(Locale.ROOT, "%-58s %10s %10s %10s %10s %10s", "scheduler (lr at step)", "0",
        Integer.toString(steps / 4), Integer.toString(steps / 2), Integer.toString(3 * steps / 4),
        Integer.toString(steps - 1)));
    for (Curve c : curves) {
      double[] y;
      try {
        y = Schedulers.simulate(c.name(), c.options(), c.warmup(), c.startFactor(), steps, lr);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new UsageException(c.label() + ": " + e.getMessage(), e);
      }
      drawn.add(new Plots.Curve(c.label(), x, y));
      values.add(y);
      csv.append(',').append('"').append(c.label().replace("\"", "\"\"")).append('"');
      out.println(String.format(Locale.ROOT, "%-58s %10.5g %10.5g %10.5g %10.5g %10.5g", shorten(c.label()), y[0],
          y[steps / 4], y[steps / 2], y[3 * steps / 4], y[steps - 1]));
    }
    csv.append('\n');
    for (int i = 0; i < steps; i++) {
      csv.append(i);
      for (double[] y : values) {
        csv.append(',').append(PyFloat.repr(y[i]));
      }
      csv.append('\n');
    }
    Plots.schedules(drawn, file, "optimizer step", Math.min(columns, curves.size()));
    String name = file.getFileName().toString();
    Path csvFile = file.resolveSibling(name.endsWith(".png") ? name.substring(0, name.length() - 4) + ".csv"
        : name + ".csv");
    AtomicFiles.write(csvFile, csv.toString());
    out.println("Wrote " + file + " and " + csvFile);
    return 0;
  }

  private List<Curve> defaults() {
    int n = steps;
    int tenth = Math.max(1, n / 10);
    double gamma = Math.round(Math.pow(0.01, 1.0 / n) * 1e4) / 1e4;
    List<Curve> c = new ArrayList<>();
    c.add(curve("StepLR", 0, "step_size", Math.max(1, n / 4), "gamma", 0.5));
    c.add(curve("ExponentialLR", 0, "gamma", gamma));
    c.add(curve("CosineAnnealingLR", 0, "T_max", n));
    c.add(curve("CyclicLR", 0, "base_lr", lr / 10, "max_lr", lr, "step_size_up", tenth));
    c.add(curve("OneCycleLR", 0, "max_lr", lr, "total_steps", n));
    c.add(curve("CosineAnnealingLR", tenth, "T_max", Math.max(1, n - tenth)));
    c.add(curve("CosineAnnealingWarmRestarts", 0, "T_0", tenth, "T_mult", 2));
    return c;
  }

  private static Curve curve(String name, int warmup, Object... kv) {
    Map<String, Object> o = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      o.put((String) kv[i], kv[i + 1]);
    }
    return new Curve(title(name, o, warmup), name, o, warmup, 0.1);
  }

  private static String title(String name, Map<String, Object> o, int warmup) {
    String t = name + "(" + OptionValues.format(o) + ")";
    return warmup > 0 ? "LinearLR warm-up " + warmup + " steps → " + t : t;
  }

  private static String shorten(String s) {
    return s.length() <= 58 ? s : s.substring(0, 55) + "...";
  }
}
