package org.optim4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.SGD;
import org.optim4j.optim.lr_scheduler.LRScheduler;
import org.optim4j.optim.lr_scheduler.LRSchedulers;
import org.optim4j.optim.lr_scheduler.ReduceLROnPlateau;
import org.optim4j.optim.lr_scheduler.SequentialLR;
import org.optim4j.tensor.Tensor;

/**
 * Builds a run's lr scheduler by PyTorch's class name ({@code LRSchedulers.create}) and drives it: per epoch
 * or per batch, {@code ReduceLROnPlateau} on the epoch's test loss, with an optional linear warm-up in front
 * ({@code SequentialLR} of a {@code LinearLR} and the scheduler, switching after the warm-up steps). This is
 * the only class of the CLI that touches {@code org.optim4j.optim.lr_scheduler}.
 *
 * <p>Conveniences of the command line, not of PyTorch: when {@code OneCycleLR} has neither {@code
 * total_steps} nor {@code epochs}, and when {@code CosineAnnealingLR} has no {@code T_max}, they are set to
 * the run's length in scheduler steps (after the warm-up).
 */
public final class Schedulers {
  private Schedulers() {}

  /** The schedulers that can be built by name. */
  public static List<String> names() {
    return new ArrayList<>(LRSchedulers.names());
  }

  /** {@code "batch"} for the schedulers made to step per batch (CyclicLR, OneCycleLR), otherwise {@code "epoch"}. */
  public static String defaultInterval(String name) {
    return "CyclicLR".equals(name) || "OneCycleLR".equals(name) ? "batch" : "epoch";
  }

  /**
   * The schedule of {@code config} for {@code optimizer}; {@link Schedule#NONE} when it has no scheduler.
   *
   * @throws IllegalArgumentException if the scheduler rejects its options
   */
  public static Schedule create(RunConfig config, Optimizer optimizer, int batchesPerEpoch) {
    String name = config.scheduler();
    if (name == null) {
      return Schedule.NONE;
    }
    boolean perBatch = config.schedulerInterval().equals("batch");
    if (name.equals("ReduceLROnPlateau") && perBatch) {
      throw new IllegalArgumentException("ReduceLROnPlateau steps on the test loss after each epoch;"
          + " --sched-interval batch does not apply to it");
    }
    int steps = perBatch ? config.epochs() * batchesPerEpoch : config.epochs();
    LRScheduler s = build(name, optimizer, withRunLength(name, config.schedulerOptions(), steps - config.warmup()),
        config.warmup(), config.warmupStartFactor());
    return new Driven(s, perBatch);
  }

  /**
   * The learning rate of the first group at each of {@code steps} optimizer steps of SGD(lr, momentum=0.9)
   * under the scheduler (ReduceLROnPlateau sees a constant metric).
   *
   * @throws IllegalArgumentException if the scheduler rejects its options
   */
  public static double[] simulate(String name, Map<String, Object> options, int warmup, double warmupStartFactor,
      int steps, double lr) {
    Tensor p = Tensor.zeros(1).requiresGrad_(true);
    Optimizer opt = new SGD(List.of(p), SGD.options().lr(lr).momentum(0.9));
    LRScheduler s = build(name, opt, withRunLength(name, options, steps - warmup), warmup, warmupStartFactor);
    double[] lrs = new double[steps];
    for (int i = 0; i < steps; i++) {
      lrs[i] = opt.paramGroups().get(0).getDouble("lr");
      opt.step();
      if (s instanceof ReduceLROnPlateau plateau) {
        plateau.step(1.0);
      } else {
        s.step();
      }
    }
    return lrs;
  }

  private static Map<String, Object> withRunLength(String name, Map<String, Object> options, int steps) {
    Map<String, Object> o = new LinkedHashMap<>(options);
    int length = Math.max(1, steps);
    if (name.equals("OneCycleLR") && !o.containsKey("total_steps") && !o.containsKey("epochs")) {
      o.put("total_steps", length);
    }
    if (name.equals("CosineAnnealingLR") && !o.containsKey("T_max")) {
      o.put("T_max", length);
    }
    return o;
  }

  private static LRScheduler build(String name, Optimizer optimizer, Map<String, Object> options, int warmup,
      double warmupStartFactor) {
    if (warmup == 0) {
      return LRSchedulers.create(name, optimizer, options);
    }
    if (name.equals("ReduceLROnPlateau")) {
      throw new IllegalArgumentException("a warm-up cannot precede ReduceLROnPlateau (SequentialLR does not take it)");
    }
    Map<String, Object> linear = new LinkedHashMap<>();
    linear.put("start_factor", warmupStartFactor);
    linear.put("end_factor", 1.0);
    linear.put("total_iters", warmup);
    LRScheduler warm = LRSchedulers.create("LinearLR", optimizer, linear);
    LRScheduler main = LRSchedulers.create(name, optimizer, options);
    return new SequentialLR(optimizer, List.of(warm, main), List.of(warmup));
  }

  /** A scheduler stepped per batch or per epoch. */
  private static final class Driven implements Schedule {
    private final LRScheduler scheduler;
    private final boolean perBatch;

    Driven(LRScheduler scheduler, boolean perBatch) {
      this.scheduler = scheduler;
      this.perBatch = perBatch;
    }

    @Override
    public void afterBatch() {
      if (perBatch) {
        scheduler.step();
      }
    }

    @Override
    public void afterEpoch(double testLoss) {
      if (scheduler instanceof ReduceLROnPlateau plateau) {
        plateau.step(testLoss);
      } else if (!perBatch) {
        scheduler.step();
      }
    }

    @Override
    public Map<String, Object> stateDict() {
      return scheduler.stateDict();
    }

    @Override
    public void loadStateDict(Map<String, ?> stateDict) {
      if (stateDict == null) {
        throw new IllegalArgumentException("the checkpoint has no scheduler state but this run has a scheduler");
      }
      scheduler.loadStateDict(stateDict);
    }
  }
}
