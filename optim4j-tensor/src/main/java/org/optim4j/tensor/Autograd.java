package org.optim4j.tensor;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode engine: records nodes and runs {@code backward} over them.
 *
 * <p>The graph is walked iteratively (no recursion), so arbitrarily deep graphs do not overflow the
 * stack: an explicit-stack depth-first pass counts each node's consumers, then Kahn's algorithm runs the
 * backward rules of {@link Derivatives} in dependency order, summing the gradients that flow into each
 * node before it runs. Gradients the engine owns are handed to leaves without a copy (see
 * {@link #backward(Tensor, Tensor, boolean, boolean)}).
 */
final class Autograd {
  private static final Tensor[] NONE = new Tensor[0];

  private Autograd() {}

  /** Whether an operation on these inputs must be recorded. */
  static boolean needed(Tensor a) {
    return a.requiresGrad() && GradMode.isEnabled();
  }

  static boolean needed(Tensor a, Tensor b) {
    return (a.requiresGrad() || (b != null && b.requiresGrad())) && GradMode.isEnabled();
  }

  static boolean needed(Tensor[] inputs) {
    if (!GradMode.isEnabled()) {
      return false;
    }
    for (Tensor t : inputs) {
      if (t != null && t.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Makes {@code out} the output of a new node of {@code op} when grad mode is on and an input requires
   * grad; returns {@code out}.
   */
  static Tensor record(Op op, Tensor out, Object ctx, Tensor[] inputs, Tensor... saved) {
    if (!needed(inputs)) {
      return out;
    }
    out.setHistory(new Node(op, out, inputs, saved, ctx));
    return out;
  }

  static Tensor record1(Op op, Tensor out, Object ctx, Tensor input, Tensor... saved) {
    if (!needed(input)) {
      return out;
    }
    out.setHistory(new Node(op, out, new Tensor[] {input}, saved, ctx));
    return out;
  }

  static Tensor record2(Op op, Tensor out, Object ctx, Tensor a, Tensor b, Tensor... saved) {
    if (!needed(a, b)) {
      return out;
    }
    out.setHistory(new Node(op, out, new Tensor[] {a, b}, saved, ctx));
    return out;
  }

  static Tensor[] none() {
    return NONE;
  }

  /**
   * Runs backward from {@code root} with the initial gradient {@code gradient}; {@code owned} tells
   * whether nothing outside the engine holds {@code gradient} (it was made for this call).
   *
   * <p>Like PyTorch's {@code AccumulateGrad}, which steals a gradient nobody else references, the engine
   * tracks which pending gradients it owns: a tensor a backward rule made (sharing storage with neither
   * the incoming gradient, nor another of the rule's results, nor a saved tensor), the incoming gradient
   * passed on by a rule to one input only, or a sum the engine made itself. A leaf whose {@code grad} is
   * still null takes an owned dense gradient as it is instead of copying it, and a second gradient flowing
   * into a node is added in place into an owned first one.
   */
  @SuppressWarnings("try")
  static void backward(Tensor root, Tensor gradient, boolean retainGraph, boolean owned) {
    Node start = root.gradFn() != null ? root.gradFn() : root.gradAccumulator();
    Map<Node, Integer> consumers = countConsumers(start);
    Map<Node, Tensor> pending = new IdentityHashMap<>();
    Set<Node> ownedGrads = Collections.newSetFromMap(new IdentityHashMap<>());
    pending.put(start, gradient);
    if (owned) {
      ownedGrads.add(start);
    }
    ArrayDeque<Node> ready = new ArrayDeque<>();
    ready.push(start);
    try (GradMode.Scope ignored = GradMode.noGrad()) {
      while (!ready.isEmpty()) {
        Node node = ready.pop();
        Tensor grad = pending.remove(node);
        boolean gradOwned = ownedGrads.remove(node);
        if (node.op == Op.ACCUMULATE_GRAD) {
          if (grad != null) {
            node.leaf.accumulateGrad(grad, gradOwned);
          }
          continue;
        }
        if (node.retainer != null && grad != null) {
          node.retainer.setRetainedGrad(grad);
        }
        Tensor[] inputGrads = grad == null ? NONE : Derivatives.apply(node, grad);
        boolean[] exclusive = new boolean[inputGrads.length];
        for (int i = 0; i < inputGrads.length; i++) {
          exclusive[i] = isExclusive(inputGrads, i, grad, gradOwned, node);
        }
        if (!retainGraph) {
          node.release();
        }
        for (int i = 0; i < node.next.length; i++) {
          Node next = node.next[i];
          if (next == null) {
            continue;
          }
          Tensor g = i < inputGrads.length ? inputGrads[i] : null;
          if (g != null) {
            Tensor conformed = conform(g, node, i);
            boolean gOwned = exclusive[i] || (conformed != g && !conformed.sharesStorageWith(g));
            Tensor previous = pending.get(next);
            if (previous == null) {
              pending.put(next, conformed);
              if (gOwned) {
                ownedGrads.add(next);
              }
            } else if (ownedGrads.contains(next) && canAddInPlace(previous, conformed)) {
              previous.add_(conformed);
            } else {
              Tensor sum = accumulate(previous, conformed);
              pending.put(next, sum);
              if (!sum.isSparse()) {
                ownedGrads.add(next);
              }
            }
          }
          int left = consumers.merge(next, -1, Integer::sum);
          if (left == 0) {
            ready.push(next);
          }
        }
      }
    }
  }

  /**
   * Whether result {@code i} of a backward rule is referenced by nothing else: dense, and sharing storage
   * with no other result and no saved tensor of the node, and with the incoming gradient only when the
   * engine owns that.
   */
  private static boolean isExclusive(Tensor[] results, int i, Tensor incoming, boolean incomingOwned, Node node) {
    Tensor g = results[i];
    if (g == null || g.isSparse()) {
      return false;
    }
    if (g.sharesStorageWith(incoming) && !incomingOwned) {
      return false;
    }
    for (int j = 0; j < results.length; j++) {
      if (j != i && results[j] != null && g.sharesStorageWith(results[j])) {
        return false;
      }
    }
    return !node.savesStorageOf(g);
  }

  private static boolean canAddInPlace(Tensor previous, Tensor g) {
    return !previous.isSparse() && !g.isSparse() && previous.dtype() == g.dtype()
        && Shape.same(previous.shapeRef(), g.shapeRef()) && previous.isContiguous();
  }

  private static Tensor conform(Tensor g, Node node, int i) {
    int[] shape = node.inputShapes[i];
    if (!g.isSparse() && !Shape.same(g.shapeRef(), shape)) {
      g = g.sumTo(shape);
    }
    if (g.dtype() != node.inputDtypes[i]) {
      g = g.to(node.inputDtypes[i]);
    }
    return g;
  }

  private static Tensor accumulate(Tensor a, Tensor b) {
    if (a.isSparse() && b.isSparse()) {
      return Sparse.add(a, b);
    }
    if (a.isSparse()) {
      return b.add(a);
    }
    return a.add(b);
  }

  private static Map<Node, Integer> countConsumers(Node start) {
    Map<Node, Integer> consumers = new IdentityHashMap<>();
    consumers.put(start, 0);
    ArrayDeque<Node> stack = new ArrayDeque<>();
    stack.push(start);
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      for (Node next : node.next) {
        if (next == null) {
          continue;
        }
        Integer c = consumers.get(next);
        if (c == null) {
          consumers.put(next, 1);
          stack.push(next);
        } else {
          consumers.put(next, c + 1);
        }
      }
    }
    return consumers;
  }
}
