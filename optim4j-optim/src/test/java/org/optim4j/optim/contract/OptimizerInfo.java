package org.optim4j.optim.contract;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One optimizer's entry in the contract suite, PyTorch's {@code OptimizerInfo}: what the generic checks of
 * {@link OptimizerContractTest} need to know to run it. A new optimizer gets every check by adding one entry
 * to {@link #ALL}; the suite fails while {@code Optimizers.names()} has a name without an entry.
 *
 * @param name PyTorch's class name, as {@code Optimizers.create} takes it
 * @param keywords the constructor's keywords: PyTorch 2.13's signature ({@code inspect.signature}), plus
 *     LBFGS's {@code maximize} of 2.14; any other key must be rejected with a message listing these
 * @param converging options with which 20 steps on the contract's quadratic divide the loss by at least 4
 *     (checked against PyTorch 2.13 when the table was written: the smallest factor is RAdam's, about 22)
 * @param stateOptions options added to {@code converging} for the state checks, so that every state key the
 *     optimizer has exists and is used (SGD's momentum, RMSprop's centered momentum, AMSGrad, ASGD averaging
 *     from the start: t0 = 0, so that μ ≠ 1 from step 2 on; LBFGS stopping after two iterations, so that it
 *     does not converge while warming up)
 * @param traits what sets the optimizer apart
 * @param overwrittenStateKeys state keys that the next step writes before it reads them, in PyTorch's
 *     algorithm as in ours, so that replacing them cannot change the next step: LBFGS's {@code al} (each entry
 *     is recomputed before use) and {@code H_diag} (recomputed whenever the curvature yᵀs is positive, as it
 *     is on a convex quadratic)
 */
record OptimizerInfo(String name, List<String> keywords, Map<String, Object> converging,
    Map<String, Object> stateOptions, Set<Trait> traits, Set<String> overwrittenStateKeys) {

  /** What sets an optimizer apart from the plain first-order ones. */
  enum Trait {
    /** {@code step} needs a closure (LBFGS); without one it throws a NullPointerException. */
    NEEDS_CLOSURE,
    /** Only sparse gradients are accepted (SparseAdam); a dense one is rejected at step. */
    SPARSE_GRADS,
    /** Only 2-D parameters are accepted (Muon); others are rejected at construction. */
    MATRIX_ONLY,
    /** Each parameter's state exists right after construction (Adagrad's {@code step} and {@code sum}). */
    EAGER_STATE,
    /**
     * One group only, its parameters flattened into one vector whose state is kept under the first parameter
     * (LBFGS; the vector has the promoted dtype of the parameters, as {@code torch.cat} gives).
     */
    GLOBAL_STATE,
    /** The optimizer existed in PyTorch 1.13: fixtures/seeds/legacy113.json loads its old state dicts. */
    SINCE_1_13
  }

  static final List<OptimizerInfo> ALL = List.of(
      info("SGD", "lr momentum dampening weight_decay nesterov maximize foreach differentiable fused",
          opts("lr", 0.1), opts("momentum", 0.9), Trait.SINCE_1_13),
      info("Adam", "lr betas eps weight_decay amsgrad foreach maximize capturable differentiable fused "
          + "decoupled_weight_decay", opts("lr", 0.1), opts("amsgrad", true), Trait.SINCE_1_13),
      info("AdamW", "lr betas eps weight_decay amsgrad maximize foreach capturable differentiable fused",
          opts("lr", 0.1), opts("amsgrad", true), Trait.SINCE_1_13),
      info("Adamax", "lr betas eps weight_decay foreach maximize differentiable capturable",
          opts("lr", 0.1), opts(), Trait.SINCE_1_13),
      info("Adadelta", "lr rho eps weight_decay foreach capturable maximize differentiable",
          opts("lr", 50.0), opts(), Trait.SINCE_1_13),
      info("Adagrad", "lr lr_decay weight_decay initial_accumulator_value eps foreach maximize differentiable fused",
          opts("lr", 0.5), opts("lr_decay", 0.1), Trait.EAGER_STATE, Trait.SINCE_1_13),
      info("RMSprop", "lr alpha eps weight_decay momentum centered capturable foreach maximize differentiable",
          opts("lr", 0.05), opts("momentum", 0.5, "centered", true), Trait.SINCE_1_13),
      info("Rprop", "lr etas step_sizes capturable foreach maximize differentiable",
          opts("lr", 0.1), opts(), Trait.SINCE_1_13),
      info("ASGD", "lr lambd alpha t0 weight_decay foreach maximize differentiable capturable",
          opts("lr", 0.1), opts("t0", 0.0), Trait.SINCE_1_13),
      info("NAdam", "lr betas eps weight_decay momentum_decay decoupled_weight_decay foreach maximize capturable "
          + "differentiable", opts("lr", 0.1), opts(), Trait.SINCE_1_13),
      info("RAdam", "lr betas eps weight_decay decoupled_weight_decay foreach maximize capturable differentiable",
          opts("lr", 0.5), opts(), Trait.SINCE_1_13),
      info("SparseAdam", "lr betas eps maximize", opts("lr", 0.1), opts(), Trait.SPARSE_GRADS, Trait.SINCE_1_13),
      new OptimizerInfo("LBFGS", words("lr max_iter max_eval tolerance_grad tolerance_change history_size "
          + "line_search_fn maximize"), opts(), opts("max_iter", 2),
          EnumSet.of(Trait.NEEDS_CLOSURE, Trait.GLOBAL_STATE, Trait.SINCE_1_13), Set.of("al", "H_diag")),
      info("Adafactor", "lr beta2_decay eps d weight_decay foreach maximize", opts("lr", 0.1), opts()),
      info("Muon", "lr weight_decay momentum nesterov ns_coefficients eps ns_steps adjust_lr_fn",
          opts("lr", 0.2), opts(), Trait.MATRIX_ONLY));

  boolean has(Trait trait) {
    return traits.contains(trait);
  }

  boolean hasKeyword(String keyword) {
    return keywords.contains(keyword);
  }

  /** {@code converging} with {@code stateOptions} added. */
  Map<String, Object> stateRunOptions() {
    Map<String, Object> all = new LinkedHashMap<>(converging);
    all.putAll(stateOptions);
    return all;
  }

  @Override
  public String toString() {
    return name;
  }

  private static OptimizerInfo info(String name, String keywords, Map<String, Object> converging,
      Map<String, Object> stateOptions, Trait... traits) {
    Set<Trait> set = EnumSet.noneOf(Trait.class);
    set.addAll(Arrays.asList(traits));
    return new OptimizerInfo(name, words(keywords), converging, stateOptions, set, Set.of());
  }

  private static List<String> words(String s) {
    return List.of(s.split(" "));
  }

  /** Options from key-value pairs, in order. */
  static Map<String, Object> opts(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
