package org.optim4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.optim4j.data.DataLoader;
import org.optim4j.nn.Sequential;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.internal.Parallel;
import org.optim4j.train.Checkpoint;
import org.optim4j.train.Datasets;
import org.optim4j.train.Evaluation;
import org.optim4j.train.Models;
import org.optim4j.train.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code optim4j eval CHECKPOINT}: the test loss and accuracy of a saved model. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Loads the model of a checkpoint and prints the seed's TESTING line for the whole test set of "
        + "the data it was trained on (or of --data / --embedded).", ""})
final class EvalCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A checkpoint.safetensors written by train.")
  Path checkpoint;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Evaluate on the full MNIST test set in DIR instead of the run's data.")
  Path data;

  @Option(names = "--embedded", description = "Evaluate on the embedded MNIST test subset instead of the run's data.")
  boolean embedded;

  @Option(names = "--test-samples", paramLabel = "N",
      description = "Evaluate on the first N test samples only. Default: the whole test set.")
  Integer testSamples;

  @Option(names = "--threads", paramLabel = "N", description = "Kernel threads. Default: the number of processors.")
  Integer threads;

  private final PrintStream out;

  EvalCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (data != null && embedded) {
      throw new ParameterException(spec.commandLine(), "give --data or --embedded, not both");
    }
    if (threads != null) {
      if (threads < 1) {
        throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
      }
      Parallel.setThreads(threads);
    }
    Checkpoint c = Checkpoint.load(checkpoint);
    if (testSamples != null && testSamples < 1) {
      throw new ParameterException(spec.commandLine(), "--test-samples must be at least 1, got " + testSamples);
    }
    RunConfig config = c.config().withSamples(null, testSamples);
    if (data != null || embedded) {
      config = config.withData(embedded ? null : data.toAbsolutePath().normalize().toString());
    }
    Datasets sets = TrainCommand.load(config);
    Sequential model = Models.create(config.model(), new Generator(config.seed()), new Generator(config.seed() + 1));
    try {
      model.loadStateDict(c.model());
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " does not fit the " + config.model()
          + " model: " + e.getMessage(), e);
    }
    Models.Spec s = Models.spec(config.model());
    DataLoader loader = new DataLoader(sets.test(), DataLoader.options().batchSize(1000));
    out.println("Model " + config.model() + " after epoch " + c.epoch() + " of " + checkpoint + " on "
        + sets.description());
    out.println(Evaluation.of(model, loader, Models.loss(s.task()), s.task()).testingLine());
    return 0;
  }
}
