package org.optim4j.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.optim4j.data.DataLoader;
import org.optim4j.nn.Loss;
import org.optim4j.nn.Sequential;
import org.optim4j.nn.utils.Utils;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.Optimizers;
import org.optim4j.optim.ParamGroup;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.internal.Parallel;

/**
 * The seed's training loop ({@code train_model} with {@code train_epoch}, {@code test_model}, an lr scheduler
 * and checkpoints), for any model, optimizer and scheduler of a {@link RunConfig}.
 *
 * <p>Each batch goes through {@code optimizer.step(closure)}, whose closure zeroes the gradients, runs the
 * model, computes the loss, back-propagates and clips the gradient norm if asked; so LBFGS, which calls
 * the closure several times, trains like any other optimizer. The meters take the loss and the predictions
 * of the closure's first call, made before the update, as the seed's loop does. After each epoch the model
 * is evaluated on the test set, the scheduler steps, and the run directory gets the epoch's line in {@code
 * metrics.csv}, the plots and {@code checkpoint.safetensors} (for the linear regression, whose epochs are
 * single steps, every 500th epoch and the last).
 *
 * <p><b>Determinism.</b> The weights come from a generator seeded with {@code seed}, dropout masks from one
 * seeded with {@code seed + 1} and the shuffling order from one seeded with {@code seed + 2}; kernels split
 * their work statically over {@code threads}. A checkpoint holds all three generators' states, the data
 * order, the optimizer's and the scheduler's state, so a run resumed from epoch k with the same thread
 * count ends with exactly the parameters of an uninterrupted run.
 */
public final class Trainer {
  /** Where and how a run reports. */
  public static final class Output {
    private Path dir;
    private PrintStream out = System.out;
    private Progress progress = Progress.SILENT;
    private boolean plots = true;
    private boolean checkpoints = true;
    private boolean keepCheckpoints;

    /** The run directory for metrics, plots and checkpoints; null writes no files. */
    public Output dir(Path value) {
      this.dir = value;
      return this;
    }

    /** Where the epoch lines go. */
    public Output out(PrintStream value) {
      this.out = value;
      return this;
    }

    /** How progress within an epoch is shown. */
    public Output progress(Progress value) {
      this.progress = value;
      return this;
    }

    /** Whether to render the PNG plots. */
    public Output plots(boolean value) {
      this.plots = value;
      return this;
    }

    /** Whether to write {@code checkpoint.safetensors}. */
    public Output checkpoints(boolean value) {
      this.checkpoints = value;
      return this;
    }

    /** Whether to keep every epoch's checkpoint as {@code checkpoints/epoch-NNN.safetensors} too. */
    public Output keepCheckpoints(boolean value) {
      this.keepCheckpoints = value;
      return this;
    }
  }

  /** The name of the checkpoint file in a run directory. */
  public static final String CHECKPOINT = "checkpoint.safetensors";

  private final RunConfig config;
  private final Models.Spec spec;
  private final Output output;
  private final Generator init;
  private final Generator dropout;
  private final Sequential model;
  private final Loss lossFn;
  private final Optimizer optimizer;
  private final Schedule schedule;
  private final DataLoader trainLoader;
  private final DataLoader testLoader;
  private final List<EpochMetrics> history = new ArrayList<>();
  private int completedEpochs;
  private Evaluation lastTest;

  private Trainer(RunConfig config, Datasets data, Output output) {
    this.config = config;
    this.spec = Models.spec(config.model());
    this.output = output;
    Parallel.setThreads(config.threads());
    this.init = new Generator(config.seed());
    this.dropout = new Generator(config.seed() + 1);
    this.model = Models.create(config.model(), init, dropout);
    this.lossFn = Models.loss(spec.task());
    this.optimizer = optimizer(config, model);
    int batch = config.batchSize() > 0 ? config.batchSize() : data.train().size();
    this.trainLoader = new DataLoader(data.train(), DataLoader.options().batchSize(batch)
        .shuffle(spec.task() == Models.Task.CLASSIFICATION).generator(new Generator(config.seed() + 2)));
    this.testLoader = new DataLoader(data.test(), DataLoader.options().batchSize(Math.max(batch, 1000)));
    this.schedule = Schedulers.create(config, optimizer, trainLoader.size());
  }

  /**
   * A new run of {@code config} on {@code data}.
   *
   * @throws IllegalArgumentException if the optimizer, its options, the groups or the scheduler are invalid
   */
  public static Trainer create(RunConfig config, Datasets data, Output output) {
    return new Trainer(config, data, output);
  }

  /**
   * A run continued from {@code checkpoint}. {@code config} is the checkpoint's configuration, possibly
   * with another epoch count, thread count or data directory. Everything in the checkpoint is checked
   * against the rebuilt run before any of it is loaded.
   *
   * @throws IllegalArgumentException if the checkpoint does not fit the model, optimizer or scheduler
   */
  public static Trainer resume(Checkpoint checkpoint, RunConfig config, Datasets data, Output output) {
    Trainer t = new Trainer(config, data, output);
    t.restore(checkpoint);
    return t;
  }

  /** Builds the optimizer of {@code config} over {@code model}'s parameters or layer groups. */
  static Optimizer optimizer(RunConfig config, Sequential model) {
    if (config.groups().isEmpty()) {
      return Optimizers.create(config.optimizer(), model.parameters(), config.optimizerOptions());
    }
    List<ParamGroup> groups = new ArrayList<>();
    for (LayerGroup g : config.groups()) {
      Sequential layers = model.layers(g.from(), g.to());
      if (layers.parameters().isEmpty()) {
        throw new IllegalArgumentException("--group " + g.from() + ":" + g.to() + " holds no parameters (the "
            + config.model() + " model has " + model.size() + " layers: " + layerNames(model) + ")");
      }
      ParamGroup pg = ParamGroup.of(layers.parameters());
      g.options().forEach(pg::with);
      groups.add(pg);
    }
    return Optimizers.create(config.optimizer(), groups, config.optimizerOptions());
  }

  private static String layerNames(Sequential model) {
    List<String> names = new ArrayList<>();
    int i = 0;
    for (var m : model) {
      names.add(i++ + " " + m.getClass().getSimpleName());
    }
    return String.join(", ", names);
  }

  /** The model being trained. */
  public Sequential model() {
    return model;
  }

  /** The optimizer. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** The metrics of the epochs so far, including those before a resume. */
  public List<EpochMetrics> history() {
    return List.copyOf(history);
  }

  /** The number of epochs completed, including those before a resume. */
  public int completedEpochs() {
    return completedEpochs;
  }

  /**
   * Trains up to the configured number of epochs, then prints and returns the test evaluation (the
   * seed's TESTING line).
   */
  public Evaluation run() {
    trainTo(config.epochs());
    Evaluation test = lastTest != null ? lastTest : evaluate();
    output.out.println(test.testingLine());
    return test;
  }

  /**
   * Trains the epochs after {@link #completedEpochs()} up to {@code lastEpoch} (at most the configured
   * number), printing each epoch's line and updating the run directory; stopping here and resuming from
   * the checkpoint is the same as going on.
   */
  public void trainTo(int lastEpoch) {
    int end = Math.min(lastEpoch, config.epochs());
    int logEvery = spec.logEvery();
    for (int epoch = completedEpochs + 1; epoch <= end; epoch++) {
      EpochMetrics m = trainEpoch(epoch);
      history.add(m);
      completedEpochs = epoch;
      if (epoch % logEvery == 0 || epoch == config.epochs() || epoch == end || epoch == 1) {
        output.out.println(epochLine(m));
        writeFiles(epoch);
      }
    }
  }

  /** The test-set evaluation of the current model. */
  public Evaluation evaluate() {
    return Evaluation.of(model, testLoader, lossFn, spec.task());
  }

  private EpochMetrics trainEpoch(int epoch) {
    double lr = optimizer.paramGroups().get(0).getDouble("lr");
    AverageMeter loss = new AverageMeter();
    AverageMeter performance = new AverageMeter();
    int batches = trainLoader.size();
    output.progress.start(String.format(Locale.ROOT, "Epoch %d/%d", epoch, config.epochs()), batches);
    model.train();
    long start = System.nanoTime();
    int done = 0;
    Iterator<List<Tensor>> it = trainLoader.iterator();
    while (it.hasNext()) {
      List<Tensor> batch = it.next();
      Tensor x = batch.get(0);
      Tensor y = batch.get(1);
      Tensor[] first = new Tensor[2];
      optimizer.step(() -> {
        optimizer.zeroGrad();
        Tensor yHat = model.apply(x);
        Tensor l = lossFn.apply(yHat, y);
        l.backward();
        if (config.clipGradNorm() != null) {
          Utils.clipGradNorm_(model.parameters(), config.clipGradNorm());
        }
        if (first[0] == null) {
          first[0] = yHat;
          first[1] = l;
        }
        return l;
      });
      if (first[0] == null) {
        throw new IllegalStateException(config.optimizer() + ".step(closure) did not call the closure");
      }
      int n = x.size(0);
      loss.update(first[1].item(), n);
      // The predictions are scored off the graph: argmax needs no backward node.
      performance.update(spec.task() == Models.Task.CLASSIFICATION ? Evaluation.accuracy(first[0].detach(), y)
          : Double.NaN, n);
      schedule.afterBatch();
      done++;
      output.progress.update(done, loss.avg(), loss.count() / ((System.nanoTime() - start) * 1e-9));
    }
    double seconds = (System.nanoTime() - start) * 1e-9;
    output.progress.finish();
    lastTest = evaluate();
    schedule.afterEpoch(lastTest.loss());
    return new EpochMetrics(epoch, lr, loss.sum(), loss.avg(), performance.avg(), lastTest.lossTotal(),
        lastTest.loss(), lastTest.performance(), seconds, loss.count() / seconds);
  }

  /** The seed's epoch line with the learning rate and the test metrics appended. */
  static String epochLine(EpochMetrics m) {
    return "Epoch " + m.epoch() + " completed. Loss - total: " + PyFloat.repr(m.trainLossTotal()) + " - average: "
        + PyFloat.repr(m.trainLoss()) + "; Performance: " + performance(m.trainPerformance()) + "; lr: "
        + PyFloat.repr(m.lr()) + "; Test - average loss: " + PyFloat.repr(m.testLoss()) + " - performance: "
        + performance(m.testPerformance()) + String.format(Locale.ROOT, " (%.1f s, %.0f samples/s)",
        m.trainSeconds(), m.samplesPerSecond());
  }

  private static String performance(double p) {
    return Double.isNaN(p) ? "--" : PyFloat.repr(p);
  }

  private void writeFiles(int epoch) {
    if (output.dir == null) {
      return;
    }
    if (output.checkpoints) {
      Checkpoint c = checkpoint();
      c.save(output.dir.resolve(CHECKPOINT));
      if (output.keepCheckpoints) {
        c.save(output.dir.resolve("checkpoints").resolve(String.format(Locale.ROOT, "epoch-%03d.safetensors", epoch)));
      }
    }
    StringBuilder csv = new StringBuilder(String.join(",", EpochMetrics.COLUMNS)).append('\n');
    for (EpochMetrics m : history) {
      csv.append(m.csvRow()).append('\n');
    }
    AtomicFiles.write(output.dir.resolve("metrics.csv"), csv.toString());
    if (output.plots) {
      Plots.training(history, output.dir, title(), spec.task() == Models.Task.CLASSIFICATION);
    }
  }

  /** "mlp · SGD · MultiStepLR", for chart titles. */
  String title() {
    return config.model() + " · " + config.optimizer() + (config.scheduler() == null ? "" : " · " + config.scheduler());
  }

  /** The state of the run now, at the end of epoch {@link #completedEpochs()}. */
  public Checkpoint checkpoint() {
    Map<String, long[]> generators = new LinkedHashMap<>();
    generators.put("init", init.getState());
    generators.put("dropout", dropout.getState());
    generators.put("default", Generator.defaultGenerator().getState());
    return new Checkpoint(completedEpochs, config, model.stateDict(), optimizer.stateDict(), schedule.stateDict(),
        generators, trainLoader.orderState(), trainLoader.size(), history);
  }

  private void restore(Checkpoint c) {
    String where = "the checkpoint (epoch " + c.epoch() + ")";
    Map<String, Tensor> current = model.stateDict();
    if (!current.keySet().equals(c.model().keySet())) {
      throw new IllegalArgumentException(where + " holds weights " + c.model().keySet() + " but the " + config.model()
          + " model has " + current.keySet());
    }
    for (Map.Entry<String, Tensor> e : current.entrySet()) {
      Tensor saved = c.model().get(e.getKey());
      if (!Arrays.equals(saved.shape(), e.getValue().shape()) || saved.dtype() != e.getValue().dtype()) {
        throw new IllegalArgumentException(where + ": weight " + e.getKey() + " is " + saved.dtype() + " "
            + Arrays.toString(saved.shape()) + " but the model's is " + e.getValue().dtype() + " "
            + Arrays.toString(e.getValue().shape()));
      }
    }
    for (String g : List.of("init", "dropout", "default")) {
      long[] s = c.generators().get(g);
      if (s == null || s.length != 7) {
        throw new IllegalArgumentException(where + " has no valid state for generator '" + g + "'");
      }
    }
    if (c.nextBatch() != trainLoader.size()) {
      throw new IllegalArgumentException(where + " continues at batch " + c.nextBatch() + " of an epoch of "
          + trainLoader.size() + " batches; only end-of-epoch checkpoints of the same data and batch size can be"
          + " resumed");
    }
    if (c.epoch() > config.epochs()) {
      throw new IllegalArgumentException(where + " is past the requested " + config.epochs() + " epochs");
    }
    Map<String, Object> optimizerBefore = Snapshots.deepCopy(optimizer.stateDict());
    Map<String, Object> scheduleBefore = Snapshots.deepCopy(schedule.stateDict());
    long[] orderBefore = trainLoader.orderState();
    try {
      optimizer.loadStateDict(c.optimizer());
      schedule.loadStateDict(c.scheduler());
      trainLoader.loadOrderState(c.dataOrder());
    } catch (RuntimeException e) {
      optimizer.loadStateDict(optimizerBefore);
      schedule.loadStateDict(scheduleBefore);
      trainLoader.loadOrderState(orderBefore);
      throw new IllegalArgumentException(where + " does not fit this run: " + e.getMessage(), e);
    }
    model.loadStateDict(c.model());
    init.setState(c.generators().get("init"));
    dropout.setState(c.generators().get("dropout"));
    Generator.defaultGenerator().setState(c.generators().get("default"));
    trainLoader.iterator(c.nextBatch());   // draws the finished epoch's order, so the next epoch's follows it
    history.clear();
    history.addAll(c.history());
    completedEpochs = c.epoch();
  }
}
