package org.optim4j.optim.swa_utils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.nn.Module;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * A running average of a model's weights, for Stochastic Weight Averaging (SWA) and Exponential Moving
 * Average (EMA), PyTorch's {@code torch.optim.swa_utils.AveragedModel}.
 *
 * <p>It holds a deep copy of the model as its child {@code "module"} and the 0-dim int64 buffer {@code
 * "n_averaged"}, the number of models averaged so far; {@link #forward} runs the copy. Each call of
 * {@link #updateParameters(Module)} folds the model's current weights into the copy:
 *
 * <pre>
 * W   ← the averaged parameters (with use_buffers: the module's parameters, then its buffers)
 * W_m ← the model's, in the same order (zipped to the shorter list)
 * if n_averaged = 0:  W ← W_m                                (the first update copies)
 * else:               multi_avg_fn(W, W_m, n_averaged)           per dtype,  when multi_avg_fn is given
 *                     W ← avg_fn(W, W_m, n_averaged)             per tensor, when avg_fn is given
 *                     W ← W + (W_m − W) / (n_averaged + 1)       otherwise (SWA: {@link SwaUtils#getSwaAvgFn()})
 * if not use_buffers: the module's buffers ← the model's buffers   (copied, not averaged)
 * n_averaged ← n_averaged + 1
 * </pre>
 *
 * <p>Options (PyTorch's keywords): {@code avg_fn} ({@link AvgFn}, default null), {@code multi_avg_fn}
 * ({@link MultiAvgFn}, default null; at most one of the two), {@code use_buffers} (default false: BatchNorm
 * statistics are copied from the model, or recomputed afterwards with {@link SwaUtils#updateBn}; true: they
 * are averaged too).
 *
 * <pre>{@code
 * AveragedModel swa = new AveragedModel(model);                                     // SWA
 * AveragedModel ema = new AveragedModel(model, AveragedModel.options()
 *     .multiAvgFn(SwaUtils.getEmaMultiAvgFn(0.999)).useBuffers(true));               // EMA of weights and buffers
 * }</pre>
 *
 * <p>The state dict holds {@code n_averaged} and the module's entries as {@code module.<name>}; the averaging
 * functions are not saved.
 *
 * <p>Papers: Izmailov et al., "Averaging Weights Leads to Wider Optima and Better Generalization", UAI 2018;
 * Polyak averaging for the EMA.
 *
 * <p>Differences from PyTorch: there is no {@code device} argument (optim4j runs on the CPU); giving both
 * functions is an {@link IllegalArgumentException} (PyTorch raises {@code AssertionError}) with PyTorch's
 * message; a buffer-count mismatch with {@code use_buffers = false} is detected before anything changes (PyTorch
 * raises it after averaging the parameters). Like PyTorch on the CPU, the default rule is the single-tensor SWA
 * function, not the multi-tensor one ({@link SwaUtils#getSwaMultiAvgFn()} rounds its weight to float32).
 */
public class AveragedModel extends Module {
  private static final String MODULE = "module";
  private static final String N_AVERAGED = "n_averaged";

  private final AvgFn avgFn;
  private final MultiAvgFn multiAvgFn;
  private final boolean useBuffers;

  /** An equally weighted average (SWA) of {@code model}'s parameters; buffers are copied. */
  public AveragedModel(Module model) {
    this(model, null, null, false);
  }

  /**
   * An average of {@code model} with the given options.
   *
   * @throws IllegalArgumentException if both {@code avg_fn} and {@code multi_avg_fn} are given
   */
  public AveragedModel(Module model, Options options) {
    this(model, options.avgFn, options.multiAvgFn, options.useBuffers);
  }

  /**
   * An average of {@code model}, PyTorch's positional signature without the device.
   *
   * @param model the model whose weights are averaged; it is deep-copied ({@link Module#deepCopy()})
   * @param avgFn the per-tensor averaging function, or null
   * @param multiAvgFn the in-place multi-tensor averaging function, or null
   * @param useBuffers whether buffers are averaged too
   * @throws IllegalArgumentException {@code "Only one of avg_fn and multi_avg_fn should be provided"}
   */
  public AveragedModel(Module model, AvgFn avgFn, MultiAvgFn multiAvgFn, boolean useBuffers) {
    Objects.requireNonNull(model, "model must not be null: AveragedModel needs a Module to average");
    if (avgFn != null && multiAvgFn != null) {
      throw new IllegalArgumentException("Only one of avg_fn and multi_avg_fn should be provided");
    }
    registerModule(MODULE, model.deepCopy());
    registerBuffer(N_AVERAGED, Tensor.scalar(0, DType.INT64));
    this.avgFn = avgFn;
    this.multiAvgFn = multiAvgFn;
    this.useBuffers = useBuffers;
  }

  /** Options with PyTorch's defaults: no averaging function (SWA), {@code use_buffers = false}. */
  public static Options options() {
    return new Options();
  }

  /** The keyword options of {@link AveragedModel}; each setter returns this. */
  public static final class Options {
    private AvgFn avgFn;
    private MultiAvgFn multiAvgFn;
    private boolean useBuffers;

    private Options() {}

    /** {@code avg_fn}: the per-tensor averaging function (default null). */
    public Options avgFn(AvgFn avgFn) {
      this.avgFn = avgFn;
      return this;
    }

    /** {@code multi_avg_fn}: the in-place multi-tensor averaging function (default null). */
    public Options multiAvgFn(MultiAvgFn multiAvgFn) {
      this.multiAvgFn = multiAvgFn;
      return this;
    }

    /** {@code use_buffers}: whether buffers are averaged too (default false). */
    public Options useBuffers(boolean useBuffers) {
      this.useBuffers = useBuffers;
      return this;
    }
  }

  /** Runs the averaged copy of the model, PyTorch's {@code forward} (which delegates to {@code self.module}). */
  @Override
  public Tensor forward(Tensor input) {
    return module().apply(input);
  }

  /** The averaged copy of the model (PyTorch's {@code module} attribute). */
  public Module module() {
    return getSubmodule(MODULE);
  }

  /** The number of models averaged so far, the live 0-dim int64 buffer {@code n_averaged}. */
  public Tensor nAveraged() {
    return buffer(N_AVERAGED);
  }

  /** The per-tensor averaging function, or null. */
  public AvgFn avgFn() {
    return avgFn;
  }

  /** The multi-tensor averaging function, or null. */
  public MultiAvgFn multiAvgFn() {
    return multiAvgFn;
  }

  /** Whether buffers are averaged too. */
  public boolean useBuffers() {
    return useBuffers;
  }

  /**
   * Folds {@code model}'s current weights into the average, PyTorch's {@code update_parameters(model)} (see
   * the class comment): the first call copies them, later calls apply the averaging function, and without
   * {@code use_buffers} the model's buffers are copied. Runs under no-grad; the model is not changed.
   *
   * @param model a model of the averaged model's structure (usually the one being trained)
   * @throws IllegalArgumentException PyTorch's {@code "zip() argument 2 is shorter than argument 1"} (or
   *     {@code longer}) when, without {@code use_buffers}, the two have different numbers of buffers
   */
  @SuppressWarnings("try")
  public void updateParameters(Module model) {
    Objects.requireNonNull(model, "model");
    Module averagedModule = module();
    List<Tensor> selfParams = useBuffers ? concat(averagedModule.parameters(), averagedModule.buffers())
        : new ArrayList<>(parameters());
    List<Tensor> modelParams = useBuffers ? concat(model.parameters(), model.buffers())
        : new ArrayList<>(model.parameters());
    List<Tensor> selfBuffers = useBuffers ? List.of() : averagedModule.buffers();
    List<Tensor> modelBuffers = useBuffers ? List.of() : model.buffers();
    if (selfBuffers.size() != modelBuffers.size()) {
      throw new IllegalArgumentException("zip() argument 2 is " + (modelBuffers.size() < selfBuffers.size()
          ? "shorter" : "longer") + " than argument 1");
    }
    Tensor n = nAveraged();
    try (var noGrad = GradMode.noGrad()) {
      boolean copyParam = n.item() == 0;
      int count = Math.min(selfParams.size(), modelParams.size());
      List<Tensor> averaged = new ArrayList<>(count);
      List<Tensor> current = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        Tensor pAveraged = selfParams.get(i).detach();
        Tensor pModel = modelParams.get(i).detach();
        averaged.add(pAveraged);
        current.add(pModel);
        if (copyParam) {
          pAveraged.copy_(pModel);
        }
      }
      if (n.item() > 0) {
        average(averaged, current, n);
      }
      for (int i = 0; i < selfBuffers.size(); i++) {
        selfBuffers.get(i).detach().copy_(modelBuffers.get(i).detach());
      }
      n.add_(1);
    }
  }

  private void average(List<Tensor> averaged, List<Tensor> current, Tensor n) {
    if (multiAvgFn != null) {
      Map<DType, List<Tensor>> averagedByDtype = new LinkedHashMap<>();
      Map<DType, List<Tensor>> currentByDtype = new LinkedHashMap<>();
      for (int i = 0; i < averaged.size(); i++) {
        DType dtype = averaged.get(i).dtype();
        averagedByDtype.computeIfAbsent(dtype, d -> new ArrayList<>()).add(averaged.get(i));
        currentByDtype.computeIfAbsent(dtype, d -> new ArrayList<>()).add(current.get(i));
      }
      for (Map.Entry<DType, List<Tensor>> group : averagedByDtype.entrySet()) {
        multiAvgFn.update(group.getValue(), currentByDtype.get(group.getKey()), n);
      }
      return;
    }
    AvgFn fn = avgFn != null ? avgFn : SwaUtils.getSwaAvgFn();
    for (int i = 0; i < averaged.size(); i++) {
      averaged.get(i).copy_(fn.apply(averaged.get(i), current.get(i), n));
    }
  }

  private static List<Tensor> concat(List<? extends Tensor> a, List<? extends Tensor> b) {
    List<Tensor> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return all;
  }
}
