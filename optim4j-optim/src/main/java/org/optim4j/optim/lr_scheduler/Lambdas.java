package org.optim4j.optim.lr_scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optim4j.optim.Optimizer;

/** The per-group functions of LambdaLR and MultiplicativeLR and their entries in the state dict. */
final class Lambdas {
  private Lambdas() {}

  /** One function for every group. */
  static List<LrLambda> repeat(Optimizer optimizer, LrLambda lrLambda, boolean typeError) {
    Objects.requireNonNull(optimizer, "optimizer must not be null: a scheduler needs an Optimizer");
    if (lrLambda == null) {
      if (typeError) {
        throw new IllegalArgumentException("lr_lambda should be a function, but got NoneType");
      }
      throw new NullPointerException("lr_lambda must not be null");
    }
    return Collections.nCopies(optimizer.paramGroups().size(), lrLambda);
  }

  /** One function per group, PyTorch's length check first. */
  static List<LrLambda> perGroup(Optimizer optimizer, List<? extends LrLambda> lrLambdas, boolean typeError) {
    Objects.requireNonNull(optimizer, "optimizer must not be null: a scheduler needs an Optimizer");
    Objects.requireNonNull(lrLambdas, "lr_lambda must not be null");
    int groups = optimizer.paramGroups().size();
    if (lrLambdas.size() != groups) {
      throw new IllegalArgumentException("Expected " + groups + " lr_lambdas, but got " + lrLambdas.size());
    }
    List<LrLambda> copy = new ArrayList<>();
    for (LrLambda f : lrLambdas) {
      if (f == null) {
        if (typeError) {
          throw new IllegalArgumentException("lr_lambda should be a function, but got NoneType");
        }
        throw new NullPointerException("lr_lambda must not be null");
      }
      copy.add(f);
    }
    return Collections.unmodifiableList(copy);
  }

  /** The {@code lr_lambdas} entry: each function's state, null for a function without state. */
  static List<Object> stateDict(List<LrLambda> lrLambdas) {
    List<Object> states = new ArrayList<>();
    for (LrLambda f : lrLambdas) {
      states.add(f.stateDict());
    }
    return states;
  }

  /** Checks the {@code lr_lambdas} entry of a state dict being loaded; null when absent. */
  static List<?> checkState(Map<String, ?> sd, int count) {
    if (!sd.containsKey("lr_lambdas")) {
      return null;
    }
    Object v = sd.get("lr_lambdas");
    if (!(v instanceof List<?> states) || states.size() != count) {
      throw StateValues.wrong("lr_lambdas", "a list of " + count + " function states (maps or None)", v);
    }
    for (Object s : states) {
      if (s != null && !(s instanceof Map)) {
        throw StateValues.wrong("lr_lambdas", "a list of " + count + " function states (maps or None)", v);
      }
    }
    return states;
  }

  /** Gives each function with a saved state its state back. */
  @SuppressWarnings("unchecked") // checked by checkState: every non-null entry is a Map with String keys
  static void loadState(List<LrLambda> lrLambdas, List<?> states) {
    if (states == null) {
      return;
    }
    for (int i = 0; i < states.size(); i++) {
      if (states.get(i) != null) {
        lrLambdas.get(i).loadStateDict((Map<String, ?>) states.get(i));
      }
    }
  }
}
