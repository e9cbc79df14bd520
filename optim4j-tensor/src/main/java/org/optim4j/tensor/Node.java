package org.optim4j.tensor;

/**
 * A node of the autograd graph: the backward function of one operation, PyTorch's {@code grad_fn}.
 *
 * <p>It keeps, per input, the node that receives that input's gradient (the input's own
 * {@code grad_fn}, the accumulator of a leaf, or nothing), the tensors the backward rule needs together
 * with their versions at the time they were saved, and the operation's non-tensor arguments.
 */
public final class Node {
  final Op op;
  final Node[] next;
  final int[][] inputShapes;
  final DType[] inputDtypes;
  final Object ctx;
  final Tensor leaf;
  Tensor retainer;
  private Tensor[] saved;
  private int[] savedVersions;
  private boolean[] savedIsOutput;
  private boolean released;

  Node(Op op, Tensor output, Tensor[] inputs, Tensor[] saved, Object ctx) {
    this.op = op;
    this.ctx = ctx;
    this.leaf = null;
    int n = inputs.length;
    next = new Node[n];
    inputShapes = new int[n][];
    inputDtypes = new DType[n];
    for (int i = 0; i < n; i++) {
      Tensor t = inputs[i];
      if (t == null) {
        continue;
      }
      inputShapes[i] = t.shapeRef();
      inputDtypes[i] = t.dtype();
      if (t.requiresGrad()) {
        next[i] = t.gradFn() != null ? t.gradFn() : t.gradAccumulator();
      }
    }
    this.saved = saved;
    savedVersions = new int[saved.length];
    savedIsOutput = new boolean[saved.length];
    for (int i = 0; i < saved.length; i++) {
      savedVersions[i] = saved[i] == null ? 0 : saved[i].version();
      savedIsOutput[i] = saved[i] == output;
    }
  }

  /** The gradient accumulator of a leaf tensor. */
  Node(Tensor leaf) {
    this.op = Op.ACCUMULATE_GRAD;
    this.leaf = leaf;
    this.ctx = null;
    this.next = new Node[0];
    this.inputShapes = new int[0][];
    this.inputDtypes = new DType[0];
    this.saved = new Tensor[0];
    this.savedVersions = new int[0];
    this.savedIsOutput = new boolean[0];
  }

  /** PyTorch's name of this backward function, such as {@code MulBackward0}. */
  public String name() {
    return op.backwardName();
  }

  /** The operation whose backward this node computes. */
  Op op() {
    return op;
  }

  /** The saved tensor {@code i}, checked against in-place modification since it was saved. */
  Tensor saved(int i) {
    if (released) {
      throw new IllegalStateException("Trying to backward through the graph a second time (or directly access saved "
          + "tensors after they have already been freed). Saved intermediate values of the graph are freed when you "
          + "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph "
          + "a second time or if you need to access saved tensors after calling backward.");
    }
    Tensor t = saved[i];
    if (t != null && t.version() != savedVersions[i]) {
      Node creator = savedIsOutput[i] ? this : t.gradFn();
      String origin = creator == null ? "" : ", which is output 0 of " + creator.name().replaceAll("Backward\\d*$", "");
      throw new IllegalStateException("one of the variables needed for gradient computation has been modified by an "
          + "inplace operation: [" + t.dtype().tensorTypeName() + " " + Shape.str(t.shapeRef()) + "]" + origin
          + ", is at version " + t.version() + "; expected version " + savedVersions[i] + " instead. Hint: enable "
          + "anomaly detection to find the operation that failed to compute its gradient, with "
          + "torch.autograd.set_detect_anomaly(True, check_nan=False).");
    }
    return t;
  }

  /** Whether a saved tensor (not yet released) shares storage with {@code t}. */
  boolean savesStorageOf(Tensor t) {
    for (Tensor s : saved) {
      if (s != null && t.sharesStorageWith(s)) {
        return true;
      }
    }
    return false;
  }

  boolean released() {
    return released;
  }

  void release() {
    if (saved.length > 0) {
      released = true;
      saved = new Tensor[0];
    }
  }

  @Override
  public String toString() {
    return "<" + name() + ">";
  }
}
