package org.optim4j.tensor;

import static org.optim4j.tensor.internal.KernelOps.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.optim4j.tensor.internal.RawAccess;

/**
 * A multi-dimensional array with reverse-mode automatic differentiation, PyTorch's {@code torch.Tensor}.
 *
 * <p>A tensor is a view of a {@link Storage}: a shape, strides and an offset. Views ({@link #view},
 * {@link #transpose}, {@link #narrow}, ...) share their storage and its version counter. Operations
 * broadcast like PyTorch, promote dtypes like PyTorch, and round float32 results like PyTorch's CPU
 * kernels (a scalar operand is rounded to the tensor dtype first; {@code add_(alpha)}, {@code addcmul_}
 * and {@code lerp_} are fused multiply-adds). Methods ending in an underscore work in place.
 *
 * <p>When grad mode is on ({@link GradMode}) and an operand {@link #requiresGrad() requires grad}, an
 * operation records a {@link Node}; {@link #backward()} then fills the {@link #grad()} of the leaves.
 * Not thread-safe.
 */
public class Tensor {
  static {
    RawAccess.install(new RawAccess.Accessor() {
      @Override
      public Object wholeArray(Tensor t) {
        if (t.isSparse() || t.offset != 0 || !t.isContiguous() || t.storage.length() != t.numelInt()) {
          return null;
        }
        DType dt = t.storage.dtype;
        return dt == DType.FLOAT32 ? t.storage.f : dt == DType.FLOAT64 ? t.storage.d : dt == DType.BFLOAT16 ? t.storage.h
            : null;
      }

      @Override
      public void bumpVersion(Tensor t) {
        t.storage.bumpVersion();
      }
    });
  }

  private final Storage storage;
  private final int[] shape;
  private final int[] strides;
  private final int offset;
  private final Tensor base;
  private final Tensor sparseIndices;
  private final Tensor sparseValues;
  private final boolean coalesced;
  private boolean requiresGrad;
  private Tensor grad;
  private Node gradFn;
  private Node accumulator;
  private boolean retainsGrad;

  Tensor(Storage storage, int[] shape, int[] strides, int offset, Tensor base) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.base = base;
    this.sparseIndices = null;
    this.sparseValues = null;
    this.coalesced = false;
  }

  Tensor(Storage storage, int[] shape) {
    this(storage, shape, Shape.contiguousStrides(shape), 0, null);
  }

  /** A sparse COO tensor; see {@link #sparseCoo}. */
  Tensor(Tensor indices, Tensor values, int[] shape, boolean coalesced) {
    this.storage = null;
    this.shape = shape;
    this.strides = null;
    this.offset = 0;
    this.base = null;
    this.sparseIndices = indices;
    this.sparseValues = values;
    this.coalesced = coalesced;
  }

  /**
   * Creates a tensor that shares the data of {@code data} (a detached alias of the same storage, shape
   * and strides), as {@code torch.nn.Parameter} does.
   */
  protected Tensor(Tensor data) {
    if (data.isSparse()) {
      throw new IllegalArgumentException("a sparse tensor cannot be aliased");
    }
    this.storage = data.storage;
    this.shape = data.shape;
    this.strides = data.strides;
    this.offset = data.offset;
    this.base = data.base;
    this.sparseIndices = null;
    this.sparseValues = null;
    this.coalesced = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Creation

  /** A float32 tensor holding a copy of {@code data}; without a shape it is 1-D. */
  public static Tensor of(float[] data, int... shape) {
    int[] s = shapeFor(data.length, shape);
    return new Tensor(Storage.of(data.clone()), s);
  }

  /** A float64 tensor holding a copy of {@code data}; without a shape it is 1-D. */
  public static Tensor of(double[] data, int... shape) {
    int[] s = shapeFor(data.length, shape);
    return new Tensor(Storage.of(data.clone()), s);
  }

  /** An int64 tensor holding a copy of {@code data}; without a shape it is 1-D. */
  public static Tensor of(long[] data, int... shape) {
    int[] s = shapeFor(data.length, shape);
    return new Tensor(Storage.of(data.clone()), s);
  }

  /** A bool tensor holding a copy of {@code data}; without a shape it is 1-D. */
  public static Tensor of(boolean[] data, int... shape) {
    int[] s = shapeFor(data.length, shape);
    return new Tensor(Storage.of(data.clone()), s);
  }

  private static int[] shapeFor(int length, int[] shape) {
    if (shape.length == 0) {
      return new int[] {length};
    }
    Shape.checkShape(shape);
    if (Shape.numel(shape) != length) {
      throw new IllegalArgumentException("shape " + Shape.str(shape) + " is invalid for input of size " + length);
    }
    return shape.clone();
  }

  /** A 0-dim float32 tensor, like {@code torch.tensor(value)}. */
  public static Tensor scalar(double value) {
    return scalar(value, DType.FLOAT32);
  }

  /** A 0-dim tensor of the given dtype. */
  public static Tensor scalar(double value, DType dtype) {
    Tensor t = empty(dtype, new int[0]);
    t.storage.set(0, value);
    return t;
  }

  /** An uninitialised (zero-filled) contiguous tensor. */
  static Tensor empty(DType dtype, int[] shape) {
    Shape.checkShape(shape);
    return new Tensor(Storage.allocate(dtype, Shape.numel(shape)), shape.clone());
  }

  /** A float32 tensor of zeros. */
  public static Tensor zeros(int... shape) {
    return zeros(DType.FLOAT32, shape);
  }

  /** A tensor of zeros of the given dtype. */
  public static Tensor zeros(DType dtype, int... shape) {
    return empty(dtype, shape);
  }

  /** A float32 tensor of ones. */
  public static Tensor ones(int... shape) {
    return full(1, DType.FLOAT32, shape);
  }

  /** A tensor of ones of the given dtype. */
  public static Tensor ones(DType dtype, int... shape) {
    return full(1, dtype, shape);
  }

  /** A float32 tensor filled with {@code value}. */
  public static Tensor full(double value, int... shape) {
    return full(value, DType.FLOAT32, shape);
  }

  /** A tensor of the given dtype filled with {@code value}. */
  public static Tensor full(double value, DType dtype, int... shape) {
    Tensor t = empty(dtype, shape);
    if (value != 0) {
      t.fillRaw(value);
    }
    return t;
  }

  /** Zeros with the shape and dtype of {@code t}. */
  public static Tensor zerosLike(Tensor t) {
    return zeros(t.dtype(), t.shape);
  }

  /** Ones with the shape and dtype of {@code t}. */
  public static Tensor onesLike(Tensor t) {
    return ones(t.dtype(), t.shape);
  }

  /** A tensor filled with {@code value}, with the shape and dtype of {@code t}. */
  public static Tensor fullLike(Tensor t, double value) {
    return full(value, t.dtype(), t.shape);
  }

  /** Standard normal values with the shape and dtype of {@code t}, from the default generator. */
  public static Tensor randnLike(Tensor t) {
    return randn(Generator.defaultGenerator(), t.dtype(), t.shape);
  }

  /** Uniform values in [0, 1) with the shape and dtype of {@code t}, from the default generator. */
  public static Tensor randLike(Tensor t) {
    return rand(Generator.defaultGenerator(), t.dtype(), t.shape);
  }

  /** {@code 0, 1, ..., end-1} as int64, like {@code torch.arange(end)}. */
  public static Tensor arange(long end) {
    return arange(0, end);
  }

  /** {@code start, start+1, ..., end-1} as int64. */
  public static Tensor arange(long start, long end) {
    int n = (int) Math.max(0, end - start);
    long[] data = new long[n];
    for (int i = 0; i < n; i++) {
      data[i] = start + i;
    }
    return new Tensor(Storage.of(data), new int[] {n});
  }

  /** {@code start, start+step, ...} below {@code end} as float32, like {@code torch.arange(0., 1., .1)}. */
  public static Tensor arange(double start, double end, double step) {
    if (step == 0) {
      throw new IllegalArgumentException("step must be nonzero");
    }
    if ((step > 0 && start > end) || (step < 0 && start < end)) {
      throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
    }
    int n = (int) Math.ceil((end - start) / step);
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) (start + i * step);
    }
    return new Tensor(Storage.of(data), new int[] {n});
  }

  /** {@code steps} evenly spaced float32 values from {@code start} to {@code end}, as PyTorch computes them. */
  public static Tensor linspace(double start, double end, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("number of steps must be non-negative");
    }
    float[] data = new float[steps];
    float s = (float) start;
    float e = (float) end;
    if (steps == 1) {
      data[0] = s;
    } else if (steps > 1) {
      // PyTorch's float kernel: the step in float, fused multiply-adds from the start for the first half
      // and from the end for the rest.
      float step = (e - s) / (steps - 1);
      int half = steps / 2;
      for (int i = 0; i < steps; i++) {
        data[i] = i < half ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - 1 - i), e);
      }
    }
    return new Tensor(Storage.of(data), new int[] {steps});
  }

  /** The float32 identity matrix of size n×n. */
  public static Tensor eye(int n) {
    return eye(n, n);
  }

  /** A float32 n×m matrix with ones on the diagonal. */
  public static Tensor eye(int n, int m) {
    Tensor t = zeros(n, m);
    for (int i = 0; i < Math.min(n, m); i++) {
      t.storage.f[i * m + i] = 1;
    }
    return t;
  }

  /** Seeds the default generator, like {@code torch.manual_seed}. */
  public static void manualSeed(long seed) {
    Generator.defaultGenerator().manualSeed(seed);
  }

  /** Uniform float32 values in [0, 1). */
  public static Tensor rand(int... shape) {
    return rand(Generator.defaultGenerator(), DType.FLOAT32, shape);
  }

  /** Uniform values in [0, 1) of the given dtype from {@code g}. */
  public static Tensor rand(Generator g, DType dtype, int... shape) {
    Tensor t = empty(dtype, shape);
    int n = t.numelInt();
    if (dtype == DType.FLOAT32) {
      for (int i = 0; i < n; i++) {
        t.storage.f[i] = g.nextFloat();
      }
    } else {
      for (int i = 0; i < n; i++) {
        t.storage.set(i, g.nextDouble());
      }
    }
    return t;
  }

  /** Standard normal float32 values. */
  public static Tensor randn(int... shape) {
    return randn(Generator.defaultGenerator(), DType.FLOAT32, shape);
  }

  /** Standard normal values of the given dtype from {@code g}. */
  public static Tensor randn(Generator g, DType dtype, int... shape) {
    Tensor t = empty(dtype, shape);
    int n = t.numelInt();
    for (int i = 0; i < n; i++) {
      t.storage.set(i, g.nextGaussian());
    }
    return t;
  }

  /** Uniform int64 values in [low, high). */
  public static Tensor randint(long low, long high, int... shape) {
    return randint(Generator.defaultGenerator(), low, high, shape);
  }

  /** Uniform int64 values in [low, high) from {@code g}. */
  public static Tensor randint(Generator g, long low, long high, int... shape) {
    if (low >= high) {
      throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low
          + " >= to=" + high);
    }
    Tensor t = empty(DType.INT64, shape);
    int n = t.numelInt();
    for (int i = 0; i < n; i++) {
      t.storage.l[i] = low + g.nextLong(high - low);
    }
    return t;
  }

  /** A random permutation of {@code 0 .. n-1} as int64. */
  public static Tensor randperm(int n) {
    return randperm(Generator.defaultGenerator(), n);
  }

  /** A random permutation of {@code 0 .. n-1} as int64, from {@code g} (Fisher–Yates). */
  public static Tensor randperm(Generator g, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be non-negative, got" + n);
    }
    long[] p = new long[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = (int) g.nextLong(i + 1);
      long tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return new Tensor(Storage.of(p), new int[] {n});
  }

  /**
   * A sparse COO tensor, {@code torch.sparse_coo_tensor(indices, values, size)}: {@code indices} is int64
   * of shape [sparseDims, nnz], {@code values} has shape [nnz, denseDims...].
   */
  public static Tensor sparseCoo(Tensor indices, Tensor values, int... shape) {
    return Sparse.create(indices, values, shape);
  }

  // ---------------------------------------------------------------------------------------------
  // Metadata and data access

  /** The shape (a copy). */
  public int[] shape() {
    return shape.clone();
  }

  /** The size of dimension {@code dim} (negative counts from the end). */
  public int size(int dim) {
    return shape[Shape.wrapDim(dim, shape.length)];
  }

  /** The strides in elements (a copy). */
  public int[] stride() {
    checkDense("stride");
    return strides.clone();
  }

  /** The offset of the first element in the storage. */
  public int storageOffset() {
    return offset;
  }

  int[] shapeRef() {
    return shape;
  }

  int[] stridesRef() {
    return strides;
  }

  int offset() {
    return offset;
  }

  Storage storage() {
    return storage;
  }

  /** The element type. */
  public DType dtype() {
    return isSparse() ? sparseValues.dtype() : storage.dtype;
  }

  /** The number of dimensions. */
  public int dim() {
    return shape.length;
  }

  /** The number of elements. */
  public long numel() {
    return Shape.numel(shape);
  }

  int numelInt() {
    return Shape.numel(shape);
  }

  /** Whether the elements are laid out densely in row-major order. */
  public boolean isContiguous() {
    if (isSparse()) {
      return false;
    }
    int expected = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != expected) {
        return shape[i] == 0;
      }
      expected *= shape[i];
    }
    return true;
  }

  /** Whether this is a sparse COO tensor. */
  public boolean isSparse() {
    return sparseValues != null;
  }

  /** Whether this tensor shares the storage of another (is a view of a base tensor). */
  public boolean isView() {
    return base != null;
  }

  /** The in-place modification counter shared with every view of the same storage, PyTorch's {@code _version}. */
  public int version() {
    return isSparse() ? 0 : storage.version();
  }

  /** Whether this tensor shares memory with {@code other}. */
  public boolean sharesStorageWith(Tensor other) {
    return storage != null && storage == other.storage;
  }

  /** The single value of a one-element tensor, like {@code item()}. */
  public double item() {
    if (numelInt() != 1) {
      throw new IllegalStateException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
    }
    if (isSparse()) {
      return toDense().item();
    }
    return storage.get(offset);
  }

  /** The elements as float32, in row-major order (a copy; a 0-dim tensor gives 1 element). */
  public float[] toFloatArray() {
    return contiguousOf(DType.FLOAT32).storage.f.clone();
  }

  /** The elements as float64, in row-major order (a copy). */
  public double[] toDoubleArray() {
    return contiguousOf(DType.FLOAT64).storage.d.clone();
  }

  /** The elements as int64, in row-major order (a copy; floating values are truncated). */
  public long[] toLongArray() {
    return contiguousOf(DType.INT64).storage.l.clone();
  }

  /** The elements as booleans, in row-major order (a copy). */
  public boolean[] toBooleanArray() {
    return contiguousOf(DType.BOOL).storage.b.clone();
  }

  /** The raw bfloat16 bits of a bfloat16 tensor in row-major order (a copy). */
  public short[] toBFloat16Bits() {
    return contiguousOf(DType.BFLOAT16).storage.h.clone();
  }

  private Tensor contiguousOf(DType dtype) {
    Tensor dense = isSparse() ? toDense() : this;
    Tensor t = Tensor.empty(dtype, dense.shape);
    Strided.copy(dense, t);
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // Autograd

  /** Whether operations on this tensor are recorded for differentiation. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /**
   * Sets whether autograd records operations on this leaf tensor; returns this.
   *
   * @throws IllegalStateException on a non-leaf tensor when turning it off, or on a non-floating tensor
   */
  public Tensor requiresGrad_(boolean requiresGrad) {
    if (gradFn != null && !requiresGrad) {
      throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to use "
          + "a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
    }
    if (requiresGrad && !dtype().isFloatingPoint()) {
      throw new IllegalStateException("only Tensors of floating point dtype can require gradients");
    }
    this.requiresGrad = requiresGrad || gradFn != null;
    return this;
  }

  /** Shorthand for {@code requiresGrad_(true)}. */
  public Tensor requiresGrad_() {
    return requiresGrad_(true);
  }

  /** The accumulated gradient, or null before the first backward (or after it was cleared). */
  public Tensor grad() {
    return grad;
  }

  /**
   * Sets (or, with null, clears) the gradient, like assigning {@code .grad}.
   *
   * @throws IllegalArgumentException if the shape or dtype differs from this tensor's
   */
  public void setGrad(Tensor grad) {
    if (grad != null) {
      if (!Arrays.equals(grad.shape, shape)) {
        throw new IllegalArgumentException("assigned grad has data of a different size");
      }
      if (grad.dtype() != dtype()) {
        throw new IllegalArgumentException("assigned grad has data of a different type");
      }
    }
    this.grad = grad;
  }

  /** The node that produced this tensor, or null for a leaf. */
  public Node gradFn() {
    return gradFn;
  }

  /** Whether this is a leaf of the autograd graph (created by the user, not by a recorded operation). */
  public boolean isLeaf() {
    return gradFn == null;
  }

  /** Keeps the gradient of this non-leaf tensor in {@link #grad()} during backward. */
  public void retainGrad() {
    if (!requiresGrad) {
      throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
    }
    if (gradFn != null) {
      retainsGrad = true;
      gradFn.retainer = this;
    }
  }

  /** Whether {@link #retainGrad()} was called on this non-leaf tensor. */
  public boolean retainsGrad() {
    return retainsGrad;
  }

  /** Computes the gradient of this scalar with respect to the graph leaves, accumulating into their {@code grad}. */
  public void backward() {
    if (!requiresGrad) {
      throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
    }
    if (numelInt() != 1) {
      throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
    }
    Autograd.backward(this, Tensor.onesLike(this), false, true);
  }

  /** Backward with an explicit gradient of the same shape as this tensor. */
  public void backward(Tensor gradient) {
    backward(gradient, false);
  }

  /** Backward with an explicit gradient; {@code retainGraph} keeps saved tensors for another backward. */
  public void backward(Tensor gradient, boolean retainGraph) {
    if (!requiresGrad) {
      throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
    }
    if (gradient == null) {
      backward();
      return;
    }
    if (!Arrays.equals(gradient.shape, shape)) {
      throw new IllegalStateException("Mismatch in shape: grad_output[0] has a shape of " + Shape.str(gradient.shape)
          + " and output[0] has a shape of " + Shape.str(shape) + ".");
    }
    boolean converted = gradient.dtype() != dtype();
    Autograd.backward(this, converted ? gradient.to(dtype()) : gradient, retainGraph, converted);
  }

  /** A tensor that shares this one's data but is cut from the graph, like {@code detach()}. */
  public Tensor detach() {
    if (isSparse()) {
      return new Tensor(sparseIndices, sparseValues, shape, coalesced);
    }
    return new Tensor(storage, shape, strides, offset, null);
  }

  Node gradAccumulator() {
    if (accumulator == null) {
      accumulator = new Node(this);
    }
    return accumulator;
  }

  void setHistory(Node node) {
    gradFn = node;
    requiresGrad = true;
  }

  void setRetainedGrad(Tensor g) {
    grad = grad == null ? g.clone() : grad.add(g);
  }

  /** Adds {@code g}, which the caller keeps using, into {@link #grad()}. */
  void accumulateGrad(Tensor g) {
    accumulateGrad(g, false);
  }

  /**
   * Adds {@code g} into {@link #grad()}. When there is no gradient yet, an {@code owned} dense {@code g}
   * that is the whole of its storage, contiguous from offset 0, becomes the gradient itself (the engine
   * made it and nothing else refers to it); any other {@code g} is copied.
   */
  void accumulateGrad(Tensor g, boolean owned) {
    if (grad == null) {
      if (g.isSparse()) {
        grad = g;
      } else if (owned && g.offset == 0 && g.isContiguous() && g.storage.length() == g.numelInt()) {
        grad = g.base == null ? g : g.detach();
      } else {
        grad = g.contiguousCopy();
      }
    } else if (grad.isSparse()) {
      grad = g.isSparse() ? Sparse.add(grad, g) : g.add(grad);
    } else if (g.isSparse()) {
      Sparse.addInto(grad, g);
    } else {
      grad.add_(g);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Conversion and copies

  /** This tensor converted to {@code dtype} (itself when it already has it); differentiable. */
  public Tensor to(DType dtype) {
    if (dtype == dtype()) {
      return this;
    }
    if (isSparse()) {
      return new Tensor(sparseIndices, sparseValues.to(dtype), shape, coalesced);
    }
    return Autograd.record1(Op.TO_DTYPE, convert(dtype), null, this);
  }

  Tensor convert(DType dtype) {
    Tensor t = Tensor.empty(dtype, shape);
    Strided.copy(this, t);
    return t;
  }

  /** A contiguous copy that owns its memory; differentiable, like {@code clone()}. */
  @Override
  public Tensor clone() {
    if (isSparse()) {
      return new Tensor(sparseIndices.clone(), sparseValues.clone(), shape, coalesced);
    }
    return Autograd.record1(Op.CLONE, contiguousCopy(), null, this);
  }

  Tensor contiguousCopy() {
    Tensor t = Tensor.empty(dtype(), shape);
    Strided.copy(this, t);
    return t;
  }

  /** This tensor when contiguous, otherwise a contiguous copy; differentiable. */
  public Tensor contiguous() {
    checkDense("contiguous");
    return isContiguous() ? this : clone();
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise arithmetic (broadcasting)

  /** {@code this + other}. */
  public Tensor add(Tensor other) {
    if (isSparse() || other.isSparse()) {
      return Sparse.addDense(this, other);
    }
    return Autograd.record2(Op.ADD, Pointwise.binary(ADD, this, other), null, this, other);
  }

  /** {@code this + alpha * other}, one rounding in float32 (a fused multiply-add, as PyTorch). */
  public Tensor add(Tensor other, double alpha) {
    if (alpha == 1) {
      return add(other);
    }
    DType rt = Pointwise.resultType(this, other);
    Tensor out = Tensor.empty(rt, Shape.broadcast(shape, other.shape));
    Fused.into(Fused.ADD_SCALED, this, other, null, alpha, 0, out);
    return Autograd.record2(Op.ADD, out, alpha, this, other);
  }

  /** {@code this + value}. */
  public Tensor add(double value) {
    return Autograd.record1(Op.ADD, Pointwise.binaryScalar(ADD, this, value), null, this);
  }

  /** {@code this - other}. */
  public Tensor sub(Tensor other) {
    return Autograd.record2(Op.SUB, Pointwise.binary(SUB, this, other), null, this, other);
  }

  /** {@code this - alpha * other}. */
  public Tensor sub(Tensor other, double alpha) {
    return add(other, -alpha);
  }

  /** {@code this - value}. */
  public Tensor sub(double value) {
    return Autograd.record1(Op.SUB, Pointwise.binaryScalar(SUB, this, value), null, this);
  }

  /** {@code value - this}, PyTorch's {@code rsub}. */
  public Tensor rsub(double value) {
    return neg().add(value);
  }

  /** {@code this * other}. */
  public Tensor mul(Tensor other) {
    if (isSparse()) {
      return Sparse.mulDense(this, other);
    }
    return Autograd.record2(Op.MUL, Pointwise.binary(MUL, this, other), null, this, other, this, other);
  }

  /** {@code this * value}. */
  public Tensor mul(double value) {
    if (isSparse()) {
      return Sparse.mulScalar(this, value);
    }
    return Autograd.record1(Op.MUL, Pointwise.binaryScalar(MUL, this, value), value, this);
  }

  /** {@code this / other} (true division). */
  public Tensor div(Tensor other) {
    return Autograd.record2(Op.DIV, Pointwise.binary(DIV, this, other), null, this, other, this, other);
  }

  /** {@code this / value} (true division, not multiplication by the reciprocal). */
  public Tensor div(double value) {
    return Autograd.record1(Op.DIV, Pointwise.binaryScalar(DIV, this, value), value, this);
  }

  /** {@code -this}. */
  public Tensor neg() {
    return Autograd.record1(Op.NEG, Pointwise.unary(NEG, this), null, this);
  }

  /** {@code this ** exponent}. */
  public Tensor pow(double exponent) {
    return Autograd.record1(Op.POW, Pointwise.binaryScalar(POW, this, exponent), exponent, this, this);
  }

  /** {@code this ** exponent} element-wise. */
  public Tensor pow(Tensor exponent) {
    Tensor out = Pointwise.binary(POW, this, exponent);
    return Autograd.record2(Op.POW_TENSOR, out, null, this, exponent, this, exponent, out);
  }

  /** {@code base ** exponent} for a scalar base, like {@code torch.pow(base, tensor)}. */
  public static Tensor pow(double base, Tensor exponent) {
    Tensor out = Pointwise.binaryScalar(RPOW, exponent, base);
    return Autograd.record1(Op.RPOW, out, base, exponent, out);
  }

  /** Square root. */
  public Tensor sqrt() {
    Tensor out = Pointwise.unary(SQRT, this);
    return Autograd.record1(Op.SQRT, out, null, this, out);
  }

  /** Reciprocal square root. */
  public Tensor rsqrt() {
    Tensor out = Pointwise.unary(RSQRT, this);
    return Autograd.record1(Op.RSQRT, out, null, this, out);
  }

  /** Exponential. */
  public Tensor exp() {
    Tensor out = Pointwise.unary(EXP, this);
    return Autograd.record1(Op.EXP, out, null, this, out);
  }

  /** Natural logarithm. */
  public Tensor log() {
    return Autograd.record1(Op.LOG, Pointwise.unary(LOG, this), null, this, this);
  }

  /** Absolute value. */
  public Tensor abs() {
    return Autograd.record1(Op.ABS, Pointwise.unary(ABS, this), null, this, this);
  }

  /** Sign: -1, 0 or 1 (its gradient is zero). */
  public Tensor sign() {
    return Autograd.record1(Op.SIGN, Pointwise.unary(SIGN, this), null, this);
  }

  /** Square, {@code this * this}. */
  public Tensor square() {
    return pow(2);
  }

  /** Clamps into [min, max]; pass NaN for an absent bound (PyTorch's {@code None}). */
  public Tensor clamp(double min, double max) {
    if (Double.isNaN(min) && Double.isNaN(max)) {
      throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
    }
    double lo = Double.isNaN(min) ? Double.NEGATIVE_INFINITY : min;
    double hi = Double.isNaN(max) ? Double.POSITIVE_INFINITY : max;
    DType rt = Pointwise.resultTypeWithScalar(this);
    Tensor out = Tensor.empty(rt, shape);
    Fused.into(Fused.CLAMP, this, null, null, lo, hi, out);
    return Autograd.record1(Op.CLAMP, out, new double[] {lo, hi}, this, this);
  }

  /** Clamps from below. */
  public Tensor clampMin(double min) {
    return clamp(min, Double.NaN);
  }

  /** Clamps from above. */
  public Tensor clampMax(double max) {
    return clamp(Double.NaN, max);
  }

  /** Element-wise maximum (NaN-propagating). */
  public Tensor maximum(Tensor other) {
    return Autograd.record2(Op.MAXIMUM, Pointwise.binary(MAXIMUM, this, other), null, this, other, this, other);
  }

  /** Element-wise minimum (NaN-propagating). */
  public Tensor minimum(Tensor other) {
    return Autograd.record2(Op.MINIMUM, Pointwise.binary(MINIMUM, this, other), null, this, other, this, other);
  }

  /** {@code condition ? a : b} element-wise, with broadcasting. */
  public static Tensor where(Tensor condition, Tensor a, Tensor b) {
    if (condition.dtype() != DType.BOOL) {
      throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
          + condition.dtype().name().charAt(0) + condition.dtype().name().substring(1).toLowerCase());
    }
    DType rt = Pointwise.resultType(a, b);
    Pointwise.checkArithmetic(rt);
    int[] s = Shape.broadcast(condition.shape, Shape.broadcast(a.shape, b.shape));
    Tensor c = Pointwise.prepare(condition, DType.BOOL, s);
    Tensor ac = Pointwise.prepare(a, rt, s);
    Tensor bc = Pointwise.prepare(b, rt, s);
    Tensor out = Tensor.empty(rt, s);
    int n = out.numelInt();
    for (int i = 0; i < n; i++) {
      out.storage.set(i, c.storage.b[c.offset + i] ? ac.storage.get(ac.offset + i) : bc.storage.get(bc.offset + i));
    }
    return Autograd.record(Op.WHERE, out, null, new Tensor[] {a, b}, c);
  }

  /** {@code max(this, 0)}. */
  public Tensor relu() {
    Tensor out = Pointwise.unary(RELU, this);
    return Autograd.record1(Op.RELU, out, null, this, out);
  }

  /** Logistic sigmoid. */
  public Tensor sigmoid() {
    Tensor out = Pointwise.unary(SIGMOID, this);
    return Autograd.record1(Op.SIGMOID, out, null, this, out);
  }

  /** Hyperbolic tangent. */
  public Tensor tanh() {
    Tensor out = Pointwise.unary(TANH, this);
    return Autograd.record1(Op.TANH, out, null, this, out);
  }

  /** {@code this == other} as a bool tensor. */
  public Tensor eq(Tensor other) {
    return Pointwise.compare(EQ, this, other);
  }

  /** {@code this == value}. */
  public Tensor eq(double value) {
    return Pointwise.compare(EQ, this, scalarLike(value));
  }

  /** {@code this != other}. */
  public Tensor ne(Tensor other) {
    return Pointwise.compare(NE, this, other);
  }

  /** {@code this != value}. */
  public Tensor ne(double value) {
    return Pointwise.compare(NE, this, scalarLike(value));
  }

  /** {@code this > other}. */
  public Tensor gt(Tensor other) {
    return Pointwise.compare(GT, this, other);
  }

  /** {@code this > value}. */
  public Tensor gt(double value) {
    return Pointwise.compare(GT, this, scalarLike(value));
  }

  /** {@code this < other}. */
  public Tensor lt(Tensor other) {
    return Pointwise.compare(LT, this, other);
  }

  /** {@code this < value}. */
  public Tensor lt(double value) {
    return Pointwise.compare(LT, this, scalarLike(value));
  }

  /** {@code this >= other}. */
  public Tensor ge(Tensor other) {
    return Pointwise.compare(GE, this, other);
  }

  /** {@code this >= value}. */
  public Tensor ge(double value) {
    return Pointwise.compare(GE, this, scalarLike(value));
  }

  /** {@code this <= other}. */
  public Tensor le(Tensor other) {
    return Pointwise.compare(LE, this, other);
  }

  /** {@code this <= value}. */
  public Tensor le(double value) {
    return Pointwise.compare(LE, this, scalarLike(value));
  }

  /** Whether each element is finite (not infinite and not NaN). */
  public Tensor isfinite() {
    Tensor src = contiguousOf(DType.FLOAT64);
    Tensor out = Tensor.empty(DType.BOOL, shape);
    for (int i = 0; i < out.numelInt(); i++) {
      double v = src.storage.d[i];
      out.storage.b[i] = !Double.isNaN(v) && !Double.isInfinite(v);
    }
    return out;
  }

  /** Logical not of a bool tensor. */
  public Tensor logicalNot() {
    Tensor src = contiguousOf(DType.BOOL);
    for (int i = 0; i < src.numelInt(); i++) {
      src.storage.b[i] = !src.storage.b[i];
    }
    return src;
  }

  private Tensor scalarLike(double value) {
    return scalar(value, dtype().isFloatingPoint() ? dtype() : DType.FLOAT64);
  }

  // ---------------------------------------------------------------------------------------------
  // In-place operations

  /** {@code this += other}. */
  public Tensor add_(Tensor other) {
    if (isSparse()) {
      throw new UnsupportedOperationException("in-place add on a sparse tensor is not supported");
    }
    if (other.isSparse()) {
      checkInPlace(other);
      Sparse.addInto(this, other);
      storage.bumpVersion();
      return this;
    }
    if (recordsInPlace(other)) {
      return transplant(add(other));
    }
    return binaryInPlace(ADD, other);
  }

  /** {@code this += alpha * other}, a fused multiply-add in float32 as PyTorch. */
  public Tensor add_(Tensor other, double alpha) {
    if (other.isSparse()) {
      return add_(other.mul(alpha));
    }
    if (recordsInPlace(other)) {
      return transplant(add(other, alpha));
    }
    return fusedInPlace(Fused.ADD_SCALED, other, null, alpha, 0);
  }

  /** {@code this += value}. */
  public Tensor add_(double value) {
    if (recordsInPlace(null)) {
      return transplant(add(value));
    }
    return scalarInPlace(ADD, value);
  }

  /** {@code this -= other}. */
  public Tensor sub_(Tensor other) {
    if (recordsInPlace(other)) {
      return transplant(sub(other));
    }
    return binaryInPlace(SUB, other);
  }

  /** {@code this -= alpha * other}. */
  public Tensor sub_(Tensor other, double alpha) {
    return add_(other, -alpha);
  }

  /** {@code this -= value}. */
  public Tensor sub_(double value) {
    if (recordsInPlace(null)) {
      return transplant(sub(value));
    }
    return scalarInPlace(SUB, value);
  }

  /** {@code this *= other}. */
  public Tensor mul_(Tensor other) {
    if (recordsInPlace(other)) {
      return transplant(mul(other));
    }
    return binaryInPlace(MUL, other);
  }

  /** {@code this *= value}. */
  public Tensor mul_(double value) {
    if (recordsInPlace(null)) {
      return transplant(mul(value));
    }
    return scalarInPlace(MUL, value);
  }

  /** {@code this /= other}. */
  public Tensor div_(Tensor other) {
    if (recordsInPlace(other)) {
      return transplant(div(other));
    }
    return binaryInPlace(DIV, other);
  }

  /** {@code this /= value}. */
  public Tensor div_(double value) {
    if (recordsInPlace(null)) {
      return transplant(div(value));
    }
    return scalarInPlace(DIV, value);
  }

  /** {@code this = this ** exponent}. */
  public Tensor pow_(double exponent) {
    if (recordsInPlace(null)) {
      return transplant(pow(exponent));
    }
    return scalarInPlace(POW, exponent);
  }

  /** {@code this = -this}. */
  public Tensor neg_() {
    return unaryInPlace(NEG);
  }

  /** {@code this = sqrt(this)}. */
  public Tensor sqrt_() {
    return unaryInPlace(SQRT);
  }

  /** {@code this = exp(this)}. */
  public Tensor exp_() {
    return unaryInPlace(EXP);
  }

  /** {@code this = |this|}. */
  public Tensor abs_() {
    return unaryInPlace(ABS);
  }

  /** {@code this = sign(this)}. */
  public Tensor sign_() {
    return unaryInPlace(SIGN);
  }

  /** {@code this = max(this, 0)}, like {@code relu_()}. */
  public Tensor relu_() {
    return unaryInPlace(RELU);
  }

  /** {@code this += value * t1 * t2}: one fused multiply-add in float32, as PyTorch. */
  public Tensor addcmul_(Tensor t1, Tensor t2, double value) {
    if (recordsInPlace(t1, t2)) {
      return transplant(add(t1.mul(t2).mul(value)));
    }
    return fusedInPlace(Fused.ADDCMUL, t1, t2, value, 0);
  }

  /** {@code this += t1 * t2}. */
  public Tensor addcmul_(Tensor t1, Tensor t2) {
    return addcmul_(t1, t2, 1);
  }

  /** {@code this += value * t1 / t2} (no fused multiply-add, as PyTorch). */
  public Tensor addcdiv_(Tensor t1, Tensor t2, double value) {
    if (recordsInPlace(t1, t2)) {
      return transplant(add(t1.mul(value).div(t2)));
    }
    return fusedInPlace(Fused.ADDCDIV, t1, t2, value, 0);
  }

  /** {@code this += t1 / t2}. */
  public Tensor addcdiv_(Tensor t1, Tensor t2) {
    return addcdiv_(t1, t2, 1);
  }

  /** {@code this += weight * (end - this)}, with PyTorch's two-sided formula. */
  public Tensor lerp_(Tensor end, double weight) {
    if (recordsInPlace(end)) {
      return transplant(add(end.sub(this).mul(weight)));
    }
    return fusedInPlace(Fused.LERP, end, null, weight, 0);
  }

  /** {@code this += weight * (end - this)} with a tensor weight. */
  public Tensor lerp_(Tensor end, Tensor weight) {
    if (recordsInPlace(end, weight)) {
      return transplant(add(end.sub(this).mul(weight)));
    }
    return fusedInPlace(Fused.LERP_TENSOR, end, weight, 0, 0);
  }

  /** Clamps in place into [min, max]; NaN for an absent bound. */
  public Tensor clamp_(double min, double max) {
    if (recordsInPlace(null)) {
      return transplant(clamp(min, max));
    }
    if (Double.isNaN(min) && Double.isNaN(max)) {
      throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
    }
    double lo = Double.isNaN(min) ? Double.NEGATIVE_INFINITY : min;
    double hi = Double.isNaN(max) ? Double.POSITIVE_INFINITY : max;
    return fusedInPlace(Fused.CLAMP, null, null, lo, hi);
  }

  /** In-place element-wise maximum. */
  public Tensor maximum_(Tensor other) {
    if (recordsInPlace(other)) {
      return transplant(maximum(other));
    }
    return binaryInPlace(MAXIMUM, other);
  }

  /** Sets every element to zero. */
  public Tensor zero_() {
    return fill_(0);
  }

  /** Sets every element to {@code value}. */
  public Tensor fill_(double value) {
    checkInPlace(null);
    if (recordsInPlace(null)) {
      return transplant(Tensor.fullLike(this, value));
    }
    fillRaw(value);
    storage.bumpVersion();
    return this;
  }

  private void fillRaw(double value) {
    if (isContiguous()) {
      int n = numelInt();
      switch (storage.dtype) {
        case FLOAT32:
          Arrays.fill(storage.f, offset, offset + n, (float) value);
          return;
        case FLOAT64:
          Arrays.fill(storage.d, offset, offset + n, value);
          return;
        default:
          for (int i = 0; i < n; i++) {
            storage.set(offset + i, value);
          }
          return;
      }
    }
    Tensor v = Tensor.scalar(value, dtype()).expandView(shape);
    Strided.copy(v, this);
  }

  /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this tensor. */
  public Tensor copy_(Tensor src) {
    checkInPlace(src);
    Tensor s = src.isSparse() ? src.toDense() : src;
    int[] b = Shape.broadcast(shape, s.shape);
    if (!Arrays.equals(b, shape)) {
      throw new IllegalStateException("output with shape " + Shape.str(shape) + " doesn't match the broadcast shape "
          + Shape.str(b));
    }
    if (recordsInPlace(s)) {
      return transplant(s.to(dtype()).expand(shape));
    }
    Strided.copy(s.expandView(shape), this);
    storage.bumpVersion();
    return this;
  }

  private boolean recordsInPlace(Tensor other) {
    return recordsInPlace(other, null);
  }

  private boolean recordsInPlace(Tensor a, Tensor b) {
    checkInPlace(a);
    if (!GradMode.isEnabled()) {
      return false;
    }
    boolean records = requiresGrad || (a != null && a.requiresGrad) || (b != null && b.requiresGrad);
    if (records && base != null) {
      throw new UnsupportedOperationException("in-place operations on a view of a tensor are not differentiable in "
          + "optim4j; use an out-of-place operation or run under GradMode.noGrad()");
    }
    return records;
  }

  private void checkInPlace(Tensor other) {
    checkDense("in-place operation");
    if (GradMode.isEnabled() && requiresGrad && gradFn == null) {
      if (base != null) {
        throw new IllegalStateException(
            "a view of a leaf Variable that requires grad is being used in an in-place operation.");
      }
      throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
    }
    if (GradMode.isEnabled() && base != null && base.requiresGrad && base.gradFn == null) {
      throw new IllegalStateException(
          "a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }
  }

  /** Makes this tensor hold {@code result} and take its place in the graph (in-place under autograd). */
  private Tensor transplant(Tensor result) {
    if (!Arrays.equals(result.shape, shape)) {
      throw new IllegalStateException("output with shape " + Shape.str(shape) + " doesn't match the broadcast shape "
          + Shape.str(result.shape));
    }
    Strided.copy(result, this);
    storage.bumpVersion();
    if (result.gradFn != null) {
      gradFn = result.gradFn;
      requiresGrad = true;
      if (retainsGrad) {
        gradFn.retainer = this;
      }
    }
    return this;
  }

  private Tensor binaryInPlace(int op, Tensor other) {
    DType rt = Pointwise.resultType(this, other);
    int[] b = Shape.broadcast(shape, other.shape);
    if (!Arrays.equals(b, shape)) {
      throw new IllegalStateException("output with shape " + Shape.str(shape) + " doesn't match the broadcast shape "
          + Shape.str(b));
    }
    if (rt == dtype() && isContiguous()) {
      Pointwise.into(op, this, other, this);
    } else {
      Tensor tmp = Tensor.empty(rt == DType.INT64 && op == DIV ? DType.FLOAT32 : rt, shape);
      Pointwise.into(op, this, other, tmp);
      Strided.copy(tmp, this);
    }
    storage.bumpVersion();
    return this;
  }

  private Tensor scalarInPlace(int op, double value) {
    DType rt = Pointwise.resultTypeWithScalar(this);
    Pointwise.checkArithmetic(rt);
    if (rt == dtype() && isContiguous()) {
      Pointwise.scalarInto(op, this, value, this);
    } else {
      Tensor tmp = Tensor.empty(rt, shape);
      Pointwise.scalarInto(op, Pointwise.prepare(this, rt, shape), value, tmp);
      Strided.copy(tmp, this);
    }
    storage.bumpVersion();
    return this;
  }

  private Tensor unaryInPlace(int op) {
    if (recordsInPlace(null)) {
      return transplant(unaryRecorded(op, this));
    }
    Pointwise.checkArithmetic(dtype());
    if (isContiguous()) {
      Pointwise.unaryInto(op, this, this);
    } else {
      Tensor tmp = Pointwise.unary(op, this);
      Strided.copy(tmp, this);
    }
    storage.bumpVersion();
    return this;
  }

  /** Re-computes {@code op(input)} with its proper graph node (used by in-place unary ops under autograd). */
  private Tensor unaryRecorded(int op, Tensor input) {
    switch (op) {
      case NEG:
        return input.neg();
      case SQRT:
        return input.sqrt();
      case EXP:
        return input.exp();
      case ABS:
        return input.abs();
      case SIGN:
        return input.sign();
      case RELU:
        return input.relu();
      default:
        throw new IllegalArgumentException("unary op " + op);
    }
  }

  private Tensor fusedInPlace(int kind, Tensor b, Tensor c, double value, double value2) {
    DType rt = dtype();
    if (b != null) {
      rt = Pointwise.resultType(this, b);
      int[] s = Shape.broadcast(shape, b.shape);
      if (c != null) {
        rt = DType.promote(rt, c.dtype());
        s = Shape.broadcast(s, c.shape);
      }
      if (!Arrays.equals(s, shape)) {
        throw new IllegalStateException("output with shape " + Shape.str(shape) + " doesn't match the broadcast shape "
            + Shape.str(s));
      }
    }
    if (rt == dtype() && isContiguous()) {
      Fused.into(kind, this, b, c, value, value2, this);
    } else {
      Tensor tmp = Tensor.empty(rt, shape);
      Fused.into(kind, this, b, c, value, value2, tmp);
      Strided.copy(tmp, this);
    }
    storage.bumpVersion();
    return this;
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions

  /** Sum of all elements (0-dim). */
  public Tensor sum() {
    return Reductions.sum(this, allDims(), false);
  }

  /** Sum over {@code dim}. */
  public Tensor sum(int dim, boolean keepdim) {
    return Reductions.sum(this, new int[] {dim}, keepdim);
  }

  /** Sum over {@code dims}. */
  public Tensor sum(int[] dims, boolean keepdim) {
    return Reductions.sum(this, dims, keepdim);
  }

  /** Mean of all elements. */
  public Tensor mean() {
    return Reductions.mean(this, allDims(), false);
  }

  /** Mean over {@code dim}. */
  public Tensor mean(int dim, boolean keepdim) {
    return Reductions.mean(this, new int[] {dim}, keepdim);
  }

  /** Mean over {@code dims}. */
  public Tensor mean(int[] dims, boolean keepdim) {
    return Reductions.mean(this, dims, keepdim);
  }

  /** Maximum of all elements (gradient shared evenly among ties, as PyTorch). */
  public Tensor max() {
    return Reductions.extremum(this, true);
  }

  /** Maximum over {@code dim} with the index of the first maximum. */
  public ValuesAndIndices max(int dim, boolean keepdim) {
    return Reductions.extremum(this, dim, keepdim, true);
  }

  /** Minimum of all elements. */
  public Tensor min() {
    return Reductions.extremum(this, false);
  }

  /** Minimum over {@code dim} with the index of the first minimum. */
  public ValuesAndIndices min(int dim, boolean keepdim) {
    return Reductions.extremum(this, dim, keepdim, false);
  }

  /** Index of the maximum in the flattened tensor (int64, 0-dim). */
  public Tensor argmax() {
    return reshape(-1).max(0, false).indices();
  }

  /** Indices of the maxima over {@code dim}. */
  public Tensor argmax(int dim, boolean keepdim) {
    return max(dim, keepdim).indices();
  }

  /** The 2-norm of all elements. */
  public Tensor norm() {
    return norm(2);
  }

  /** The p-norm of all elements ({@code p} may be infinite). */
  public Tensor norm(double p) {
    return Reductions.norm(this, p, allDims(), false);
  }

  /** The p-norm over {@code dim}. */
  public Tensor norm(double p, int dim, boolean keepdim) {
    return Reductions.norm(this, p, new int[] {dim}, keepdim);
  }

  /** Unbiased variance of all elements. */
  public Tensor var() {
    return Reductions.var(this, allDims(), 1, false);
  }

  /** Unbiased variance over {@code dim}. */
  public Tensor var(int dim, boolean keepdim) {
    return Reductions.var(this, new int[] {dim}, 1, keepdim);
  }

  /** Variance over {@code dims} with the given correction (1 = unbiased, 0 = biased). */
  public Tensor var(int[] dims, double correction, boolean keepdim) {
    return Reductions.var(this, dims, correction, keepdim);
  }

  /** Unbiased standard deviation of all elements. */
  public Tensor std() {
    return var().sqrt();
  }

  /** Unbiased standard deviation over {@code dim}. */
  public Tensor std(int dim, boolean keepdim) {
    return var(dim, keepdim).sqrt();
  }

  /** Standard deviation over {@code dims} with the given correction. */
  public Tensor std(int[] dims, double correction, boolean keepdim) {
    return var(dims, correction, keepdim).sqrt();
  }

  /** Softmax over {@code dim}, computed stably. */
  public Tensor softmax(int dim) {
    return Reductions.softmax(this, dim, false);
  }

  /** Log-softmax over {@code dim}, computed stably. */
  public Tensor logSoftmax(int dim) {
    return Reductions.softmax(this, dim, true);
  }

  /** Reduces a gradient to {@code target} by summing over broadcast dimensions (undoes broadcasting). */
  public Tensor sumTo(int... target) {
    if (Arrays.equals(shape, target)) {
      return this;
    }
    int lead = shape.length - target.length;
    List<Integer> dims = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) {
        dims.add(i);
      }
    }
    int[] d = dims.stream().mapToInt(Integer::intValue).toArray();
    Tensor s = d.length == 0 ? this : sum(d, true);
    return s.reshape(target);
  }

  private int[] allDims() {
    int[] d = new int[shape.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = i;
    }
    return d;
  }

  // ---------------------------------------------------------------------------------------------
  // Views and shape operations

  /** A view with a new shape (one entry may be -1); fails when the strides do not allow it. */
  public Tensor view(int... newShape) {
    checkDense("view");
    int[] s = Shape.infer(newShape, numelInt());
    int[] st = Shape.viewStrides(shape, strides, s);
    if (st == null) {
      throw new IllegalStateException("view size is not compatible with input tensor's size and stride (at least one "
          + "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
    }
    return Autograd.record1(Op.VIEW, viewOf(s, st, offset), null, this);
  }

  /** A view with a new shape when possible, otherwise a copy. */
  public Tensor reshape(int... newShape) {
    checkDense("reshape");
    int[] s = Shape.infer(newShape, numelInt());
    int[] st = Shape.viewStrides(shape, strides, s);
    if (st != null) {
      return Autograd.record1(Op.VIEW, viewOf(s, st, offset), null, this);
    }
    return contiguous().view(s);
  }

  /** Flattens into one dimension. */
  public Tensor flatten() {
    return reshape(-1);
  }

  /** Flattens dimensions {@code startDim..endDim} into one. */
  public Tensor flatten(int startDim, int endDim) {
    if (shape.length == 0) {
      return reshape(1);
    }
    int s = Shape.wrapDim(startDim, shape.length);
    int e = Shape.wrapDim(endDim, shape.length);
    if (s > e) {
      throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
    }
    int[] ns = new int[shape.length - (e - s)];
    int k = 0;
    for (int i = 0; i < s; i++) {
      ns[k++] = shape[i];
    }
    int m = 1;
    for (int i = s; i <= e; i++) {
      m *= shape[i];
    }
    ns[k++] = m;
    for (int i = e + 1; i < shape.length; i++) {
      ns[k++] = shape[i];
    }
    return reshape(ns);
  }

  /** Swaps two dimensions (a view). */
  public Tensor transpose(int dim0, int dim1) {
    int[] perm = allDims();
    int a = Shape.wrapDim(dim0, shape.length);
    int b = Shape.wrapDim(dim1, shape.length);
    perm[a] = b;
    perm[b] = a;
    return permute(perm);
  }

  /** Transpose of a tensor with at most 2 dimensions. */
  public Tensor t() {
    if (shape.length > 2) {
      throw new IllegalStateException("t() expects a tensor with <= 2 dimensions, but self is " + shape.length + "D");
    }
    return shape.length < 2 ? this : transpose(0, 1);
  }

  /** Reorders the dimensions (a view). */
  public Tensor permute(int... dims) {
    checkDense("permute");
    if (dims.length != shape.length) {
      throw new IllegalStateException("permute(sparse_coo): number of dimensions in the tensor input does not match "
          + "the length of the desired ordering of dimensions i.e. input.dim() = " + shape.length
          + " is not equal to len(dims) = " + dims.length);
    }
    int[] ns = new int[dims.length];
    int[] nst = new int[dims.length];
    boolean[] seen = new boolean[dims.length];
    int[] perm = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      int d = Shape.wrapDim(dims[i], shape.length);
      if (seen[d]) {
        throw new IllegalStateException("permute(): duplicate dims are not allowed.");
      }
      seen[d] = true;
      perm[i] = d;
      ns[i] = shape[d];
      nst[i] = strides[d];
    }
    return Autograd.record1(Op.PERMUTE, viewOf(ns, nst, offset), perm, this);
  }

  /** Broadcasts to a larger shape without copying (-1 keeps a dimension). */
  public Tensor expand(int... newShape) {
    checkDense("expand");
    Tensor v = expandView(newShape);
    return v == this ? this : Autograd.record1(Op.EXPAND, v, null, this);
  }

  Tensor expandView(int[] newShape) {
    if (newShape.length < shape.length) {
      throw new IllegalStateException("expand(" + dtype().tensorTypeName() + "{" + Shape.str(shape) + "}, size="
          + Shape.str(newShape) + "): the number of sizes provided (" + newShape.length + ") must be greater or equal "
          + "to the number of dimensions in the tensor (" + shape.length + ")");
    }
    int lead = newShape.length - shape.length;
    int[] ns = new int[newShape.length];
    int[] nst = new int[newShape.length];
    for (int i = 0; i < newShape.length; i++) {
      int j = i - lead;
      int target = newShape[i];
      if (j < 0) {
        if (target < 0) {
          throw new IllegalStateException("The expanded size of the tensor (-1) isn't allowed in a leading, "
              + "non-existing dimension " + i);
        }
        ns[i] = target;
        nst[i] = 0;
      } else if (target == -1 || target == shape[j]) {
        ns[i] = shape[j];
        nst[i] = strides[j];
      } else if (shape[j] == 1) {
        ns[i] = target;
        nst[i] = 0;
      } else {
        throw new IllegalStateException("The expanded size of the tensor (" + target + ") must match the existing size ("
            + shape[j] + ") at non-singleton dimension " + i + ".  Target sizes: " + Shape.str(newShape)
            + ".  Tensor sizes: " + Shape.str(shape));
      }
    }
    if (Arrays.equals(ns, shape)) {
      return this;
    }
    return viewOf(ns, nst, offset);
  }

  /** Inserts a dimension of size one at {@code dim}. */
  public Tensor unsqueeze(int dim) {
    int d = Shape.wrapDim(dim, shape.length + 1);
    int[] ns = new int[shape.length + 1];
    for (int i = 0, k = 0; i < ns.length; i++) {
      ns[i] = i == d ? 1 : shape[k++];
    }
    return reshape(ns);
  }

  /** Removes every dimension of size one. */
  public Tensor squeeze() {
    return reshape(Arrays.stream(shape).filter(s -> s != 1).toArray());
  }

  /** Removes dimension {@code dim} if its size is one. */
  public Tensor squeeze(int dim) {
    if (shape.length == 0) {
      return this;
    }
    int d = Shape.wrapDim(dim, shape.length);
    if (shape[d] != 1) {
      return this;
    }
    int[] ns = new int[shape.length - 1];
    for (int i = 0, k = 0; i < shape.length; i++) {
      if (i != d) {
        ns[k++] = shape[i];
      }
    }
    return reshape(ns);
  }

  /** The slice {@code [start, start+length)} of dimension {@code dim} (a view). */
  public Tensor narrow(int dim, long start, long length) {
    checkDense("narrow");
    if (shape.length == 0) {
      throw new IllegalStateException("narrow() cannot be applied to a 0-dim tensor.");
    }
    int d = Shape.wrapDim(dim, shape.length);
    long st = start < 0 ? start + shape[d] : start;
    if (st < 0 || st > shape[d]) {
      throw new IndexOutOfBoundsException("start out of range (expected to be in range of [" + (-shape[d]) + ", "
          + shape[d] + "], but got " + start + ")");
    }
    if (length < 0 || st + length > shape[d]) {
      throw new IndexOutOfBoundsException("start (" + st + ") + length (" + length + ") exceeds dimension size ("
          + shape[d] + ").");
    }
    int[] ns = shape.clone();
    ns[d] = (int) length;
    Tensor v = viewOf(ns, strides.clone(), offset + (int) st * strides[d]);
    return Autograd.record1(Op.NARROW, v, new int[] {d, (int) st}, this);
  }

  /** Removes dimension {@code dim} by taking index {@code index} of it (a view). */
  public Tensor select(int dim, long index) {
    checkDense("select");
    if (shape.length == 0) {
      throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
    }
    int d = Shape.wrapDim(dim, shape.length);
    long i = index < 0 ? index + shape[d] : index;
    if (i < 0 || i >= shape[d]) {
      throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
          + Shape.str(shape) + " at dimension " + d);
    }
    int[] ns = new int[shape.length - 1];
    int[] nst = new int[shape.length - 1];
    for (int k = 0, j = 0; k < shape.length; k++) {
      if (k != d) {
        ns[j] = shape[k];
        nst[j++] = strides[k];
      }
    }
    Tensor v = viewOf(ns, nst, offset + (int) i * strides[d]);
    return Autograd.record1(Op.SELECT, v, new int[] {d, (int) i}, this);
  }

  /** Splits into chunks of {@code splitSize} along {@code dim} (the last may be smaller). */
  public List<Tensor> split(int splitSize, int dim) {
    if (splitSize <= 0) {
      throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + splitSize);
    }
    int d = Shape.wrapDim(dim, shape.length);
    List<Tensor> out = new ArrayList<>();
    for (int s = 0; s < shape[d] || (s == 0 && shape[d] == 0); s += splitSize) {
      out.add(narrow(d, s, Math.min(splitSize, shape[d] - s)));
      if (shape[d] == 0) {
        break;
      }
    }
    return out;
  }

  /** Splits into pieces of the given sizes along {@code dim}. */
  public List<Tensor> split(int[] sizes, int dim) {
    int d = Shape.wrapDim(dim, shape.length);
    int total = Arrays.stream(sizes).sum();
    if (total != shape[d]) {
      throw new IllegalStateException("split_with_sizes expects split_sizes to sum exactly to " + shape[d]
          + " (input tensor's size at dimension " + d + "), but got split_sizes=" + Arrays.toString(sizes));
    }
    List<Tensor> out = new ArrayList<>();
    int s = 0;
    for (int size : sizes) {
      out.add(narrow(d, s, size));
      s += size;
    }
    return out;
  }

  /** Splits into {@code chunks} nearly equal pieces along {@code dim}, as PyTorch's {@code chunk}. */
  public List<Tensor> chunk(int chunks, int dim) {
    if (chunks <= 0) {
      throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
    }
    int d = Shape.wrapDim(dim, shape.length);
    int size = (shape[d] + chunks - 1) / chunks;
    return split(Math.max(size, 1), d);
  }

  /** Concatenates tensors along {@code dim}. */
  public static Tensor cat(List<Tensor> tensors, int dim) {
    return ShapeOps.cat(tensors, dim);
  }

  /** Stacks tensors of equal shape along a new dimension {@code dim}. */
  public static Tensor stack(List<Tensor> tensors, int dim) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("stack expects a non-empty TensorList");
    }
    int d = Shape.wrapDim(dim, tensors.get(0).dim() + 1);
    List<Tensor> expanded = new ArrayList<>();
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      if (!Arrays.equals(t.shape, tensors.get(0).shape)) {
        throw new IllegalStateException("stack expects each tensor to be equal size, but got "
            + Shape.str(tensors.get(0).shape) + " at entry 0 and " + Shape.str(t.shape) + " at entry " + i);
      }
      expanded.add(t.unsqueeze(d));
    }
    return cat(expanded, d);
  }

  /** The entries of {@code index} (int64, 1-D) along {@code dim}, like {@code index_select}. */
  public Tensor indexSelect(int dim, Tensor index) {
    return ShapeOps.indexSelect(this, dim, index);
  }

  Tensor viewOf(int[] newShape, int[] newStrides, int newOffset) {
    return new Tensor(storage, newShape, newStrides, newOffset, base != null ? base : this);
  }

  // ---------------------------------------------------------------------------------------------
  // Linear algebra

  /** Matrix product with PyTorch's rules for 1-D, 2-D and batched (broadcast) operands. */
  public Tensor matmul(Tensor other) {
    return LinearAlgebra.matmul(this, other);
  }

  /** Product of two 2-D matrices. */
  public Tensor mm(Tensor other) {
    return LinearAlgebra.mm(this, other);
  }

  /** Batched product of two 3-D tensors. */
  public Tensor bmm(Tensor other) {
    return LinearAlgebra.bmm(this, other);
  }

  // ---------------------------------------------------------------------------------------------
  // Sparse COO

  /** The int64 indices [sparseDims, nnz] of a sparse tensor. */
  public Tensor indices() {
    checkSparse("indices");
    return sparseIndices;
  }

  /** The values [nnz, denseDims...] of a sparse tensor. */
  public Tensor values() {
    checkSparse("values");
    return sparseValues;
  }

  /** Whether a sparse tensor's indices are unique and sorted. */
  public boolean isCoalesced() {
    checkSparse("is_coalesced");
    return coalesced;
  }

  /** The coalesced form: unique sorted indices, duplicate entries summed. */
  public Tensor coalesce() {
    checkSparse("coalesce");
    return coalesced ? this : Sparse.coalesce(this);
  }

  /** The dense form of a sparse tensor (itself when already dense). */
  public Tensor toDense() {
    return isSparse() ? Sparse.toDense(this) : this;
  }

  private void checkSparse(String what) {
    if (!isSparse()) {
      throw new IllegalStateException(what + " expected sparse coordinate tensor layout but got Strided");
    }
  }

  private void checkDense(String what) {
    if (isSparse()) {
      throw new UnsupportedOperationException(what + " is not supported on sparse tensors; call toDense() first");
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Formats like PyTorch's {@code print(tensor)}. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}
