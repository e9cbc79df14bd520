package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.optim4j.nn.utils.Utils;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/** The seed lab's MLP learns: hand-written SGD steps with CrossEntropyLoss lower the loss on a fixed batch. */
class TrainingTest {

  @Test
  @SuppressWarnings("try")
  void seedMlpLossFallsUnderHandWrittenSgd() {
    Tensor.manualSeed(0);
    Sequential model = TestModels.mlp();
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    Generator g = new Generator(11);
    Tensor x = Tensor.randn(g, DType.FLOAT32, 64, 1, 28, 28);
    Tensor y = Tensor.randint(g, 0, 10, 64);
    model.train();
    double first = Double.NaN;
    double last = Double.NaN;
    for (int step = 0; step < 20; step++) {
      model.zeroGrad();
      Tensor loss = lossFn.apply(model.apply(x), y);
      loss.backward();
      Utils.clipGradNorm_(model.parameters(), 10.0);
      try (var noGrad = GradMode.noGrad()) {
        for (Parameter p : model.parameters()) {
          p.sub_(p.grad().mul(0.1));
        }
      }
      if (step == 0) {
        first = loss.item();
      }
      last = loss.item();
    }
    assertEquals(Math.log(10), first, 0.5, "an untrained 10-class classifier is near chance");
    assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
    model.eval();
    Tensor predicted = model.apply(x).argmax(1, false);
    double accuracy = predicted.eq(y).to(DType.FLOAT32).mean().item();
    assertTrue(accuracy > 0.9, "training accuracy " + accuracy);
  }
}
