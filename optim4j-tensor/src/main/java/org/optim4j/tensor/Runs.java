package org.optim4j.tensor;

import java.util.Arrays;

/**
 * Two operands read through their broadcast strides against a contiguous output shape, as runs along the
 * innermost dimension: run r covers output elements {@code [r·length, (r+1)·length)}, and in it each
 * operand either advances with the output (step 1) or stays on one element (step 0, broadcast along the
 * run). Dimensions of size one are dropped and adjacent dimensions that every operand walks contiguously
 * are merged first, so {@code [N, M] + [M]} is N runs of M with steps (1, 1) and {@code [N, M] * [N, 1]}
 * is N runs of M with steps (1, 0).
 */
final class Runs {
  /** Sizes of the outer (run-indexing) dimensions, outermost first. */
  private final int[] outer;
  /** Strides of the outer dimensions, per operand. */
  private final int[][] outerStrides;
  private final int[] offsets;
  private final int[] steps;
  private final int length;
  private final int count;

  /** The runs of {@code a} and {@code b} broadcast to {@code shape}. */
  Runs(int[] shape, Tensor a, Tensor b) {
    int nd = shape.length;
    int[][] st = {broadcastStrides(a, nd), broadcastStrides(b, nd)};
    int[] sizes = new int[Math.max(1, nd)];
    int[][] merged = new int[2][Math.max(1, nd)];
    int dims = 0;
    for (int d = 0; d < nd; d++) {
      if (shape[d] == 1) {
        continue;
      }
      if (dims > 0 && mergeable(merged, dims - 1, st, d, shape[d])) {
        sizes[dims - 1] *= shape[d];
        merged[0][dims - 1] = st[0][d];
        merged[1][dims - 1] = st[1][d];
        continue;
      }
      sizes[dims] = shape[d];
      merged[0][dims] = st[0][d];
      merged[1][dims] = st[1][d];
      dims++;
    }
    if (dims == 0) {
      sizes[0] = 1;
      dims = 1;
    }
    length = sizes[dims - 1];
    steps = new int[] {merged[0][dims - 1], merged[1][dims - 1]};
    outer = Arrays.copyOf(sizes, dims - 1);
    outerStrides = new int[][] {Arrays.copyOf(merged[0], dims - 1), Arrays.copyOf(merged[1], dims - 1)};
    offsets = new int[] {a.offset(), b.offset()};
    int c = 1;
    for (int s : outer) {
      c *= s;
    }
    count = c;
  }

  /**
   * Whether {@code a op b} into {@code out} can read the operands in place: each advances by 0 or 1
   * along the runs, and an operand that shares {@code out}'s storage is laid out exactly as {@code out}
   * (an in-place update reads each element before writing it; any other overlap needs a copy).
   */
  static boolean applies(Tensor a, Tensor b, Tensor out) {
    if (!out.isContiguous() || !inPlaceSafe(a, out) || !inPlaceSafe(b, out)) {
      return false;
    }
    Runs r = new Runs(out.shapeRef(), a, b);
    return (r.steps[0] == 0 || r.steps[0] == 1) && (r.steps[1] == 0 || r.steps[1] == 1);
  }

  private static boolean inPlaceSafe(Tensor t, Tensor out) {
    return !t.sharesStorageWith(out)
        || (t.offset() == out.offset() && Shape.same(t.shapeRef(), out.shapeRef()) && t.isContiguous());
  }

  /** Strides of {@code t} broadcast to {@code nd} dimensions: 0 along dimensions it is broadcast over. */
  private static int[] broadcastStrides(Tensor t, int nd) {
    int[] shape = t.shapeRef();
    int[] strides = t.stridesRef();
    int lead = nd - shape.length;
    int[] out = new int[nd];
    for (int d = lead; d < nd; d++) {
      out[d] = shape[d - lead] == 1 ? 0 : strides[d - lead];
    }
    return out;
  }

  /** Whether dimension d (of the given size) continues the last merged dimension for both operands. */
  private static boolean mergeable(int[][] merged, int last, int[][] st, int d, int size) {
    return merged[0][last] == st[0][d] * size && merged[1][last] == st[1][d] * size;
  }

  /** Elements per run. */
  int length() {
    return length;
  }

  /** The number of runs. */
  int count() {
    return count;
  }

  /** How operand k (0 or 1) advances along a run: its innermost stride. */
  int innerStep(int k) {
    return steps[k];
  }

  /**
   * The position of run {@code run}: the offsets of both operands' first elements, followed by the
   * run's index along each outer dimension (for {@link #advance}).
   */
  int[] start(int run) {
    int[] at = new int[2 + outer.length];
    at[0] = offsets[0];
    at[1] = offsets[1];
    int rest = run;
    for (int d = outer.length - 1; d >= 0; d--) {
      int i = rest % outer[d];
      rest /= outer[d];
      at[2 + d] = i;
      at[0] += i * outerStrides[0][d];
      at[1] += i * outerStrides[1][d];
    }
    return at;
  }

  /** Moves a position of {@link #start} to the next run. */
  void advance(int[] at) {
    for (int d = outer.length - 1; d >= 0; d--) {
      at[0] += outerStrides[0][d];
      at[1] += outerStrides[1][d];
      if (++at[2 + d] < outer[d]) {
        return;
      }
      at[0] -= outerStrides[0][d] * outer[d];
      at[1] -= outerStrides[1][d] * outer[d];
      at[2 + d] = 0;
    }
  }
}
