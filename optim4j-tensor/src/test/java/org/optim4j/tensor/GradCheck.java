package org.optim4j.tensor;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Function;

/**
 * Finite-difference gradient checks in float64, PyTorch's {@code gradcheck} in small.
 *
 * <p>{@link #check} compares the analytical gradient of {@code L = Σ f(inputs)·w} (w fixed random
 * weights, so every output element matters with a different factor) with central differences
 * {@code (L(x + ε) − L(x − ε)) / 2ε} for every element of every input that requires grad, and returns
 * the operations of the graph it checked, so that a table test can tell which backward rules a case
 * covers.
 */
final class GradCheck {
  /** Step of the central differences. */
  static final double EPS = 1e-6;
  /** Absolute tolerance of the comparison. */
  static final double ATOL = 1e-5;
  /** Relative tolerance of the comparison, against the numerical value. */
  static final double RTOL = 1e-3;

  private static final long WEIGHT_SEED = 20240531L;

  private GradCheck() {}

  /**
   * Checks the gradients of {@code f} with respect to every input that requires grad.
   *
   * @param f the function; it must be deterministic (re-seed any generator inside it)
   * @param inputs its arguments: float64 contiguous leaves where they require grad (others, e.g. int64
   *     targets, are passed through)
   * @return the operations recorded in the graph of {@code f(inputs)}
   * @throws AssertionError naming the input and element of the first mismatches
   */
  @SuppressWarnings("try")
  static Set<Op> check(Function<Tensor[], Tensor> f, Tensor... inputs) {
    for (Tensor t : inputs) {
      if (t != null && t.requiresGrad()) {
        if (t.dtype() != DType.FLOAT64 || !t.isContiguous() || !t.isLeaf()) {
          throw new IllegalArgumentException("gradcheck needs contiguous float64 leaves, got " + t.dtype() + " "
              + Shape.str(t.shapeRef()));
        }
        t.setGrad(null);
      }
    }
    Tensor out = f.apply(inputs);
    if (!out.requiresGrad()) {
      throw new AssertionError("the output does not require grad");
    }
    Tensor weights = Tensor.randn(new Generator(WEIGHT_SEED), DType.FLOAT64, out.shape());
    Set<Op> ops = opsOf(out);
    out.to(DType.FLOAT64).mul(weights).sum().backward();
    StringBuilder failures = new StringBuilder();
    for (int k = 0; k < inputs.length; k++) {
      Tensor t = inputs[k];
      if (t == null || !t.requiresGrad()) {
        continue;
      }
      double[] analytical = t.grad() == null ? new double[t.numelInt()] : t.grad().toDense().toDoubleArray();
      double[] data = t.storage().d;
      int offset = t.offset();
      for (int i = 0; i < analytical.length; i++) {
        double original = data[offset + i];
        double plus;
        double minus;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
          data[offset + i] = original + EPS;
          plus = f.apply(inputs).to(DType.FLOAT64).mul(weights).sum().item();
          data[offset + i] = original - EPS;
          minus = f.apply(inputs).to(DType.FLOAT64).mul(weights).sum().item();
        } finally {
          data[offset + i] = original;
        }
        double numerical = (plus - minus) / (2 * EPS);
        if (!(Math.abs(analytical[i] - numerical) <= ATOL + RTOL * Math.abs(numerical))) {
          failures.append("\n  input ").append(k).append(" element ").append(i).append(": analytical ")
              .append(analytical[i]).append(", numerical ").append(numerical);
        }
      }
    }
    if (failures.length() > 0) {
      throw new AssertionError("gradient mismatch (" + ops + "):" + failures);
    }
    return ops;
  }

  /** The operations of every node reachable from {@code out}'s grad_fn, leaf accumulators included. */
  static Set<Op> opsOf(Tensor out) {
    Set<Op> ops = EnumSet.noneOf(Op.class);
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Node> stack = new ArrayDeque<>();
    if (out.gradFn() != null) {
      stack.push(out.gradFn());
    }
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      if (!seen.add(node)) {
        continue;
      }
      ops.add(node.op());
      for (Node next : node.next) {
        if (next != null) {
          stack.push(next);
        }
      }
    }
    return ops;
  }
}
