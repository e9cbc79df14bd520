package org.optim4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code optim4j} command: {@code train} (the default), {@code compare}, {@code schedule}, {@code eval}.
 *
 * <p>Exit codes: 0 on success; 2 for a usage error (an unknown model, optimizer or scheduler, with the valid
 * choices; an option the optimizer rejects; a missing or broken data directory, with how to fetch it); 1
 * for any other failure (a truncated or corrupt checkpoint, an I/O error). Errors are one message on
 * standard error without a stack trace; set {@code OPTIM4J_DEBUG=1} to see the trace.
 */
public final class Main {
  /** The top-level command; its subcommands are added by {@link #commandLine}. */
  @Command(name = "optim4j", mixinStandardHelpOptions = true, version = "optim4j 0.1.0-SNAPSHOT",
      description = {"PyTorch's torch.optim for the JVM: train the seeds' models with any optimizer and lr "
          + "scheduler, compare optimizers, draw schedules, evaluate checkpoints.", "",
          "Without a command, runs 'train' (with the options given, or its defaults).", ""},
      commandListHeading = "%nCommands:%n")
  static final class Optim4j implements Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line, printing to {@code out} and {@code err}, and returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cl = commandLine(out, err);
    return cl.execute(withDefaultCommand(args));
  }

  /** {@code train} in front of an empty command line or one that starts with a train option. */
  static String[] withDefaultCommand(String[] args) {
    if (args.length > 0 && (!args[0].startsWith("-") || List.of("-h", "--help", "-V", "--version").contains(args[0]))) {
      return args;
    }
    String[] withTrain = new String[args.length + 1];
    withTrain[0] = "train";
    System.arraycopy(args, 0, withTrain, 1, args.length);
    return withTrain;
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Optim4j());
    cl.addSubcommand("train", new TrainCommand(out, err));
    cl.addSubcommand("compare", new CompareCommand(out, err));
    cl.addSubcommand("schedule", new ScheduleCommand(out));
    cl.addSubcommand("eval", new EvalCommand(out));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setUsageHelpWidth(110);
    cl.setParameterExceptionHandler((ParameterException ex, String[] args) -> {
      CommandLine cmd = ex.getCommandLine();
      err.println("optim4j: " + ex.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
      err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      if (System.getenv("OPTIM4J_DEBUG") != null) {
        ex.printStackTrace(err);
      }
      if (ex instanceof UsageException) {
        err.println("optim4j: " + ex.getMessage());
        return 2;
      }
      if (ex instanceof UncheckedIOException || ex instanceof IllegalArgumentException
          || ex instanceof IllegalStateException || ex instanceof UnsupportedOperationException) {
        err.println("optim4j: error: " + ex.getMessage());
        return 1;
      }
      err.println("optim4j: error: " + ex);
      return 1;
    });
    return cl;
  }
}
