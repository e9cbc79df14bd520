package org.optim4j.examples;

import java.util.Map;
import org.optim4j.optim.Closure;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.tensor.Tensor;

/**
 * The lab's custom optimizer {@code SGD_Alternate}: SGD with momentum and no weight decay, written as a
 * subclass of {@link Optimizer}, with the momentum buffer {@code M ← γ·M + η·∇L}, {@code θ ← θ − M} kept in
 * the per-parameter state under PyTorch's key {@code momentum_buffer}. The base class runs {@link
 * #update} under no-grad, as the lab's {@code @torch.no_grad()} does.
 */
public final class SgdAlternate extends Optimizer {
  /** An optimizer over {@code params} with learning rate {@code lr} and momentum {@code momentum}. */
  public SgdAlternate(Iterable<? extends Tensor> params, double lr, double momentum) {
    // we skip checks on the argument values, as the lab does
    super(params, Map.of("lr", lr, "momentum", momentum));
  }

  @Override
  protected Tensor update(Closure closure) {
    Tensor loss = closure == null ? null : closure.call();
    for (ParamGroup pg : paramGroups()) {
      for (Tensor param : pg.params()) {
        if (param.grad() == null) {
          continue; // params without a gradient are not updated
        }
        Map<String, Object> state = state(param);
        Tensor m = (Tensor) state.get("momentum_buffer");
        if (m != null) {
          // M = momentum * M + lr * grad
          m.mul_(pg.getDouble("momentum")).add_(param.grad().mul(pg.getDouble("lr")));
        } else {
          // no previous buffer: M starts as lr * grad
          m = param.grad().mul(pg.getDouble("lr"));
          state.put("momentum_buffer", m);
        }
        param.sub_(m);
      }
    }
    return loss;
  }
}
