package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * A custom optimizer written as a subclass, the seeds' {@code SGD_Alternate} exactly as API.md shows it: it
 * trains the seeds' linear regression, and since {@code m ← μm + γg; θ ← θ − m} is SGD's
 * {@code b ← μb + g; θ ← θ − γb} with {@code m = γb}, it follows {@link SGD} with momentum.
 */
class CustomOptimizerTest {

  static final class SgdAlternate extends Optimizer {
    SgdAlternate(Iterable<? extends Tensor> params, double lr, double momentum) {
      super(params, Map.of("lr", lr, "momentum", momentum));
    }

    @Override
    protected Tensor update(Closure closure) {
      for (ParamGroup pg : paramGroups()) {
        for (Tensor p : pg.params()) {
          if (p.grad() == null) {
            continue;
          }
          Map<String, Object> state = state(p);
          Tensor m = (Tensor) state.get("momentum_buffer");
          if (m != null) {
            m.mul_(pg.getDouble("momentum")).add_(p.grad().mul(pg.getDouble("lr")));
          } else {
            state.put("momentum_buffer", m = p.grad().mul(pg.getDouble("lr")));
          }
          p.sub_(m);
        }
      }
      return null;
    }
  }

  private static final double[] T_C = {0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0};
  private static final double[] T_U = {35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4};

  private static double loss(Tensor w, Tensor b, boolean backward) {
    Tensor tUn = Tensor.of(T_U).mul(0.1);
    Tensor loss = tUn.mul(w).add(b).sub(Tensor.of(T_C)).pow(2).mean();
    if (backward) {
      loss.backward();
    }
    return loss.item();
  }

  @Test
  void trainsTheSeedsLinearRegressionAsSgdWithMomentum() {
    Tensor w = Tensor.scalar(1.0, DType.FLOAT64).requiresGrad_(true);
    Tensor b = Tensor.scalar(0.0, DType.FLOAT64).requiresGrad_(true);
    Tensor w2 = Tensor.scalar(1.0, DType.FLOAT64).requiresGrad_(true);
    Tensor b2 = Tensor.scalar(0.0, DType.FLOAT64).requiresGrad_(true);
    SgdAlternate custom = new SgdAlternate(List.of(w, b), 1e-2, 0.9);
    SGD sgd = new SGD(List.of(w2, b2), SGD.options().lr(1e-2).momentum(0.9));
    double first = loss(w, b, false);
    for (int epoch = 0; epoch < 500; epoch++) {
      custom.zeroGrad();
      loss(w, b, true);
      custom.step();
      sgd.zeroGrad();
      loss(w2, b2, true);
      sgd.step();
      assertEquals(w2.item(), w.item(), 1e-9 * Math.max(1, Math.abs(w2.item())), "epoch " + epoch);
      assertEquals(b2.item(), b.item(), 1e-9 * Math.max(1, Math.abs(b2.item())), "epoch " + epoch);
    }
    double last = loss(w, b, false);
    assertTrue(last < first / 10, "the loss fell from " + first + " to " + last);
    assertEquals("SgdAlternate (\nParameter Group 0\n    lr: 0.01\n    momentum: 0.9\n)", custom.toString());
    Map<?, ?> state = (Map<?, ?>) custom.stateDict().get("state");
    assertEquals(List.of(0, 1), List.copyOf(state.keySet()));
    assertTrue(((Map<?, ?>) state.get(0)).get("momentum_buffer") instanceof Tensor);
    assertEquals(1000, custom.stepCount() + sgd.stepCount());
  }
}
