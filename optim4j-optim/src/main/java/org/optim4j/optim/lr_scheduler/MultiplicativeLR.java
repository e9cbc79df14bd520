package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;

/**
 * Multiplies each group's learning rate by a function of the epoch at every step, PyTorch's
 * {@code MultiplicativeLR}.
 *
 * <pre>
 * lr_t = lr_{t−1} · λ(t)         (t ≥ 1; the initial step leaves lr unchanged)
 * </pre>
 *
 * <p>Options: {@code lr_lambda}, one {@link LrLambda} for every group or a list of one per group;
 * {@code last_epoch} (default −1). Chainable; no closed form.
 *
 * <pre>{@code
 * LRScheduler s = new MultiplicativeLR(opt, epoch -> 0.95);   // 1.0, 0.95, 0.9025, … times the lr
 * }</pre>
 *
 * <p>State dict: the base keys, then {@code lr_lambdas} (see {@link LambdaLR}).
 */
public class MultiplicativeLR extends LRScheduler {
  private final List<LrLambda> lrLambdas;

  /**
   * One function for every group.
   *
   * @throws IllegalArgumentException {@code "lr_lambda should be a function, but got NoneType"} for null
   */
  public MultiplicativeLR(Optimizer optimizer, LrLambda lrLambda) {
    this(optimizer, lrLambda, -1);
  }

  /** One function for every group, resuming after {@code lastEpoch} (−1 to start). */
  public MultiplicativeLR(Optimizer optimizer, LrLambda lrLambda, int lastEpoch) {
    this(Lambdas.repeat(optimizer, lrLambda, true), optimizer, lastEpoch);
  }

  /**
   * One function per group.
   *
   * @throws IllegalArgumentException {@code "Expected n lr_lambdas, but got m"}, or {@code "lr_lambda should
   *     be a function, but got NoneType"} for a null element
   */
  public MultiplicativeLR(Optimizer optimizer, List<? extends LrLambda> lrLambdas) {
    this(optimizer, lrLambdas, -1);
  }

  /** One function per group, resuming after {@code lastEpoch} (−1 to start). */
  public MultiplicativeLR(Optimizer optimizer, List<? extends LrLambda> lrLambdas, int lastEpoch) {
    this(Lambdas.perGroup(optimizer, lrLambdas, true), optimizer, lastEpoch);
  }

  private MultiplicativeLR(List<LrLambda> checked, Optimizer optimizer, int lastEpoch) {
    super(optimizer, lastEpoch);
    this.lrLambdas = checked;
    initialStep();
  }

  @Override
  protected List<Double> getLr() {
    List<Double> current = currentLrs();
    if (isInitial()) {
      return current;
    }
    List<Double> lrs = new ArrayList<>();
    for (int i = 0; i < current.size(); i++) {
      lrs.add(ChainableSchedules.multiplicative(current.get(i), lrLambdas.get(i).applyAsDouble(lastEpoch)));
    }
    return lrs;
  }

  /** The base keys, then {@code lr_lambdas}. */
  @Override
  public Map<String, Object> stateDict() {
    Map<String, Object> sd = super.stateDict();
    sd.put("lr_lambdas", Lambdas.stateDict(lrLambdas));
    return sd;
  }

  @Override
  public void loadStateDict(Map<String, ?> stateDict) {
    List<?> states = Lambdas.checkState(stateDict, lrLambdas.size());
    super.loadStateDict(stateDict);
    Lambdas.loadState(lrLambdas, states);
  }
}
