package org.optim4j.train;

import java.util.Map;

/**
 * How a run's learning-rate scheduler is driven, so that the training loop does not need to know which
 * scheduler it has: {@link #afterBatch()} after each optimizer step, {@link #afterEpoch(double)} after each
 * epoch. Only one of the two steps the scheduler, as its interval says ({@code ReduceLROnPlateau} steps on
 * the epoch's test loss). Built by {@link Schedulers#create}.
 */
public interface Schedule {
  /** No scheduler: the learning rates stay as the optimizer has them. */
  Schedule NONE = new Schedule() {
    @Override
    public void afterBatch() {}

    @Override
    public void afterEpoch(double testLoss) {}

    @Override
    public Map<String, Object> stateDict() {
      return null;
    }

    @Override
    public void loadStateDict(Map<String, ?> stateDict) {
      if (stateDict != null) {
        throw new IllegalArgumentException("the checkpoint has scheduler state but this run has no scheduler");
      }
    }
  };

  /** Called after every optimizer step. */
  void afterBatch();

  /** Called after every epoch with the epoch's mean test loss. */
  void afterEpoch(double testLoss);

  /** The scheduler's state dict, or null when there is no scheduler. */
  Map<String, Object> stateDict();

  /** Restores a state from {@link #stateDict()}. */
  void loadStateDict(Map<String, ?> stateDict);
}
