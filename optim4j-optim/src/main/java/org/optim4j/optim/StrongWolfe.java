package org.optim4j.optim;

import java.util.List;
import org.optim4j.tensor.Tensor;

/**
 * {@link LBFGS}'s line search, PyTorch's {@code _strong_wolfe} and {@code _cubic_interpolate} (ports of
 * minFunc's {@code lswolfe.lua} and {@code polyinterp.lua}) statement by statement, with every scalar a
 * {@link PyNumber} so that tensors, floats and ints mix as they do in Python.
 */
final class StrongWolfe {
  /** Evaluates the objective at {@code x + t·d}: the loss and the flat gradient there. */
  @FunctionalInterface
  interface Objective {
    Evaluation evaluate(List<Tensor> x, PyNumber t, Tensor d);
  }

  /** A loss (a Python float) and a flat gradient. */
  record Evaluation(double loss, Tensor grad) {}

  /** What the line search returns: the loss and gradient at the accepted step {@code t}, and its evaluations. */
  record Result(double loss, Tensor grad, PyNumber t, int funcEvals) {}

  private StrongWolfe() {}

  /**
   * PyTorch's {@code _strong_wolfe(obj_func, x, t, d, f, g, gtd, c1, c2, tolerance_change, max_ls)}.
   *
   * @throws IllegalStateException when {@code maxLs} is negative (PyTorch fails with an UnboundLocalError)
   */
  static Result search(Objective obj, List<Tensor> x, PyNumber t, Tensor d, double f, Tensor g, PyNumber gtd,
      double c1, double c2, double toleranceChange, int maxLs) {
    PyNumber dNorm = LBFGS.absMax(d);
    g = g.clone();
    Evaluation e = obj.evaluate(x, t, d);
    double fNew = e.loss();
    Tensor gNew = e.grad();
    int lsFuncEvals = 1;
    PyNumber gtdNew = LBFGS.dot(gNew, d);

    PyNumber tPrev = PyNumber.ZERO;
    double fPrev = f;
    Tensor gPrev = g;
    PyNumber gtdPrev = gtd;
    boolean done = false;
    int lsIter = 0;
    PyNumber[] bracket = null;
    double[] bracketF = null;
    Tensor[] bracketG = null;
    PyNumber[] bracketGtd = null;
    while (lsIter < maxLs) {
      if (armijoFails(fNew, f, c1, t, gtd) || (lsIter > 1 && fNew >= fPrev)) {
        bracket = new PyNumber[] {tPrev, t};
        bracketF = new double[] {fPrev, fNew};
        bracketG = new Tensor[] {gPrev, gNew.clone()};
        bracketGtd = new PyNumber[] {gtdPrev, gtdNew};
        break;
      }
      if (gtdNew.abs().le(PyNumber.of(-c2).mul(gtd))) {
        bracket = new PyNumber[] {t};
        bracketF = new double[] {fNew};
        bracketG = new Tensor[] {gNew};
        done = true;
        break;
      }
      if (gtdNew.ge(0)) {
        bracket = new PyNumber[] {tPrev, t};
        bracketF = new double[] {fPrev, fNew};
        bracketG = new Tensor[] {gPrev, gNew.clone()};
        bracketGtd = new PyNumber[] {gtdPrev, gtdNew};
        break;
      }
      // interpolate
      PyNumber minStep = t.add(PyNumber.of(0.01).mul(t.sub(tPrev)));
      PyNumber maxStep = t.mul(PyNumber.from(10, "10"));
      PyNumber tmp = t;
      t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
      // next step
      tPrev = tmp;
      fPrev = fNew;
      gPrev = gNew.clone();
      gtdPrev = gtdNew;
      e = obj.evaluate(x, t, d);
      fNew = e.loss();
      gNew = e.grad();
      lsFuncEvals++;
      gtdNew = LBFGS.dot(gNew, d);
      lsIter++;
    }
    if (lsIter == maxLs) {
      bracket = new PyNumber[] {PyNumber.ZERO, t};
      bracketF = new double[] {f, fNew};
      bracketG = new Tensor[] {g, gNew};
    }
    if (bracket == null) {
      throw new IllegalStateException("LBFGS line search: max_ls must not be negative, got " + maxLs);
    }

    // zoom phase: refine the bracket until a point satisfies the criteria
    boolean insufProgress = false;
    int lowPos = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1;
    int highPos = 1 - lowPos;
    while (!done && lsIter < maxLs) {
      if (bracket[1].sub(bracket[0]).abs().mul(dNorm).lt(toleranceChange)) {
        break;
      }
      t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null,
          null);
      // A trial point within 10% of the bracket's length from an edge is insufficient progress: the second
      // time, or at or beyond an edge, move it 10% of the length inside.
      PyNumber high = PyNumber.max(bracket[0], bracket[1]);
      PyNumber low = PyNumber.min(bracket[0], bracket[1]);
      PyNumber eps = PyNumber.of(0.1).mul(high.sub(low));
      if (PyNumber.min(high.sub(t), t.sub(low)).lt(eps)) {
        if (insufProgress || t.ge(high) || t.le(low)) {
          t = t.sub(high).abs().lt(t.sub(low).abs()) ? high.sub(eps) : low.add(eps);
          insufProgress = false;
        } else {
          insufProgress = true;
        }
      } else {
        insufProgress = false;
      }
      e = obj.evaluate(x, t, d);
      fNew = e.loss();
      gNew = e.grad();
      lsFuncEvals++;
      gtdNew = LBFGS.dot(gNew, d);
      lsIter++;
      if (armijoFails(fNew, f, c1, t, gtd) || fNew >= bracketF[lowPos]) {
        // Armijo condition not satisfied or not lower than the lowest point
        bracket[highPos] = t;
        bracketF[highPos] = fNew;
        bracketG[highPos] = gNew.clone();
        bracketGtd[highPos] = gtdNew;
        lowPos = bracketF[0] <= bracketF[1] ? 0 : 1;
        highPos = 1 - lowPos;
      } else {
        if (gtdNew.abs().le(PyNumber.of(-c2).mul(gtd))) {
          done = true;
        } else if (gtdNew.mul(bracket[highPos].sub(bracket[lowPos])).ge(0)) {
          // old high becomes new low
          bracket[highPos] = bracket[lowPos];
          bracketF[highPos] = bracketF[lowPos];
          bracketG[highPos] = bracketG[lowPos];
          bracketGtd[highPos] = bracketGtd[lowPos];
        }
        // new point becomes new low
        bracket[lowPos] = t;
        bracketF[lowPos] = fNew;
        bracketG[lowPos] = gNew.clone();
        bracketGtd[lowPos] = gtdNew;
      }
    }
    return new Result(bracketF[lowPos], bracketG[lowPos], bracket[lowPos], lsFuncEvals);
  }

  /** {@code f_new > (f + c1 * t * gtd)}. */
  private static boolean armijoFails(double fNew, double f, double c1, PyNumber t, PyNumber gtd) {
    return PyNumber.of(fNew).gt(PyNumber.of(f).add(PyNumber.of(c1).mul(t).mul(gtd)));
  }

  /**
   * PyTorch's {@code _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds)}: the minimiser of the cubic through two
   * points with their values and slopes, clamped to the bounds ({@code [min(x1, x2), max(x1, x2)]} when
   * {@code xminBound} is null); the middle of the bounds when the cubic has no minimum.
   */
  static PyNumber cubicInterpolate(PyNumber x1, double f1, PyNumber g1, PyNumber x2, double f2, PyNumber g2,
      PyNumber xminBound, PyNumber xmaxBound) {
    if (xminBound == null) {
      boolean ordered = x1.le(x2);
      xminBound = ordered ? x1 : x2;
      xmaxBound = ordered ? x2 : x1;
    }
    PyNumber d1 = g1.add(g2).sub(PyNumber.from(3, "3").mul(PyNumber.of(f1 - f2)).div(x1.sub(x2)));
    PyNumber d2Square = d1.square().sub(g1.mul(g2));
    if (d2Square.ge(0)) {
      PyNumber d2 = d2Square.sqrt();
      PyNumber two = PyNumber.from(2, "2");
      PyNumber minPos = x1.le(x2)
          ? x2.sub(x2.sub(x1).mul(g2.add(d2).sub(d1).div(g2.sub(g1).add(two.mul(d2)))))
          : x1.sub(x1.sub(x2).mul(g1.add(d2).sub(d1).div(g1.sub(g2).add(two.mul(d2)))));
      return PyNumber.min(PyNumber.max(minPos, xminBound), xmaxBound);
    }
    return xminBound.add(xmaxBound).div(PyNumber.of(2.0));
  }
}
