package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.optim4j.optim.FixtureValues.assertRow;
import static org.optim4j.optim.FixtureValues.options;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * {@code step(closure)} of Adamax, Adadelta, Adagrad, RMSprop and Rprop: Rosenbrock minimised with a closure in
 * float64, loss and point after every step against PyTorch (fixtures/optim_classic/closure.json).
 */
class ClassicClosureTest {

  @TestFactory
  Stream<DynamicTest> rosenbrock() {
    Fixtures f = Fixtures.load("optim_classic/closure.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : f.cases()) {
      tests.add(DynamicTest.dynamicTest(c, () -> {
        if (!c.startsWith("rosenbrock_")) {
          fail("optim_classic/closure.json: case " + c + " of an unknown kind");
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
}
