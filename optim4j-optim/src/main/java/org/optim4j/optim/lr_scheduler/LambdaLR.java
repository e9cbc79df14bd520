package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.optim4j.optim.Optimizer;

/**
 * Sets each group's learning rate to its initial one times a function of the epoch, PyTorch's
 * {@code LambdaLR}.
 *
 * <pre>
 * lr_t = base_lr · λ(t)          (t = last_epoch; also at construction, with t = 0)
 * </pre>
 *
 * <p>Options: {@code lr_lambda}, one {@link LrLambda} for every group or a list of one per group;
 * {@code last_epoch} (default −1). It has no separate closed form: {@code step(epoch)} evaluates λ at that
 * epoch.
 *
 * <pre>{@code
 * LRScheduler s = new LambdaLR(opt, epoch -> Math.pow(0.95, epoch));   // 0.01, 0.0095, 0.009025, …
 * }</pre>
 *
 * <p>State dict: the base keys, then {@code lr_lambdas}: each function's {@link LrLambda#stateDict()} (null
 * for a lambda, as PyTorch saves a plain function as {@code None}).
 */
public class LambdaLR extends LRScheduler {
  private final List<LrLambda> lrLambdas;

  /** One function for every group. */
  public LambdaLR(Optimizer optimizer, LrLambda lrLambda) {
    this(optimizer, lrLambda, -1);
  }

  /** One function for every group, resuming after {@code lastEpoch} (−1 to start). */
  public LambdaLR(Optimizer optimizer, LrLambda lrLambda, int lastEpoch) {
    this(Lambdas.repeat(optimizer, lrLambda, false), optimizer, lastEpoch);
  }

  /**
   * One function per group.
   *
   * @throws IllegalArgumentException {@code "Expected n lr_lambdas, but got m"}
   */
  public LambdaLR(Optimizer optimizer, List<? extends LrLambda> lrLambdas) {
    this(optimizer, lrLambdas, -1);
  }

  /** One function per group, resuming after {@code lastEpoch} (−1 to start). */
  public LambdaLR(Optimizer optimizer, List<? extends LrLambda> lrLambdas, int lastEpoch) {
    this(Lambdas.perGroup(optimizer, lrLambdas, false), optimizer, lastEpoch);
  }

  private LambdaLR(List<LrLambda> checked, Optimizer optimizer, int lastEpoch) {
    super(optimizer, lastEpoch);
    this.lrLambdas = checked;
    initialStep();
  }

  @Override
  protected List<Double> getLr() {
    List<Double> lrs = new ArrayList<>();
    for (int i = 0; i < lrLambdas.size(); i++) {
      lrs.add(baseLrs.get(i) * lrLambdas.get(i).applyAsDouble(lastEpoch));
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
