package org.optim4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines a training run, as the command line gave it after the model's defaults were
 * filled in. A checkpoint stores it ({@link #toMap()}), so that {@code --resume} and {@code eval} rebuild
 * the same model, optimizer, scheduler and data.
 *
 * @param model {@code mlp}, {@code cnn} or {@code linreg} (see {@link Models})
 * @param optimizer PyTorch's class name, as {@code Optimizers.create} takes it
 * @param optimizerOptions the optimizer's keyword arguments
 * @param groups per-layer parameter groups; empty for one group of all parameters
 * @param scheduler PyTorch's scheduler class name, or null for none
 * @param schedulerOptions the scheduler's keyword arguments
 * @param schedulerInterval {@code "epoch"} or {@code "batch"}: when the scheduler steps
 * @param warmup scheduler steps of linear warm-up (LinearLR chained before the scheduler with SequentialLR);
 *     0 for none
 * @param warmupStartFactor the warm-up's first lr as a fraction of the base lr
 * @param epochs the number of epochs to train for (in all, counting those before a resume)
 * @param batchSize samples per training batch
 * @param seed seeds the initial weights, the shuffling and dropout
 * @param threads the kernels' thread count ({@code Parallel.setThreads})
 * @param clipGradNorm the max total gradient norm, or null for no clipping
 * @param data the directory of the full MNIST, or null for the subset embedded in the jar
 * @param trainSamples use only the first N training samples; null for all
 * @param testSamples use only the first N test samples; null for all
 */
public record RunConfig(String model, String optimizer, Map<String, Object> optimizerOptions,
    List<LayerGroup> groups, String scheduler, Map<String, Object> schedulerOptions, String schedulerInterval,
    int warmup, double warmupStartFactor, int epochs, int batchSize, long seed, int threads, Double clipGradNorm,
    String data, Integer trainSamples, Integer testSamples) {

  /** Copies the collections. */
  public RunConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(optimizer, "optimizer");
    optimizerOptions = new LinkedHashMap<>(optimizerOptions);
    groups = List.copyOf(groups);
    schedulerOptions = new LinkedHashMap<>(schedulerOptions);
  }

  /** This configuration with another number of epochs. */
  public RunConfig withEpochs(int newEpochs) {
    return new RunConfig(model, optimizer, optimizerOptions, groups, scheduler, schedulerOptions,
        schedulerInterval, warmup, warmupStartFactor, newEpochs, batchSize, seed, threads, clipGradNorm, data,
        trainSamples, testSamples);
  }

  /** This configuration with another thread count. */
  public RunConfig withThreads(int newThreads) {
    return new RunConfig(model, optimizer, optimizerOptions, groups, scheduler, schedulerOptions,
        schedulerInterval, warmup, warmupStartFactor, epochs, batchSize, seed, newThreads, clipGradNorm, data,
        trainSamples, testSamples);
  }

  /** This configuration with another data directory (null: the embedded subset). */
  public RunConfig withData(String newData) {
    return new RunConfig(model, optimizer, optimizerOptions, groups, scheduler, schedulerOptions,
        schedulerInterval, warmup, warmupStartFactor, epochs, batchSize, seed, threads, clipGradNorm, newData,
        trainSamples, testSamples);
  }

  /** This configuration with other sample limits (null: all samples). */
  public RunConfig withSamples(Integer newTrainSamples, Integer newTestSamples) {
    return new RunConfig(model, optimizer, optimizerOptions, groups, scheduler, schedulerOptions,
        schedulerInterval, warmup, warmupStartFactor, epochs, batchSize, seed, threads, clipGradNorm, data,
        newTrainSamples, newTestSamples);
  }

  /** The configuration as plain JSON-able values, with the command line's option names as keys. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("optimizer", optimizer);
    m.put("opt", optimizerOptions);
    List<Object> gs = new ArrayList<>();
    for (LayerGroup g : groups) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("from", g.from());
      gm.put("to", g.to());
      gm.put("options", g.options());
      gs.add(gm);
    }
    m.put("groups", gs);
    m.put("scheduler", scheduler);
    m.put("sched_opt", schedulerOptions);
    m.put("sched_interval", schedulerInterval);
    m.put("warmup", warmup);
    m.put("warmup_start_factor", warmupStartFactor);
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("seed", seed >= Integer.MIN_VALUE && seed <= Integer.MAX_VALUE ? (Object) (int) seed : (Object) seed);
    m.put("threads", threads);
    m.put("clip_grad_norm", clipGradNorm);
    m.put("data", data);
    m.put("train_samples", trainSamples);
    m.put("test_samples", testSamples);
    return m;
  }

  /**
   * The configuration stored by {@link #toMap()}.
   *
   * @throws IllegalArgumentException if a key is missing or has the wrong type
   */
  @SuppressWarnings("unchecked")
  public static RunConfig fromMap(Map<String, ?> m) {
    List<LayerGroup> groups = new ArrayList<>();
    for (Object o : list(m, "groups")) {
      if (!(o instanceof Map<?, ?> g)) {
        throw new IllegalArgumentException("config: each of groups must be an object");
      }
      Map<String, ?> gm = (Map<String, ?>) g;
      groups.add(new LayerGroup(integer(gm, "from"), integer(gm, "to"), map(gm, "options")));
    }
    Object clip = m.get("clip_grad_norm");
    return new RunConfig(string(m, "model", false), string(m, "optimizer", false), map(m, "opt"), groups,
        string(m, "scheduler", true), map(m, "sched_opt"), string(m, "sched_interval", true), integer(m, "warmup"),
        number(m, "warmup_start_factor").doubleValue(), integer(m, "epochs"), integer(m, "batch_size"),
        number(m, "seed").longValue(), integer(m, "threads"),
        clip == null ? null : number(m, "clip_grad_norm").doubleValue(), string(m, "data", true),
        optionalInteger(m, "train_samples"), optionalInteger(m, "test_samples"));
  }

  private static String string(Map<String, ?> m, String key, boolean nullable) {
    Object v = m.get(key);
    if (v == null && nullable) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("config: " + key + " must be a string, got " + v);
    }
    return s;
  }

  private static Number number(Map<String, ?> m, String key) {
    if (!(m.get(key) instanceof Number n)) {
      throw new IllegalArgumentException("config: " + key + " must be a number, got " + m.get(key));
    }
    return n;
  }

  private static int integer(Map<String, ?> m, String key) {
    if (!(m.get(key) instanceof Integer i)) {
      throw new IllegalArgumentException("config: " + key + " must be an integer, got " + m.get(key));
    }
    return i;
  }

  private static Integer optionalInteger(Map<String, ?> m, String key) {
    return m.get(key) == null ? null : integer(m, key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, ?> m, String key) {
    if (!(m.get(key) instanceof Map<?, ?> v)) {
      throw new IllegalArgumentException("config: " + key + " must be an object, got " + m.get(key));
    }
    return (Map<String, Object>) v;
  }

  private static List<?> list(Map<String, ?> m, String key) {
    if (!(m.get(key) instanceof List<?> v)) {
      throw new IllegalArgumentException("config: " + key + " must be a list, got " + m.get(key));
    }
    return v;
  }
}
