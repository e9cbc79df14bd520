package org.optim4j.optim.lr_scheduler;

import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * A function of an integer step that a scheduler calls: the multiplicative factor of {@link LambdaLR} and
 * {@link MultiplicativeLR} (of the epoch), or the custom scale function of {@link CyclicLR} (of the cycle
 * number or of the iteration).
 *
 * <p>A lambda has no state to save, so its entry in the scheduler's state dict is null: PyTorch saves
 * plain functions and lambdas as {@code None}. A stateful function object (PyTorch's callable object, whose
 * {@code __dict__} is saved) implements {@link #stateDict()} and {@link #loadStateDict}:
 *
 * <pre>{@code
 * final class Warmup implements LrLambda {
 *   int warmupSteps = 10;
 *   public double applyAsDouble(int epoch) { return Math.min(1.0, (epoch + 1.0) / warmupSteps); }
 *   public Map<String, Object> stateDict() { return Map.of("warmup_steps", warmupSteps); }
 *   public void loadStateDict(Map<String, ?> state) { warmupSteps = ((Number) state.get("warmup_steps")).intValue(); }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface LrLambda extends IntToDoubleFunction {
  /**
   * The function's state, saved in the scheduler's state dict; null (the default) for a function without
   * state, as PyTorch saves a plain function.
   */
  default Map<String, Object> stateDict() {
    return null;
  }

  /**
   * Restores the state returned by {@link #stateDict()}; called only with a non-null state. The default
   * ignores it.
   */
  default void loadStateDict(Map<String, ?> state) {}
}
