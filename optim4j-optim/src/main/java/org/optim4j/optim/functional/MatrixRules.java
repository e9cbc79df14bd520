package org.optim4j.optim.functional;

import java.util.List;
import org.optim4j.optim.internal.Hyper;
import org.optim4j.optim.internal.AdafactorDoubleKernels;
import org.optim4j.optim.internal.AdafactorFloatKernels;
import org.optim4j.optim.internal.MuonDoubleKernels;
import org.optim4j.optim.internal.MuonFloatKernels;
import org.optim4j.optim.internal.NewtonSchulz;
import org.optim4j.optim.internal.TensorArrays;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The bodies of {@link Functional#adafactor} and {@link Functional#muon}: PyTorch's single-tensor paths, one
 * parameter at a time. Each computes its scalars once per parameter in double precision (a tensor {@code lr}
 * through {@link Hyper}, rounding as PyTorch's 0-dim tensor arithmetic does) and runs the rule's kernels over the
 * parameter's elements, float32 or float64.
 */
final class MatrixRules {
  /** The accumulators of PyTorch's vectorised float32 and float64 sums on AVX2. */
  private static final int FLOAT_LANES = 8;
  private static final int DOUBLE_LANES = 4;

  private MatrixRules() {}

  static void adafactor(List<Tensor> params, List<Tensor> grads, List<Tensor> rowVars, List<Tensor> colVars,
      List<Tensor> variances, List<Tensor> stateSteps, double d, Object lr, double beta2Decay, double weightDecay,
      Double eps1, double eps2, boolean maximize) {
    checkLengths("adafactor", params.size(), grads.size(), rowVars.size(), colVars.size(), variances.size(),
        stateSteps.size());
    Hyper lrH = Hyper.of(lr, "lr");
    Double epsilon1 = eps1;
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      if (grad.isSparse()) {
        throw new IllegalStateException("Adafactor does not support sparse gradients");
      }
      boolean factored = grad.dim() > 1;
      Tensor rowVar = rowVars.get(i);
      Tensor colVar = colVars.get(i);
      Tensor variance = variances.get(i);
      if (factored && (rowVar == null || colVar == null)) {
        throw new IllegalStateException("row_var and col_var should be defined when grad is multidimensional");
      }
      if (!factored && variance == null) {
        throw new IllegalStateException("variance should be defined when grad is a vector");
      }
      TensorArrays.checkParam("Adafactor", param, new String[] {"grad", "variance"}, grad,
          factored ? null : variance);
      if (epsilon1 == null) {
        // Set once, from the first parameter: PyTorch assigns it inside the loop over the group.
        epsilon1 = param.dtype() == DType.FLOAT32 ? (double) Math.ulp(1f) : Math.ulp(1.0);
      }
      Tensor stepT = stateSteps.get(i);
      stepT.add_(1);
      double step = stepT.item();
      double oneMinusBeta2 = Math.pow(step, beta2Decay);
      Hyper rho = pyMin(lrH, lr, 1 / Math.sqrt(step));
      int n = (int) param.numel();
      boolean single = param.dtype() == DType.FLOAT32;
      double paramNorm = single
          ? Math.sqrt(AdafactorFloatKernels.sumOfSquares(TensorArrays.floats(param), 0, n, FLOAT_LANES))
          : Math.sqrt(AdafactorDoubleKernels.sumOfSquares(TensorArrays.doubles(param), 0, n, DOUBLE_LANES));
      if (single) {
        paramNorm = (float) paramNorm;
      }
      double rms = paramNorm / Math.sqrt(n);
      Hyper alpha = Hyper.of(rms > eps2 ? rms : eps2).mul(rho);
      boolean decay = weightDecay != 0;
      double decayFactor = decay ? lrH.mul(Hyper.of(weightDecay)).rsub(1).value() : 1;
      int[] shape = grad.shape();
      int rows = factored ? shape[shape.length - 2] : 0;
      int cols = factored ? shape[shape.length - 1] : 0;
      int matrices = factored && rows * cols > 0 ? n / (rows * cols) : 0;
      double eps1Squared = epsilon1 * epsilon1;
      if (single) {
        float[] p = TensorArrays.floats(param);
        float[] g = TensorArrays.floats(grad);
        float[] update = new float[n];
        float[] r = factored ? TensorArrays.floats(rowVar) : null;
        float[] c = factored ? TensorArrays.floats(colVar) : null;
        float[] v = factored ? null : TensorArrays.floats(variance);
        float e1 = (float) (double) epsilon1;
        if (factored) {
          for (int m = 0; m < matrices; m++) {
            AdafactorFloatKernels.factored(g, r, c, update, m, rows, cols, maximize, (float) oneMinusBeta2, e1,
                (float) eps1Squared, FLOAT_LANES);
          }
          TensorArrays.store(rowVar, r);
          TensorArrays.store(colVar, c);
        } else {
          TensorArrays.forRange(n, (from, to) -> AdafactorFloatKernels.unfactored(g, v, update, from, to, maximize,
              (float) oneMinusBeta2, (float) eps1Squared));
          TensorArrays.store(variance, v);
        }
        double updateNorm = (float) Math.sqrt(AdafactorFloatKernels.sumOfSquares(update, 0, n, FLOAT_LANES));
        double negAlpha = negAlpha(alpha, updateNorm, n, d);
        TensorArrays.forRange(n, (from, to) -> AdafactorFloatKernels.apply(p, update, from, to, decay,
            (float) decayFactor, (float) negAlpha));
        TensorArrays.store(param, p);
      } else {
        double[] p = TensorArrays.doubles(param);
        double[] g = TensorArrays.doubles(grad);
        double[] update = new double[n];
        double[] r = factored ? TensorArrays.doubles(rowVar) : null;
        double[] c = factored ? TensorArrays.doubles(colVar) : null;
        double[] v = factored ? null : TensorArrays.doubles(variance);
        double e1 = epsilon1;
        if (factored) {
          for (int m = 0; m < matrices; m++) {
            AdafactorDoubleKernels.factored(g, r, c, update, m, rows, cols, maximize, oneMinusBeta2, e1,
                eps1Squared, DOUBLE_LANES);
          }
          TensorArrays.store(rowVar, r);
          TensorArrays.store(colVar, c);
        } else {
          TensorArrays.forRange(n, (from, to) -> AdafactorDoubleKernels.unfactored(g, v, update, from, to, maximize,
              oneMinusBeta2, eps1Squared));
          TensorArrays.store(variance, v);
        }
        double updateNorm = Math.sqrt(AdafactorDoubleKernels.sumOfSquares(update, 0, n, DOUBLE_LANES));
        double negAlpha = negAlpha(alpha, updateNorm, n, d);
        TensorArrays.forRange(n, (from, to) -> AdafactorDoubleKernels.apply(p, update, from, to, decay, decayFactor,
            negAlpha));
        TensorArrays.store(param, p);
      }
    }
  }

  /** {@code -alpha / max(1.0, ‖update‖ / (sqrt(numel) · d))}, as PyTorch's Python expression. */
  private static double negAlpha(Hyper alpha, double updateNorm, int n, double d) {
    double ratio = updateNorm / (Math.sqrt(n) * d);
    double denom = ratio > 1.0 ? ratio : 1.0;
    return alpha.neg().div(Hyper.of(denom)).value();
  }

  /**
   * Python's {@code min(lr, x)}: {@code x} when {@code x < lr}, else {@code lr}; against a tensor {@code lr}
   * the float is compared in the tensor's dtype.
   */
  private static Hyper pyMin(Hyper lrH, Object lr, double x) {
    double compared = lr instanceof Tensor t && t.dtype() == DType.FLOAT32 ? (float) x : x;
    return compared < lrH.value() ? Hyper.of(x) : lrH;
  }

  static void muon(List<Tensor> params, List<Tensor> grads, List<Tensor> momentumBufs, Object lr,
      double weightDecay, double momentum, boolean nesterov, List<? extends Number> nsCoefficients, int nsSteps,
      double eps, String adjustLrFn) {
    checkLengths("muon", params.size(), grads.size(), momentumBufs.size());
    Hyper lrH = Hyper.of(lr, "lr");
    for (int i = 0; i < params.size(); i++) {
      Tensor param = params.get(i);
      Tensor grad = grads.get(i);
      if (grad.isSparse()) {
        throw new IllegalStateException("Muon does not support sparse gradients");
      }
      if (grad.dim() != 2) {
        throw new IllegalArgumentException("Param gradient must be a 2D matrix");
      }
      Tensor buf = momentumBufs.get(i);
      TensorArrays.checkParam("Muon", param, new String[] {"grad", "momentum_buffer"}, grad, buf);
      if (nsSteps >= 100) {
        throw new IllegalArgumentException("Number of steps must be less than 100 for computational efficiency");
      }
      if (nsCoefficients.size() != 3) {
        throw new IllegalArgumentException("Coefficients must be a tuple of exactly 3 values");
      }
      int rows = grad.size(0);
      int cols = grad.size(1);
      int n = rows * cols;
      double decayFactor = lrH.mul(Hyper.of(weightDecay)).rsub(1).value();
      double negAdjustedLr = lrH.mul(Hyper.of(ratio(adjustLrFn, param.size(0), param.size(1)))).neg().value();
      double a = nsCoefficients.get(0).doubleValue();
      double b = nsCoefficients.get(1).doubleValue();
      double c = nsCoefficients.get(2).doubleValue();
      if (param.dtype() == DType.FLOAT32) {
        float[] p = TensorArrays.floats(param);
        float[] g = TensorArrays.floats(grad);
        float[] m = TensorArrays.floats(buf);
        float[] u = new float[n];
        TensorArrays.forRange(n, (from, to) -> MuonFloatKernels.momentum(g, m, u, from, to, (float) momentum,
            (float) (1 - momentum), nesterov));
        TensorArrays.store(buf, m);
        float[] ortho = NewtonSchulz.orthogonalize(NewtonSchulz.toBFloat16(u), rows, cols, a, b, c, nsSteps, eps);
        TensorArrays.forRange(n, (from, to) -> MuonFloatKernels.apply(p, ortho, from, to, (float) decayFactor,
            (float) negAdjustedLr));
        TensorArrays.store(param, p);
      } else {
        double[] p = TensorArrays.doubles(param);
        double[] g = TensorArrays.doubles(grad);
        double[] m = TensorArrays.doubles(buf);
        double[] u = new double[n];
        TensorArrays.forRange(n, (from, to) -> MuonDoubleKernels.momentum(g, m, u, from, to, momentum, 1 - momentum,
            nesterov));
        TensorArrays.store(buf, m);
        float[] ortho = NewtonSchulz.orthogonalize(NewtonSchulz.toBFloat16(u), rows, cols, a, b, c, nsSteps, eps);
        double[] orthoD = new double[n];
        for (int k = 0; k < n; k++) {
          orthoD[k] = ortho[k];
        }
        TensorArrays.forRange(n, (from, to) -> MuonDoubleKernels.apply(p, orthoD, from, to, decayFactor,
            negAdjustedLr));
        TensorArrays.store(param, p);
      }
    }
  }

  /**
   * The learning-rate ratio of {@code adjust_lr_fn} for a {@code a × b} parameter: {@code sqrt(max(1, a/b))} for
   * null and {@code "original"}, {@code 0.2·sqrt(max(a, b))} for {@code "match_rms_adamw"},
   * {@code sqrt(a/b)} for {@code "spectral_unclamped"} (PyTorch 2.14), 1 otherwise (PyTorch's fallback).
   */
  static double ratio(String adjustLrFn, int a, int b) {
    if (adjustLrFn == null || adjustLrFn.equals("original")) {
      double q = (double) a / b;
      return Math.sqrt(q > 1 ? q : 1);
    }
    return switch (adjustLrFn) {
      case "match_rms_adamw" -> 0.2 * Math.sqrt(Math.max(a, b));
      case "spectral_unclamped" -> Math.sqrt((double) a / b);
      default -> 1.0;
    };
  }

  private static void checkLengths(String fn, int... sizes) {
    for (int s : sizes) {
      if (s != sizes[0]) {
        throw new IllegalArgumentException(fn + ": the lists of parameters, gradients and state must have the same "
            + "length, got " + java.util.Arrays.toString(sizes));
      }
    }
  }
}
