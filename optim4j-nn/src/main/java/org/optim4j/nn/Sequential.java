package org.optim4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.Tensor;

/**
 * A chain of modules applied one after the other, PyTorch's {@code torch.nn.Sequential}.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *     new Flatten(), new Linear(784, 512), new ReLU(), new Dropout(0.2), new Linear(512, 10));
 * Tensor logits = model.apply(x);
 * Sequential body = model.layers(0, 3);   // model.layers[:3]: the same layer objects
 * }</pre>
 *
 * <p>Children are named {@code "0"}, {@code "1"}, ... in order, so parameters are {@code "1.weight"},
 * {@code "1.bias"}, ... A slice ({@link #layers}) keeps the names the layers have here, as PyTorch's
 * {@code model[2:4]} does.
 */
public class Sequential extends Module implements Iterable<Module> {

  /** A chain of the given modules, named {@code "0"}, {@code "1"}, ... */
  public Sequential(Module... modules) {
    this(Arrays.asList(modules));
  }

  /** A chain of the given modules, named {@code "0"}, {@code "1"}, ... */
  public Sequential(List<? extends Module> modules) {
    int i = 0;
    for (Module m : modules) {
      registerModule(Integer.toString(i++), m);
    }
  }

  /** A chain of named modules in the map's iteration order (PyTorch's {@code OrderedDict} form). */
  public Sequential(Map<String, ? extends Module> modules) {
    for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
      registerModule(e.getKey(), e.getValue());
    }
  }

  /** The number of layers. */
  public int size() {
    return childMap().size();
  }

  /**
   * The layer at {@code index} (negative counts from the end, as in Python).
   *
   * @throws IndexOutOfBoundsException {@code index <i> is out of range}
   */
  public Module get(int index) {
    List<Module> all = new ArrayList<>(childMap().values());
    return all.get(absoluteIndex(index, all.size()));
  }

  static int absoluteIndex(int index, int size) {
    if (index < -size || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " is out of range");
    }
    return index < 0 ? index + size : index;
  }

  /**
   * The layers {@code from} (inclusive) to {@code to} (exclusive) as a new Sequential of the
   * <em>same</em> module objects, PyTorch's {@code model[from:to]}: its {@link #parameters()} are
   * those layers' parameters. Indices follow Python's slicing (negative from the end, clamped to the
   * range). The layers keep their names.
   */
  public Sequential layers(int from, int to) {
    int n = size();
    int start = clampSliceIndex(from, n);
    int end = clampSliceIndex(to, n);
    Map<String, Module> slice = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Module> e : childMap().entrySet()) {
      if (i >= start && i < end) {
        slice.put(e.getKey(), e.getValue());
      }
      i++;
    }
    return new Sequential(slice);
  }

  private static int clampSliceIndex(int index, int n) {
    int i = index < 0 ? index + n : index;
    return Math.max(0, Math.min(n, i));
  }

  /** Appends a layer, named by the current size; returns this. */
  public Sequential add(Module module) {
    registerModule(Integer.toString(size()), module);
    return this;
  }

  /** Applies every layer in turn. */
  @Override
  public Tensor forward(Tensor input) {
    for (Module m : childMap().values()) {
      input = m.apply(input);
    }
    return input;
  }

  /** The layers in order. */
  @Override
  public Iterator<Module> iterator() {
    return List.copyOf(childMap().values()).iterator();
  }
}
