package org.optim4j.optim.swa_utils;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.nn.BatchNorm;
import org.optim4j.nn.Module;
import org.optim4j.nn.Repr;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * The functions of PyTorch's {@code torch.optim.swa_utils}: the averaging-function factories of
 * {@link AveragedModel} and {@link #updateBn}, which recomputes the BatchNorm statistics of an averaged
 * model.
 *
 * <pre>
 * SWA  (equal weights):  W_avg ← W_avg + (W − W_avg) / (n + 1)        n = models averaged so far
 * EMA  (decay d):        W_ema ← d · W_ema + (1 − d) · W              (as lerp: W_ema + (1 − d)(W − W_ema))
 * </pre>
 *
 * <p>The multi-tensor forms ({@link #getSwaMultiAvgFn()}, {@link #getEmaMultiAvgFn(double)}) work in place
 * with {@code lerp_}, as PyTorch's {@code torch._foreach_lerp_}; the single-tensor forms ({@link #getSwaAvgFn()},
 * {@link #getEmaAvgFn(double)}) return a new tensor. The rounding follows PyTorch's operation order, which
 * differs between the two forms in the last bits. A typical SWA run (PyTorch's example):
 *
 * <pre>{@code
 * AveragedModel swaModel = new AveragedModel(model);
 * LRScheduler scheduler = new CosineAnnealingLR(optimizer, 300);
 * SWALR swaScheduler = new SWALR(optimizer, 0.05);
 * for (int epoch = 0; epoch < 300; epoch++) {
 *   for (List<Tensor> batch : loader) { ... optimizer.step(); }
 *   if (epoch > 160) {
 *     swaModel.updateParameters(model);
 *     swaScheduler.step();
 *   } else {
 *     scheduler.step();
 *   }
 * }
 * SwaUtils.updateBn(loader, swaModel);
 * }</pre>
 */
public final class SwaUtils {
  /** The decay of PyTorch's EMA factories when none is given. */
  public static final double DEFAULT_EMA_DECAY = 0.999;

  /** PyTorch's error for {@code addcdiv_} on integer tensors, which the SWA multi-tensor rule meets on them. */
  static final String INTEGER_ADDCDIV = "Integer division with addcdiv is no longer supported, and in a future  "
      + "release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
      + "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
      + "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter "
      + "implementation: (input + value * tensor1 / tensor2), for all dtypes.";

  private SwaUtils() {}

  /** {@link #getEmaMultiAvgFn(double)} with PyTorch's default decay 0.999. */
  public static MultiAvgFn getEmaMultiAvgFn() {
    return getEmaMultiAvgFn(DEFAULT_EMA_DECAY);
  }

  /**
   * The exponential moving average over lists of tensors, PyTorch's {@code get_ema_multi_avg_fn(decay)}:
   * floating-point tensors are updated with {@code ema.lerp_(current, 1 − decay)}; other tensors (such as
   * BatchNorm's {@code num_batches_tracked} with {@code use_buffers}) get {@code ema · decay + current · (1 −
   * decay)} computed in float32 and copied back (truncated).
   *
   * @param decay the weight of the old average, in [0, 1]
   * @throws IllegalArgumentException {@code "Invalid decay value 1.5 provided. Please provide a value in [0,1]
   *     range."}
   */
  @SuppressWarnings("try")
  public static MultiAvgFn getEmaMultiAvgFn(double decay) {
    checkDecay(decay);
    return (averaged, current, numAveraged) -> {
      checkSameLength(averaged, current);
      try (var noGrad = GradMode.noGrad()) {
        if (averaged.get(0).dtype().isFloatingPoint()) {
          for (int i = 0; i < averaged.size(); i++) {
            averaged.get(i).lerp_(current.get(i), 1 - decay);
          }
        } else {
          for (int i = 0; i < averaged.size(); i++) {
            Tensor ema = averaged.get(i);
            ema.copy_(ema.mul(decay).add(current.get(i).mul(1 - decay)));
          }
        }
      }
    };
  }

  /**
   * The equally weighted average over lists of tensors, PyTorch's {@code get_swa_multi_avg_fn()}:
   * {@code averaged.lerp_(current, w)} with {@code w = 1 / (n + 1)} computed as PyTorch's reciprocal of the
   * int64 count, i.e. in float32 (also for float64 tensors).
   *
   * <p>Integer tensors fail as in PyTorch, whose rule divides them with {@code addcdiv_}: averaging
   * BatchNorm buffers ({@code use_buffers}) needs the default SWA rule of {@link AveragedModel} or
   * {@link #getSwaAvgFn()} instead.
   *
   * @throws IllegalStateException (from the function) PyTorch's {@code "Integer division with addcdiv is no
   *     longer supported, …"} for integer tensors
   */
  @SuppressWarnings("try")
  public static MultiAvgFn getSwaMultiAvgFn() {
    return (averaged, current, numAveraged) -> {
      checkSameLength(averaged, current);
      try (var noGrad = GradMode.noGrad()) {
        if (!averaged.get(0).dtype().isFloatingPoint()) {
          throw new IllegalStateException(INTEGER_ADDCDIV);
        }
        double weight = Tensor.scalar(1).div(numAveraged.add(1)).item();
        for (int i = 0; i < averaged.size(); i++) {
          averaged.get(i).lerp_(current.get(i), weight);
        }
      }
    };
  }

  /** {@link #getEmaAvgFn(double)} with PyTorch's default decay 0.999. */
  public static AvgFn getEmaAvgFn() {
    return getEmaAvgFn(DEFAULT_EMA_DECAY);
  }

  /**
   * The exponential moving average of one tensor, PyTorch's {@code get_ema_avg_fn(decay)}: returns {@code
   * decay · ema + (1 − decay) · current}.
   *
   * @param decay the weight of the old average, in [0, 1]
   * @throws IllegalArgumentException {@code "Invalid decay value 1.5 provided. Please provide a value in [0,1]
   *     range."}
   */
  @SuppressWarnings("try")
  public static AvgFn getEmaAvgFn(double decay) {
    checkDecay(decay);
    return (averaged, current, numAveraged) -> {
      try (var noGrad = GradMode.noGrad()) {
        return averaged.mul(decay).add(current.mul(1 - decay));
      }
    };
  }

  /**
   * The equally weighted average of one tensor, PyTorch's {@code get_swa_avg_fn()}: returns {@code averaged +
   * (current − averaged) / (n + 1)}, dividing by the int64 count (so integer tensors give a float32 result).
   * This is also {@link AveragedModel}'s default rule on the CPU.
   */
  @SuppressWarnings("try")
  public static AvgFn getSwaAvgFn() {
    return (averaged, current, numAveraged) -> {
      try (var noGrad = GradMode.noGrad()) {
        return averaged.add(current.sub(averaged).div(numAveraged.add(1)));
      }
    };
  }

  /**
   * Recomputes the running statistics of every {@link BatchNorm} in {@code model} with one pass over
   * {@code loader}, PyTorch's {@code update_bn(loader, model)}.
   *
   * <ol>
   *   <li>Resets each BatchNorm's running statistics and remembers its momentum; without any BatchNorm it
   *       returns at once (the loader is not read, the mode not changed).
   *   <li>Puts the model in training mode and sets every BatchNorm's momentum to null, so that the running
   *       statistics become the cumulative average over the batches.
   *   <li>Runs the model, under no-grad, on each batch: a {@link Tensor}, or the first element of a
   *       {@link List} or array (PyTorch's list or tuple), such as the {@code List<Tensor>} batches of
   *       {@code org.optim4j.data.DataLoader}.
   *   <li>Restores the momenta and the model's former mode ({@code model.train(wasTraining)}, which sets the
   *       whole tree).
   * </ol>
   *
   * <p>Difference: the momenta and the mode are restored even when the model throws.
   *
   * @param loader the batches
   * @param model the model, typically an {@link AveragedModel}
   * @throws IllegalArgumentException if a batch is neither a tensor nor a list or array whose first element is
   *     one
   */
  @SuppressWarnings("try")
  public static void updateBn(Iterable<?> loader, Module model) {
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(model, "model");
    Map<BatchNorm, Double> momenta = new IdentityHashMap<>();
    List<BatchNorm> order = new ArrayList<>();
    try (var noGrad = GradMode.noGrad()) {
      for (Module m : model.modules()) {
        if (m instanceof BatchNorm bn) {
          bn.resetRunningStats();
          momenta.put(bn, bn.momentum());
          order.add(bn);
        }
      }
      if (order.isEmpty()) {
        return;
      }
      boolean wasTraining = model.isTraining();
      model.train();
      for (BatchNorm bn : order) {
        bn.setMomentum(null);
      }
      try {
        for (Object batch : loader) {
          model.apply(input(batch));
        }
      } finally {
        for (BatchNorm bn : order) {
          bn.setMomentum(momenta.get(bn));
        }
        model.train(wasTraining);
      }
    }
  }

  private static Tensor input(Object batch) {
    Object input = batch;
    if (batch instanceof List<?> list) {
      input = list.get(0);
    } else if (batch instanceof Object[] array) {
      input = array[0];
    }
    if (input instanceof Tensor t) {
      return t;
    }
    throw new IllegalArgumentException("update_bn expects each batch to be a Tensor, or a List or array whose first "
        + "element is the input Tensor; got " + (input == null ? "null" : input.getClass().getName()));
  }

  private static void checkDecay(double decay) {
    if (decay < 0.0 || decay > 1.0) {
      throw new IllegalArgumentException("Invalid decay value " + Repr.pyFloat(decay) + " provided. Please provide a "
          + "value in [0,1] range.");
    }
  }

  /** PyTorch's check of the {@code _foreach} ops. */
  private static void checkSameLength(List<Tensor> averaged, List<Tensor> current) {
    if (averaged.size() != current.size()) {
      throw new IllegalStateException("Tensor lists must have the same number of tensors, got " + averaged.size()
          + " and " + current.size());
    }
  }
}
