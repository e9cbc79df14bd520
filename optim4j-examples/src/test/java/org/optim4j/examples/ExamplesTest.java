package org.optim4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.optim.Optimizer;
import org.optim4j.tensor.Tensor;

/**
 * Every seed example runs end to end on a few batches, and what it computes matches the seeds where a
 * seed gives a number that a few batches can reach.
 */
class ExamplesTest {
  private static final Args SMALL = new Args(null, 1, 300, 200, 0);

  @Test
  void linearRegressionWithOptimSgdEndsAtTheSlidesNumbers() {
    double[] last = new double[1];
    double[] p = LinearRegressionSGD.train(5000, 1e-2, (epoch, loss, params) -> last[0] = loss).toDoubleArray();
    assertEquals(2.927647, last[0], 1e-5);
    assertEquals(5.3671, p[0], 1e-3);
    assertEquals(-17.3012, p[1], 1e-3);
  }

  @Test
  void optimizerTourTrainsAllThree() {
    Map<String, Double> acc = OptimizerTour.run(SMALL);
    assertEquals(List.of("SGD with momentum", "RMSprop", "Adam"), List.copyOf(acc.keySet()));
    acc.values().forEach(a -> assertTrue(a >= 0 && a <= 1, "an accuracy: " + acc));
    assertTrue(acc.get("SGD with momentum") > 0.3, "better than chance after 3 batches: " + acc);
    assertTrue(acc.get("Adam") > 0.3, "better than chance after 3 batches: " + acc);
  }

  @Test
  void perLayerGroupsHaveTheirOwnWeightDecay() {
    Optimizer opt = PerLayerGroups.run(SMALL);
    assertEquals(2, opt.paramGroups().size());
    assertEquals(5e-4, opt.paramGroups().get(0).getDouble("weight_decay"));
    assertEquals(1e-3, opt.paramGroups().get(1).getDouble("weight_decay"));
    assertEquals(4, opt.paramGroups().get(0).params().size(), "two Linear layers in layers 0:6");
    assertEquals(2, opt.paramGroups().get(1).params().size(), "one Linear layer in layers 6:8");
  }

  @Test
  void multiStepLrRuns() {
    assertTrue(MultiStepLRRun.run(new Args(null, 2, 200, 100, 0)) > 0.2);
  }

  @Test
  void theCustomOptimizerTrains() {
    assertTrue(CustomOptimizer.run(SMALL) > 0.3);
  }

  @Test
  void sgdAlternateIsSgdWithMomentum() {
    Tensor a = Tensor.of(new float[] {1, -2}).requiresGrad_(true);
    SgdAlternate opt = new SgdAlternate(List.of(a), 0.1, 0.9);
    float[] expected = {1, -2};
    float[] m = new float[2];
    for (int step = 0; step < 3; step++) {
      opt.zeroGrad();
      a.pow(2).sum().backward();   // grad = 2a
      for (int i = 0; i < 2; i++) {
        float g = 2 * expected[i];
        m[i] = step == 0 ? 0.1f * g : m[i] * 0.9f + g * 0.1f;
        expected[i] -= m[i];
      }
      opt.step();
    }
    float[] actual = a.toFloatArray();
    for (int i = 0; i < 2; i++) {
      assertEquals(expected[i], actual[i], 1e-6);
    }
  }

  @Test
  void theCnnTrains() {
    assertTrue(CnnTraining.run(new Args(null, 1, 300, 200, 0)) > 0.1);
  }

  @Test
  void parameterListWithAdamTrains() {
    assertTrue(Double.isFinite(ParameterListAdam.run(1, 30, 0)));
  }

  @Test
  void lbfgsWithAClosureDrivesTheLossDown() {
    assertTrue(LbfgsClosure.run(1, 5, 0) < 1e-3);
  }

  @Test
  void lambdaLrPrintsTheNotebooksSequence() {
    List<Double> lrs = LambdaLRExample.run(3, 2, 0);
    List<Double> expected = List.of(0.01, 0.0095, 0.0095, 0.009025, 0.009025, 0.00857375);
    assertEquals(expected.size(), lrs.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), lrs.get(i), 1e-15, "lr " + i);
    }
  }
}
