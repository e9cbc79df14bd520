package org.optim4j.optim.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.internal.Parallel;
import org.optim4j.tensor.internal.RawAccess;

/**
 * The (parameter, gradient, state) segments of one parameter group, gathered for one step, and the
 * multi-tensor apply over them: one kernel call over the concatenation of all segments, split statically
 * into contiguous ranges across {@link Parallel}'s threads (a thread's range may span several segments).
 *
 * <p>An optimizer refills the same instance at every step ({@link #clear}, then {@link #add} for each
 * parameter with a gradient, in the group's order) so that a step allocates nothing once the capacity has
 * grown to the group's size; nothing is cached from one step to the next, so a state tensor replaced through
 * {@code state(p)} or {@code loadStateDict} takes effect at the next step. Each segment holds up to three
 * dense state tensors (columns {@link #A}, {@link #B}, {@link #C}) and up to three 0-dim state tensors
 * ({@link #STEP}, {@link #X}, {@link #Y}), and a row of per-segment scalars the rule computes once per step.
 *
 * <p>{@link #fast()} tells whether every segment can be updated through the arrays its tensors own: float32
 * or float64, gradient and dense state of the parameter's dtype (or all the dense state in bfloat16, for a
 * float32 parameter of a rule that has bfloat16-state kernels) and shape, no sparse gradient, no views, no
 * leaf that requires grad under grad mode, and no two parameters on one array. When it is false the
 * optimizer runs the per-tensor path instead, which reports errors as PyTorch does.
 */
public final class Segments implements Parallel.RangeBody {
  /** Column of the parameters. */
  public static final int PARAM = 0;
  /** Column of the gradients. */
  public static final int GRAD = 1;
  /** Columns of the dense state tensors. */
  public static final int A = 2;
  /** Second dense state column. */
  public static final int B = 3;
  /** Third dense state column. */
  public static final int C = 4;
  /** Column of the 0-dim {@code step} tensors. */
  public static final int STEP = 5;
  /** Columns of other 0-dim state tensors (ASGD's {@code eta} and {@code mu}, NAdam's {@code mu_product}). */
  public static final int X = 6;
  /** Second column of other 0-dim state tensors. */
  public static final int Y = 7;

  private static final int COLUMNS = 8;
  private static final int DENSE = C + 1;

  /** One rule's kernel over the elements {@code [from, to)} of segment {@code i}. */
  @FunctionalInterface
  public interface Kernel {
    /** Updates the elements {@code [from, to)} of segment {@code i} of {@code segments}. */
    void run(Segments segments, int i, int from, int to);
  }

  private final int scalarCount;
  private final boolean bf16State;
  private int size;
  private Tensor[][] tensors = new Tensor[COLUMNS][0];
  private Object[][] arrays = new Object[DENSE][0];
  private double[][] scalars = new double[0][];
  private long[] ends = new long[0];
  private boolean fast;
  private Kernel kernel;
  private int parts;

  /**
   * Segments with room for {@code scalarCount} per-segment scalars.
   *
   * @param bf16State whether the rule has kernels for float32 parameters with bfloat16 dense state (its kernel
   *     then gets {@code short[]} state arrays for such segments)
   */
  public Segments(int scalarCount, boolean bf16State) {
    this.scalarCount = scalarCount;
    this.bf16State = bf16State;
  }

  /**
   * Starts a new group: no segments; {@link #fast()} starts as {@code distinctArrays} (no two of the group's
   * parameters on one array) and stays true until a segment rules it out.
   */
  public void clear(boolean distinctArrays) {
    for (Tensor[] column : tensors) {
      Arrays.fill(column, 0, size, null);
    }
    for (Object[] column : arrays) {
      Arrays.fill(column, 0, size, null);
    }
    size = 0;
    fast = distinctArrays;
  }

  /**
   * Appends a segment. The dense state tensors {@code a}, {@code b}, {@code c} and the {@code step} tensor may
   * be null when the rule has fewer.
   */
  public void add(Tensor param, Tensor grad, Tensor a, Tensor b, Tensor c, Tensor step) {
    if (size == ends.length) {
      grow(Math.max(8, 2 * size));
    }
    int i = size++;
    tensors[PARAM][i] = param;
    tensors[GRAD][i] = grad;
    tensors[A][i] = a;
    tensors[B][i] = b;
    tensors[C][i] = c;
    tensors[STEP][i] = step;
    tensors[X][i] = null;
    tensors[Y][i] = null;
    long start = i == 0 ? 0 : ends[i - 1];
    ends[i] = start + param.numel();
    if (!fast) {
      return;
    }
    DType dt = param.dtype();
    boolean ok = (dt == DType.FLOAT32 || dt == DType.FLOAT64) && !param.isSparse()
        && !(GradMode.isEnabled() && param.requiresGrad()) && (step == null || ScalarTensors.raw(step));
    DType stateDtype = stateDtype(i, dt);
    for (int col = PARAM; ok && col < DENSE; col++) {
      Tensor t = tensors[col][i];
      if (t != null) {
        Object array = RawAccess.wholeArray(t);
        ok = array != null && t.dtype() == (col < A ? dt : stateDtype) && sameShape(t, param);
        arrays[col][i] = array;
      }
    }
    fast = ok;
  }

  /**
   * Puts {@code t}, a new dense tensor of the parameter's dtype and shape that owns its array, in
   * {@code column} of segment {@code i} (a state tensor the step creates).
   */
  public void set(int column, int i, Tensor t) {
    tensors[column][i] = t;
    arrays[column][i] = RawAccess.wholeArray(t);
  }

  /** The dtype the dense state of segment {@code i} must have: bfloat16 if its first state tensor has it and may. */
  private DType stateDtype(int i, DType paramDtype) {
    for (int col = A; col < DENSE; col++) {
      if (tensors[col][i] != null) {
        return bf16State && paramDtype == DType.FLOAT32 && tensors[col][i].dtype() == DType.BFLOAT16 ? DType.BFLOAT16
            : paramDtype;
      }
    }
    return paramDtype;
  }

  /** Sets the other 0-dim state tensors of the last segment added. */
  public void setScalarState(Tensor x, Tensor y) {
    tensors[X][size - 1] = x;
    tensors[Y][size - 1] = y;
    if (fast) {
      fast = (x == null || ScalarTensors.raw(x)) && (y == null || ScalarTensors.raw(y));
    }
  }

  /** Whether the multi-tensor path can update every segment (see the class comment). */
  public boolean fast() {
    return fast;
  }

  /** The number of segments. */
  public int size() {
    return size;
  }

  /** The tensor in {@code column} of segment {@code i} (null when the rule has none there). */
  public Tensor tensor(int column, int i) {
    return tensors[column][i];
  }

  /**
   * The array of the dense tensor in {@code column} of segment {@code i}: {@code float[]}, {@code double[]}, or the
   * {@code short[]} bits of bfloat16 state.
   */
  public Object array(int column, int i) {
    return arrays[column][i];
  }

  /** Whether segment {@code i} is float64 (otherwise float32). */
  public boolean isDouble(int i) {
    return arrays[PARAM][i] instanceof double[];
  }

  /** The scalars of segment {@code i}, computed by the rule before {@link #apply}. */
  public double[] scalars(int i) {
    return scalars[i];
  }

  /** A column as a new list, for the per-tensor path. */
  public List<Tensor> list(int column) {
    return new ArrayList<>(Arrays.asList(tensors[column]).subList(0, size));
  }

  /**
   * Runs {@code k} over every element of every segment, split statically across the threads; then bumps the
   * version counter of each parameter and dense state tensor, as an in-place update does.
   */
  public void apply(Kernel k) {
    long total = size == 0 ? 0 : ends[size - 1];
    if (total > 0) {
      kernel = k;
      parts = Parallel.parts((int) Math.min(total, Integer.MAX_VALUE), TensorArrays.GRAIN);
      try {
        Parallel.forRange(parts, 1, this);
      } finally {
        kernel = null;
      }
    }
    for (int i = 0; i < size; i++) {
      RawAccess.bumpVersion(tensors[PARAM][i]);
      for (int col = A; col < DENSE; col++) {
        if (tensors[col][i] != null) {
          RawAccess.bumpVersion(tensors[col][i]);
        }
      }
    }
  }

  /** Runs the parts {@code [fromPart, toPart)} of the static split (called by {@link Parallel}). */
  @Override
  public void run(int fromPart, int toPart) {
    long total = ends[size - 1];
    for (int part = fromPart; part < toPart; part++) {
      long lo = total * part / parts;
      long hi = total * (part + 1) / parts;
      int i = firstEndingAfter(lo);
      while (lo < hi) {
        long start = i == 0 ? 0 : ends[i - 1];
        long end = Math.min(hi, ends[i]);
        if (end > lo) {
          kernel.run(this, i, (int) (lo - start), (int) (end - start));
          lo = end;
        }
        i++;
      }
    }
  }

  /** The first segment whose end is after {@code position}. */
  private int firstEndingAfter(long position) {
    int lo = 0;
    int hi = size - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ends[mid] > position) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private void grow(int capacity) {
    for (int col = 0; col < COLUMNS; col++) {
      tensors[col] = Arrays.copyOf(tensors[col], capacity);
    }
    for (int col = 0; col < DENSE; col++) {
      arrays[col] = Arrays.copyOf(arrays[col], capacity);
    }
    int old = scalars.length;
    scalars = Arrays.copyOf(scalars, capacity);
    for (int i = old; i < capacity; i++) {
      scalars[i] = new double[scalarCount];
    }
    ends = Arrays.copyOf(ends, capacity);
  }

  private static boolean sameShape(Tensor t, Tensor param) {
    if (t.dim() != param.dim()) {
      return false;
    }
    for (int d = 0; d < t.dim(); d++) {
      if (t.size(d) != param.size(d)) {
        return false;
      }
    }
    return true;
  }
}
