package org.optim4j.optim.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.optim4j.optim.Adadelta;
import org.optim4j.optim.Adagrad;
import org.optim4j.optim.Adamax;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.RMSprop;
import org.optim4j.optim.Rprop;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * The functional forms of Adamax, Adadelta, Adagrad, RMSprop and Rprop: one float64 step against the textbook
 * formulas written out here, and float32 runs against the optimizer classes (bit for bit).
 */
class ClassicFunctionalTest {
  private static final double[] P = {1, -2};
  private static final double[] G = {0.5, -1};
  private static final double EXACT = 1e-15;

  private static Tensor p() {
    return Tensor.of(P.clone());
  }

  private static Tensor g() {
    return Tensor.of(G.clone());
  }

  private static List<Tensor> zeros(int n) {
    List<Tensor> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Tensor.zeros(DType.FLOAT64, 2));
    }
    return out;
  }

  @Test
  void adamaxOneStep() {
    Tensor p = p();
    Tensor m = Tensor.zeros(DType.FLOAT64, 2);
    Tensor u = Tensor.zeros(DType.FLOAT64, 2);
    Tensor step = Tensor.scalar(0);
    Functional.adamax(List.of(p), List.of(g()), List.of(m), List.of(u), List.of(step), 1e-8, 0.9, 0.999, 0.1, 0.1,
        false);
    double[] expected = new double[2];
    for (int i = 0; i < 2; i++) {
      double gi = G[i] + 0.1 * P[i];
      double mi = 0.1 * gi;
      double ui = Math.abs(gi) + 1e-8;
      expected[i] = P[i] - 0.1 / (1 - 0.9) * mi / ui;
      assertEquals(mi, m.toDoubleArray()[i], EXACT);
      assertEquals(ui, u.toDoubleArray()[i], EXACT);
    }
    assertArrayEquals(expected, p.toDoubleArray(), EXACT);
    assertEquals(1.0, step.item());
  }

  @Test
  void adadeltaOneStep() {
    Tensor p = p();
    List<Tensor> sq = zeros(1);
    List<Tensor> acc = zeros(1);
    Functional.adadelta(List.of(p), List.of(g()), sq, acc, List.of(Tensor.scalar(0)), 1.0, 0.9, 1e-6, 0, true);
    double[] expected = new double[2];
    for (int i = 0; i < 2; i++) {
      double gi = -G[i];
      double v = 0.1 * gi * gi;
      double delta = Math.sqrt(1e-6) / Math.sqrt(v + 1e-6) * gi;
      assertEquals(0.1 * delta * delta, acc.get(0).toDoubleArray()[i], EXACT);
      expected[i] = P[i] - delta;
    }
    assertArrayEquals(expected, p.toDoubleArray(), EXACT);
  }

  @Test
  void adagradDecaysTheLearningRateWithTheStep() {
    Tensor p = p();
    Tensor sum = Tensor.fullLike(p, 0.5);
    Tensor step = Tensor.scalar(0);
    double[] expected = P.clone();
    double[] s = {0.5, 0.5};
    for (int t = 1; t <= 2; t++) {
      Functional.adagrad(List.of(p), List.of(g()), List.of(sum), List.of(step), 0.1, 0, 0.25, 1e-10, false);
      double clr = 0.1 / (1 + (t - 1) * 0.25);
      for (int i = 0; i < 2; i++) {
        s[i] += G[i] * G[i];
        expected[i] -= clr * G[i] / (Math.sqrt(s[i]) + 1e-10);
      }
    }
    assertArrayEquals(expected, p.toDoubleArray(), EXACT);
    assertArrayEquals(s, sum.toDoubleArray(), EXACT);
  }

  @Test
  void adagradRejectsWeightDecayWithASparseGradientAfterCountingTheStep() {
    Tensor p = Tensor.zeros(3);
    Tensor grad = Tensor.sparseCoo(Tensor.of(new long[] {1}, 1, 1), Tensor.of(new float[] {1}), 3);
    Tensor step = Tensor.scalar(0);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Functional.adagrad(List.of(p),
        List.of(grad), List.of(Tensor.zeros(3)), List.of(step), 0.1, 0.5, 0, 1e-10, false));
    assertEquals("weight_decay option is not compatible with sparse gradients", e.getMessage());
    assertEquals(1.0, step.item(), "as PyTorch, the step is counted before the check");
  }

  @Test
  void centeredRmspropWithMomentumOneStep() {
    Tensor p = p();
    List<Tensor> sq = zeros(1);
    List<Tensor> gradAvg = zeros(1);
    List<Tensor> buf = zeros(1);
    Functional.rmsprop(List.of(p), List.of(g()), sq, gradAvg, buf, List.of(Tensor.scalar(0)), 0.01, 0.9, 1e-8, 0,
        0.5, true, false);
    double[] expected = new double[2];
    for (int i = 0; i < 2; i++) {
      double v = 0.1 * G[i] * G[i];
      double ga = 0.1 * G[i];
      double b = G[i] / (Math.sqrt(v - ga * ga) + 1e-8);
      assertEquals(b, buf.get(0).toDoubleArray()[i], EXACT);
      expected[i] = P[i] - 0.01 * b;
    }
    assertArrayEquals(expected, p.toDoubleArray(), EXACT);
  }

  @Test
  void rpropGrowsShrinksAndClampsTheStepSizes() {
    Tensor p = Tensor.of(new double[] {0, 0, 0});
    Tensor prev = Tensor.zeros(DType.FLOAT64, 3);
    Tensor size = Tensor.of(new double[] {0.1, 0.1, 0.1});
    Tensor step = Tensor.scalar(0);
    double[][] grads = {{1, 1, 1}, {1, -1, 0}, {1, 1, 1}};
    for (double[] grad : grads) {
      Functional.rprop(List.of(p), List.of(Tensor.of(grad)), List.of(prev), List.of(size), List.of(step), 0.06, 0.11,
          0.5, 1.2, false);
    }
    // element 0: +,+,+ → 0.1, 0.11 (clamped), 0.11;  element 1: +,−,+ → 0.1, 0.06 (clamped, skipped), 0.06;
    // element 2: +,0,+ → 0.1, 0.1, 0.1 (a zero gradient leaves the size and does not move)
    assertArrayEquals(new double[] {0.11, 0.06, 0.1}, size.toDoubleArray(), EXACT);
    assertArrayEquals(new double[] {-0.1 - 0.11 - 0.11, -0.1 - 0.06, -0.1 - 0.1}, p.toDoubleArray(), EXACT);
    assertArrayEquals(new double[] {1, 1, 1}, prev.toDoubleArray(), 0);
    assertEquals(3.0, step.item());
  }

  @Test
  void theListsMustHaveOneEntryPerParameter() {
    assertThrows(IllegalArgumentException.class, () -> Functional.rprop(List.of(p()), List.of(g()), List.of(),
        zeros(1), List.of(Tensor.scalar(0)), 1e-6, 50, 0.5, 1.2, false));
    assertThrows(IllegalArgumentException.class, () -> Functional.rmsprop(List.of(p()), List.of(g()), zeros(1),
        List.of(), zeros(1), List.of(Tensor.scalar(0)), 0.01, 0.99, 1e-8, 0, 0.9, true, false));
  }

  /** Runs {@code opt} over {@code viaClass} and {@code functional} over {@code p}; both must agree bit for bit. */
  private static void sameAsTheClass(Optimizer opt, Tensor viaClass, Tensor p, Consumer<Tensor> functional) {
    for (int t = 0; t < 5; t++) {
      Tensor grad = Tensor.of(new float[] {0.1f * t - 0.2f, -1, 2 - t});
      viaClass.setGrad(grad);
      opt.step();
      functional.accept(grad);
      assertArrayEquals(viaClass.toFloatArray(), p.toFloatArray(), opt.getClass().getSimpleName() + " step " + t);
    }
  }

  private static Tensor param32() {
    return Tensor.of(new float[] {1, -2, 3});
  }

  private static Tensor zeros32() {
    return Tensor.zeros(3);
  }

  @Test
  void theClassesRunTheFunctionalRules() {
    Tensor step = Tensor.scalar(0);
    Tensor c = param32().requiresGrad_(true);
    Tensor p = param32();
    Tensor m = zeros32();
    Tensor u = zeros32();
    sameAsTheClass(new Adamax(List.of(c), Adamax.options().lr(0.01).weightDecay(0.1)), c, p,
        grad -> Functional.adamax(List.of(p), List.of(grad), List.of(m), List.of(u), List.of(step), 1e-8, 0.9,
            0.999, 0.01, 0.1, false));

    Tensor step2 = Tensor.scalar(0);
    Tensor c2 = param32().requiresGrad_(true);
    Tensor p2 = param32();
    Tensor sq = zeros32();
    Tensor acc = zeros32();
    sameAsTheClass(new Adadelta(List.of(c2), Adadelta.options().maximize(true)), c2, p2,
        grad -> Functional.adadelta(List.of(p2), List.of(grad), List.of(sq), List.of(acc), List.of(step2), 1.0,
            0.9, 1e-6, 0, true));

    Tensor step3 = Tensor.scalar(0);
    Tensor c3 = param32().requiresGrad_(true);
    Tensor p3 = param32();
    Tensor sum = Tensor.fullLike(p3, 0.1);
    sameAsTheClass(new Adagrad(List.of(c3), Adagrad.options().lrDecay(0.1).initialAccumulatorValue(0.1)), c3, p3,
        grad -> Functional.adagrad(List.of(p3), List.of(grad), List.of(sum), List.of(step3), 0.01, 0, 0.1,
            1e-10, false));

    Tensor step4 = Tensor.scalar(0);
    Tensor c4 = param32().requiresGrad_(true);
    Tensor p4 = param32();
    Tensor sq4 = zeros32();
    Tensor ga4 = zeros32();
    Tensor buf4 = zeros32();
    sameAsTheClass(new RMSprop(List.of(c4), RMSprop.options().momentum(0.9).centered(true).weightDecay(0.01)), c4, p4,
        grad -> Functional.rmsprop(List.of(p4), List.of(grad), List.of(sq4), List.of(ga4), List.of(buf4),
            List.of(step4), 0.01, 0.99, 1e-8, 0.01, 0.9, true, false));

    Tensor step5 = Tensor.scalar(0);
    Tensor c5 = param32().requiresGrad_(true);
    Tensor p5 = param32();
    Tensor prev = zeros32();
    Tensor size = Tensor.fullLike(p5, 0.01);
    sameAsTheClass(new Rprop(List.of(c5)), c5, p5,
        grad -> Functional.rprop(List.of(p5), List.of(grad), List.of(prev), List.of(size), List.of(step5), 1e-6,
            50, 0.5, 1.2, false));
  }

  @Test
  void functionsUnderGradModeRefuseALeafThatRequiresGrad() {
    Tensor leaf = p().requiresGrad_(true);
    assertThrows(IllegalStateException.class, () -> Functional.adadelta(List.of(leaf), List.of(g()), zeros(1),
        zeros(1), List.of(Tensor.scalar(0)), 1.0, 0.9, 1e-6, 0, false));
    GradMode.Scope scope = GradMode.noGrad();
    try {
      Functional.adadelta(List.of(leaf), List.of(g()), zeros(1), zeros(1), List.of(Tensor.scalar(0)), 1.0, 0.9, 1e-6,
          0, false);
    } finally {
      scope.close();
    }
    assertEquals(1 - Math.sqrt(1e-6) / Math.sqrt(0.1 * 0.25 + 1e-6) * 0.5, leaf.toDoubleArray()[0], EXACT);
  }
}
