package org.optim4j.optim.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.optim.Adam;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * The functional API against closed forms and against the optimizer classes that call it; a non-contiguous
 * parameter is updated in its logical order.
 */
class FunctionalTest {

  @Test
  void sgdCreatesTheMomentumBufferOfAFirstStep() {
    Tensor p = Tensor.of(new double[] {1, 2});
    Tensor g = Tensor.of(new double[] {0.5, -1});
    List<Tensor> bufs = new ArrayList<>(Arrays.asList((Tensor) null));
    Functional.sgd(List.of(p), List.of(g), bufs, 0.1, 0.9, 0.5, 0.3, false, false);
    Tensor buf = bufs.get(0);
    assertNotNull(buf);
    assertNotSame(g, buf);
    double[] decayed = {0.5 + 0.1 * 1, -1 + 0.1 * 2};
    assertArrayEquals(decayed, buf.toDoubleArray(), 1e-15, "the first buffer is the gradient, undampened");
    assertArrayEquals(new double[] {1 - 0.5 * decayed[0], 2 - 0.5 * decayed[1]}, p.toDoubleArray(), 1e-15);
  }

  @Test
  void adamAndAdamwAreWhatTheClassesRun() {
    Tensor viaClass = Tensor.of(new float[] {1, -2, 3}).requiresGrad_(true);
    Adam adam = new Adam(List.of(viaClass), Adam.options().lr(0.01).amsgrad(true).weightDecay(0.1)
        .decoupledWeightDecay(true));
    Tensor p = Tensor.of(new float[] {1, -2, 3});
    Tensor m = Tensor.zeros(3);
    Tensor v = Tensor.zeros(3);
    Tensor vMax = Tensor.zeros(3);
    Tensor step = Tensor.scalar(0);
    for (int t = 0; t < 5; t++) {
      Tensor g = Tensor.of(new float[] {0.1f * t, -1, 2 - t});
      viaClass.setGrad(g);
      adam.step();
      Functional.adamw(List.of(p), List.of(g), List.of(m), List.of(v), List.of(vMax), List.of(step), true, 0.9, 0.999,
          0.01, 0.1, 1e-8, false);
      assertArrayEquals(viaClass.toFloatArray(), p.toFloatArray(), "step " + t);
    }
    Map<String, Object> state = adam.state(viaClass);
    assertArrayEquals(((Tensor) state.get("max_exp_avg_sq")).toFloatArray(), vMax.toFloatArray());
    assertEquals(5.0, step.item());
  }

  @Test
  void functionsKeepTheCallersGradModeAsPyTorchs() {
    Tensor leaf = Tensor.of(new double[] {1}).requiresGrad_(true);
    List<Tensor> bufs = new ArrayList<>();
    assertThrows(IllegalStateException.class, () -> Functional.sgd(List.of(leaf), List.of(Tensor.of(new double[] {1})),
        bufs, 0, 0, 0.1, 0, false, false));
    GradMode.Scope scope = GradMode.noGrad();
    try {
      Functional.sgd(List.of(leaf), List.of(Tensor.of(new double[] {1})), bufs, 0, 0, 0.1, 0, false, false);
    } finally {
      scope.close();
    }
    assertEquals(0.9, leaf.item(), 1e-15);
  }

  @Test
  void aNonContiguousParameterIsUpdatedInItsLogicalOrder() {
    Tensor base = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor p = base.t();
    Tensor g = Tensor.of(new double[] {1, 0, 0, 0, 0, 10}, 3, 2);
    SGD sgd = new SGD(List.of(p.requiresGrad_(true)), SGD.options().lr(0.1));
    p.setGrad(g);
    sgd.step();
    assertArrayEquals(new double[] {1 - 0.1, 4, 2, 5, 3, 6 - 1}, p.toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {0.9, 2, 3, 4, 5, 5}, base.toDoubleArray(), 1e-15, "written through the view");
  }
}
