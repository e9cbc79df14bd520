package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.optim4j.optim.FixtureValues.assertRow;
import static org.optim4j.optim.FixtureValues.options;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Fixtures;

/** {@code step(closure)}: Rosenbrock minimised with a closure, against PyTorch (fixtures/optim/closure.json: SGD, Adam, AdamW). */
class ClosureTest {

  @TestFactory
  Stream<DynamicTest> rosenbrock() {
    Fixtures f = Fixtures.load("optim/closure.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : f.cases()) {
      tests.add(DynamicTest.dynamicTest(c, () -> {
        if (!c.startsWith("rosenbrock_")) {
          fail("closure.json: case " + c + " of an unknown kind");
        }
        List<?> start = (List<?>) f.config(c).get("start");
        Tensor x = Tensor.of(new double[] {((Number) start.get(0)).doubleValue(),
            ((Number) start.get(1)).doubleValue()}).requiresGrad_(true);
        Optimizer opt = Optimizers.create((String) f.config(c).get("optimizer"), List.of(x),
            options(f.config(c).get("defaults")));
        int[] calls = {0};
        Closure closure = () -> {
          calls[0]++;
          assertTrue(GradMode.isEnabled(), "the closure runs with grad enabled");
          opt.zeroGrad();
          Tensor x0 = x.select(0, 0);
          Tensor x1 = x.select(0, 1);
          Tensor loss = x0.rsub(1).pow(2).add(x1.sub(x0.pow(2)).pow(2).mul(100));
          loss.backward();
          return loss;
        };
        int steps = (Integer) f.config(c).get("steps");
        for (int t = 0; t < steps; t++) {
          Tensor loss = opt.step(closure);
          assertRow(c + " loss " + t, loss, f.tensor(c, "losses"), t);
          assertRow(c + " x " + t, x, f.tensor(c, "x"), t);
        }
        assertEquals(steps, calls[0], "one closure call per step");
      }));
    }
    return tests.stream();
  }

  @Test
  void updateRunsWithoutGradAndTheCallerKeepsItsMode() {
    Tensor p = Tensor.of(new double[] {1, 2}).requiresGrad_(true);
    boolean[] seen = new boolean[2];
    Optimizer opt = new Optimizer(List.of(p), java.util.Map.of("lr", 0.1)) {
      @Override
      protected Tensor update(Closure closure) {
        seen[0] = GradMode.isEnabled();
        Tensor loss = closure == null ? null : closure.call();
        seen[1] = GradMode.isEnabled();
        return loss;
      }
    };
    Tensor loss = opt.step(() -> {
      assertTrue(GradMode.isEnabled());
      return p.sum();
    });
    assertFalse(seen[0]);
    assertFalse(seen[1], "grad mode is disabled again after the closure");
    assertTrue(GradMode.isEnabled());
    assertTrue(loss.requiresGrad(), "the closure's loss was recorded");
    assertEquals(1, opt.stepCount());
    assertEquals(null, opt.step());
    assertEquals(2, opt.stepCount());
  }
}
