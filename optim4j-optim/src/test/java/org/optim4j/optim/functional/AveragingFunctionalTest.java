package org.optim4j.optim.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.optim.ASGD;
import org.optim4j.optim.NAdam;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.RAdam;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The functional ASGD, NAdam and RAdam against the optimizer classes that call them, and against closed forms
 * and a plain double-precision implementation of the algorithm boxes (η and μ rounded to float32, NAdam's
 * float32 product of μ, RAdam's switch to the rectified step).
 */
class AveragingFunctionalTest {

  private static Tensor grad(int t) {
    return Tensor.of(new float[] {0.1f * t - 0.3f, -1, 2 - 0.5f * t});
  }

  @Test
  void theFunctionsAreWhatTheClassesRun() {
    Tensor viaAsgd = Tensor.of(new float[] {1, -2, 3}).requiresGrad_(true);
    Tensor viaNadam = Tensor.of(new float[] {1, -2, 3}).requiresGrad_(true);
    Tensor viaRadam = Tensor.of(new float[] {1, -2, 3}).requiresGrad_(true);
    Optimizer asgd = new ASGD(List.of(viaAsgd), ASGD.options().lr(0.05).t0(2).lambd(0.01).weightDecay(0.1));
    Optimizer nadam = new NAdam(List.of(viaNadam), NAdam.options().lr(0.05).weightDecay(0.1)
        .decoupledWeightDecay(true));
    Optimizer radam = new RAdam(List.of(viaRadam), RAdam.options().lr(0.05).betas(0.8, 0.9).maximize(true));
    float[] start = {1, -2, 3};
    Tensor[] p = {Tensor.of(start), Tensor.of(start), Tensor.of(start)};
    Tensor ax = Tensor.zeros(3);
    Tensor mu = Tensor.scalar(1);
    Tensor eta = Tensor.scalar(0.05);
    Tensor muProduct = Tensor.scalar(1);
    Tensor[] m = {Tensor.zeros(3), Tensor.zeros(3)};
    Tensor[] v = {Tensor.zeros(3), Tensor.zeros(3)};
    Tensor[] steps = {Tensor.scalar(0), Tensor.scalar(0), Tensor.scalar(0)};
    for (int t = 1; t <= 8; t++) {
      Tensor g = grad(t);
      viaAsgd.setGrad(g);
      viaNadam.setGrad(g);
      viaRadam.setGrad(g);
      asgd.step();
      nadam.step();
      radam.step();
      Functional.asgd(List.of(p[0]), List.of(g), List.of(ax), List.of(mu), List.of(eta), List.of(steps[0]), 0.01,
          0.05, 2, 0.75, 0.1, false);
      Functional.nadam(List.of(p[1]), List.of(g), List.of(m[0]), List.of(v[0]), List.of(muProduct),
          List.of(steps[1]), 0.9, 0.999, 0.05, 0.1, 4e-3, 1e-8, false, true);
      Functional.radam(List.of(p[2]), List.of(g), List.of(m[1]), List.of(v[1]), List.of(steps[2]), 0.8, 0.9, 0.05,
          0, 1e-8, true, false);
      assertArrayEquals(viaAsgd.toFloatArray(), p[0].toFloatArray(), "ASGD step " + t);
      assertArrayEquals(viaNadam.toFloatArray(), p[1].toFloatArray(), "NAdam step " + t);
      assertArrayEquals(viaRadam.toFloatArray(), p[2].toFloatArray(), "RAdam step " + t);
    }
    Map<String, Object> asgdState = asgd.state(viaAsgd);
    assertArrayEquals(((Tensor) asgdState.get("ax")).toFloatArray(), ax.toFloatArray());
    assertEquals(((Tensor) asgdState.get("eta")).item(), eta.item());
    assertEquals(((Tensor) nadam.state(viaNadam).get("mu_product")).item(), muProduct.item());
    assertArrayEquals(((Tensor) radam.state(viaRadam).get("exp_avg_sq")).toFloatArray(), v[1].toFloatArray());
    assertEquals(8.0, steps[2].item());
  }

  @Test
  void asgdStoresEtaAndMuRoundedToFloat32() {
    double lr = 0.1;
    double lambd = 0.3;
    double alpha = 0.75;
    Tensor p = Tensor.of(new double[] {1.5, -0.5});
    Tensor ax = Tensor.zeros(DType.FLOAT64, 2);
    Tensor eta = Tensor.scalar(lr);
    Tensor mu = Tensor.scalar(1);
    Tensor step = Tensor.scalar(0);
    double[] g = {0.25, 2};
    double[] theta = {1.5, -0.5};
    for (int t = 1; t <= 4; t++) {
      double e = eta.item();
      double m = mu.item();
      double[] avg = ax.toDoubleArray();
      Functional.asgd(List.of(p), List.of(Tensor.of(g)), List.of(ax), List.of(mu), List.of(eta), List.of(step),
          lambd, lr, 1.0, alpha, 0, false);
      for (int i = 0; i < 2; i++) {
        theta[i] = Math.fma(g[i], -e, theta[i] * (1 - lambd * e));
        avg[i] = m == 1 ? theta[i] : avg[i] + (theta[i] - avg[i]) * m;
      }
      assertArrayEquals(theta, p.toDoubleArray(), "θ step " + t);
      assertArrayEquals(avg, ax.toDoubleArray(), "the average, step " + t);
      assertEquals((float) (lr / Math.pow(1 + lambd * lr * t, alpha)), eta.item(), "η after step " + t);
      assertEquals((float) (1.0 / Math.max(1, t - 1.0)), mu.item(), "μ after step " + t);
      assertEquals(DType.FLOAT32, eta.dtype());
    }
  }

  @Test
  void nadamMultipliesTheMomentumProductInFloat32() {
    Tensor p = Tensor.of(new double[] {1, 2});
    Tensor muProduct = Tensor.scalar(1);
    Tensor step = Tensor.scalar(0);
    float expected = 1;
    for (int t = 1; t <= 5; t++) {
      Functional.nadam(List.of(p), List.of(Tensor.of(new double[] {0.5, -0.5})),
          List.of(Tensor.zeros(DType.FLOAT64, 2)), List.of(Tensor.zeros(DType.FLOAT64, 2)), List.of(muProduct),
          List.of(step), 0.9, 0.999, 0.01, 0, 4e-3, 1e-8, false, false);
      expected = expected * (float) (0.9 * (1 - 0.5 * Math.pow(0.96, t * 4e-3)));
      assertEquals(expected, muProduct.item(), "step " + t);
    }
  }

  /** RAdam by its algorithm box, in double precision. */
  private static double[] radamReference(double[] theta, double[][] grads, double lr, double beta1, double beta2,
      double eps) {
    double[] p = theta.clone();
    double[] m = new double[p.length];
    double[] v = new double[p.length];
    double rhoInf = 2 / (1 - beta2) - 1;
    for (int t = 1; t <= grads.length; t++) {
      double bc1 = 1 - Math.pow(beta1, t);
      double bc2 = 1 - Math.pow(beta2, t);
      double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / bc2;
      for (int i = 0; i < p.length; i++) {
        double g = grads[t - 1][i];
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        double mHat = m[i] / bc1;
        if (rhoT > 5) {
          double l = Math.sqrt(bc2) / (Math.sqrt(v[i]) + eps);
          double r = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
          p[i] -= lr * mHat * r * l;
        } else {
          p[i] -= lr * mHat;
        }
      }
    }
    return p;
  }

  @Test
  void radamFollowsItsAlgorithmBoxAcrossTheSwitch() {
    double[][] grads = new double[12][];
    for (int t = 0; t < grads.length; t++) {
      grads[t] = new double[] {Math.sin(t + 1), 0.5 - 0.1 * t, 2};
    }
    double[] start = {1, -2, 3};
    for (int n = 1; n <= grads.length; n++) {
      Tensor p = Tensor.of(start);
      Tensor m = Tensor.zeros(DType.FLOAT64, 3);
      Tensor v = Tensor.zeros(DType.FLOAT64, 3);
      Tensor step = Tensor.scalar(0);
      for (int t = 0; t < n; t++) {
        Functional.radam(List.of(p), List.of(Tensor.of(grads[t])), List.of(m), List.of(v), List.of(step), 0.9, 0.999,
            0.1, 0, 1e-8, false, false);
      }
      double[] expected = radamReference(start, java.util.Arrays.copyOf(grads, n), 0.1, 0.9, 0.999, 1e-8);
      assertArrayEquals(expected, p.toDoubleArray(), 1e-14, "after " + n + " steps (adapted from step 6 on)");
    }
  }

  @Test
  void sparseGradientsAreRejected() {
    Tensor sparse = Tensor.sparseCoo(Tensor.of(new long[] {0}, 1, 1), Tensor.of(new float[] {1}), 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Functional.radam(
        List.of(Tensor.zeros(2)), List.of(sparse), List.of(Tensor.zeros(2)), List.of(Tensor.zeros(2)),
        List.of(Tensor.scalar(0)), 0.9, 0.999, 0.1, 0, 1e-8, false, false));
    assertEquals("RAdam does not support sparse gradients", e.getMessage());
  }
}
