package org.optim4j.optim;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.optim4j.optim.internal.PyFormat;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.internal.RawAccess;

/**
 * A parameter group, one dict of PyTorch's {@code optimizer.param_groups}: the parameters and the
 * hyper-parameters that apply to them.
 *
 * <p>Build one to give some parameters their own options, then pass it to an optimizer's constructor or to
 * {@link Optimizer#addParamGroup}:
 *
 * <pre>{@code
 * new SGD(List.of(ParamGroup.of(body), ParamGroup.of(head).with("lr", 1e-3)), SGD.options().lr(1e-2));
 * }</pre>
 *
 * <p>Once added, the group is the optimizer's live group (as the dict is in PyTorch): the optimizer fills in
 * every default the group does not set, {@link #set} changes take effect at the next step, and schedulers
 * write keys such as {@code initial_lr}. Keys are PyTorch's snake_case strings; values are Number, Boolean,
 * String, List (tuples such as {@code betas}), a one-element Tensor (a tensor {@code lr}) or null (Python's
 * {@code None}). Keys keep their insertion order, which {@link Optimizer#stateDict()} preserves. A group built
 * with {@link #ofNamed} gets a {@code param_names} entry when it is added. Not thread-safe.
 */
public final class ParamGroup {
  private List<Object> items;
  private List<Tensor> params;
  private boolean distinctArrays;
  private final LinkedHashMap<String, Object> options = new LinkedHashMap<>();

  ParamGroup(List<Object> items) {
    this.items = items;
  }

  /**
   * A group of these parameters (in this order).
   *
   * @throws IllegalArgumentException if {@code params} is a {@link Set}, whose order is not reproducible
   */
  public static ParamGroup of(Iterable<? extends Tensor> params) {
    Objects.requireNonNull(params, "params");
    if (params instanceof Set) {
      throw new IllegalArgumentException("optimizer parameters need to be organized in ordered collections, but the "
          + "ordering of tensors in sets will change between runs. Please use a list instead.");
    }
    List<Object> items = new ArrayList<>();
    for (Tensor t : params) {
      items.add(t);
    }
    return new ParamGroup(items);
  }

  /** A group of these parameters (in this order). */
  public static ParamGroup of(Tensor... params) {
    return new ParamGroup(new ArrayList<>(List.of((Object[]) params)));
  }

  /**
   * A group of named parameters, PyTorch's {@code named_parameters()}: the names are kept as the group's
   * {@code param_names} (in the map's iteration order, so pass an ordered map).
   */
  public static ParamGroup ofNamed(Map<String, ? extends Tensor> namedParams) {
    Objects.requireNonNull(namedParams, "namedParams");
    List<Object> items = new ArrayList<>();
    for (Map.Entry<String, ? extends Tensor> e : namedParams.entrySet()) {
      items.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
    }
    return new ParamGroup(items);
  }

  /** Sets an option and returns this group, for building. */
  public ParamGroup with(String key, Object value) {
    set(key, value);
    return this;
  }

  /**
   * Sets an option; on a group in use, it takes effect at the next step.
   *
   * @throws IllegalArgumentException for {@code "params"}: build a new group to change the parameters
   */
  public void set(String key, Object value) {
    Objects.requireNonNull(key, "key");
    if (key.equals("params")) {
      throw new IllegalArgumentException("the parameters of a group cannot be replaced; build a new ParamGroup");
    }
    options.put(key, value);
  }

  /** The value of an option, or null when absent; {@code "params"} gives {@link #params()}. */
  public Object get(String key) {
    return key.equals("params") ? params() : options.get(key);
  }

  /** Whether the group has this option (possibly with a null value). */
  public boolean containsKey(String key) {
    return key.equals("params") || options.containsKey(key);
  }

  /**
   * An option as a double: a Number, or the value of a one-element tensor (a tensor {@code lr}).
   *
   * @throws IllegalStateException if the group has no such option
   * @throws IllegalArgumentException if the value is not a number
   */
  public double getDouble(String key) {
    if (!options.containsKey(key)) {
      throw new IllegalStateException("no option '" + key + "' in this param group");
    }
    Object v = options.get(key);
    if (v instanceof Tensor t && t.numel() != 1) {
      throw new IllegalArgumentException("option '" + key + "' is a tensor with " + t.numel() + " elements");
    }
    return Scalars.value(key, v);
  }

  /**
   * An option as a flag, with Python's truthiness (null and 0 are false).
   *
   * @throws IllegalStateException if the group has no such option
   */
  public boolean getBoolean(String key) {
    if (!options.containsKey(key)) {
      throw new IllegalStateException("no option '" + key + "' in this param group");
    }
    return Scalars.truthy(options.get(key));
  }

  /** The parameters, in order (unmodifiable). */
  public List<Tensor> params() {
    if (params != null) {
      return params;
    }
    List<Tensor> out = new ArrayList<>();
    for (Object item : items) {
      Object t = item instanceof Map.Entry<?, ?> e ? e.getValue() : item;
      if (t instanceof Tensor tensor) {
        out.add(tensor);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The option keys, in insertion order ({@code params} excluded; unmodifiable). */
  public Set<String> keys() {
    return Collections.unmodifiableSet(options.keySet());
  }

  /** The options in insertion order ({@code params} excluded; an unmodifiable live view). */
  public Map<String, Object> options() {
    return Collections.unmodifiableMap(options);
  }

  /** The parameters as given: tensors, or name-tensor entries for named parameters. */
  List<Object> items() {
    return items;
  }

  /** Makes this the group of an optimizer: the checked parameters and the options with defaults filled in. */
  void attach(List<Tensor> tensors, Map<String, Object> merged) {
    this.params = Collections.unmodifiableList(new ArrayList<>(tensors));
    this.items = new ArrayList<>(tensors);
    Map<Object, Boolean> arrays = new IdentityHashMap<>();
    distinctArrays = true;
    for (Tensor p : tensors) {
      Object array = RawAccess.wholeArray(p);
      if (array != null) {
        distinctArrays &= arrays.put(array, Boolean.TRUE) == null;
      }
    }
    replaceOptions(merged);
  }

  /**
   * Whether no two parameters of the group share one array (a parameter listed twice, or two tensors on the
   * same storage): only then may the multi-tensor path update them on several threads at once.
   */
  boolean distinctArrays() {
    return distinctArrays;
  }

  /**
   * Whether the group takes the multi-tensor path: unless {@code foreach} is false (PyTorch's choice of its
   * single-tensor path), which runs the per-tensor reference path instead. Both give the same bits.
   */
  boolean multiTensor() {
    Object foreach = options.get("foreach");
    return foreach == null || Scalars.truthy(foreach);
  }

  void replaceOptions(Map<String, Object> merged) {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(merged);
    options.clear();
    options.putAll(copy);
  }

  /** Python's {@code repr} of the group's dict, e.g. {@code {'params': 2 tensors, 'lr': 0.1}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{'params': ").append(params().size()).append(" tensors");
    for (Map.Entry<String, Object> e : options.entrySet()) {
      sb.append(", '").append(e.getKey()).append("': ").append(PyFormat.reprOption(e.getKey(), e.getValue()));
    }
    return sb.append('}').toString();
  }
}
