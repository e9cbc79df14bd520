package org.optim4j.nn;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * Base class of all neural-network modules, PyTorch's {@code torch.nn.Module}.
 *
 * <p>A module owns named {@link Parameter parameters}, named buffers (tensors that are state but not
 * parameters, such as BatchNorm's running statistics) and named child modules, each kept in
 * registration order. Names of nested members are dotted paths, as in PyTorch: {@code "0.weight"},
 * {@code "layers.3.bias"}. A subclass registers its members in its constructor and implements
 * {@link #forward(Tensor)}:
 *
 * <pre>{@code
 * final class Net extends Module {
 *   private final Conv2d conv1 = register("conv1", new Conv2d(1, 32, 5));
 *   private final Linear fc1 = register("fc1", new Linear(256, 200));
 *   ...
 *   @Override
 *   public Tensor forward(Tensor x) {
 *     x = F.relu(F.maxPool2d(conv1.apply(x), 3));
 *     ...
 *   }
 * }
 * Net model = new Net();
 * Optimizer opt = new SGD(model.parameters(), SGD.options().lr(0.1));
 * }</pre>
 *
 * <p>Behaviour follows PyTorch 2.13: {@link #parameters()} has no duplicates (a parameter shared by
 * two layers appears once), {@link #stateDict()} holds every parameter and persistent buffer under
 * each of its names as a detached alias, {@link #loadStateDict} reports PyTorch's messages, {@link
 * #train(boolean)} switches the whole tree, {@link #zeroGrad()} sets gradients to null, and {@link
 * #toString()} prints PyTorch's module representation.
 *
 * <p><b>Differences.</b> A Java tensor cannot change its storage, so {@link #to(DType)} and {@link
 * #deepCopy()} make new {@link Parameter} objects. Both then re-point every field of the modules in
 * the tree that holds a registered parameter, buffer or module (by reflection; such a field may be
 * final, but its class must be open to this package, which classes outside named Java modules are).
 * Collections of members held in ordinary Java fields are not re-pointed: keep such groups in a
 * {@link ModuleList} or {@link ParameterList}. Layers of this package look their parameters up by name
 * and need no such care. There are no hooks.
 *
 * <p>Not thread-safe.
 */
public abstract class Module implements Cloneable {
  private LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
  private LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
  private Set<String> nonPersistentBuffers = new HashSet<>();
  private LinkedHashMap<String, Module> modules = new LinkedHashMap<>();
  private boolean training = true;

  /** An empty module in training mode. */
  protected Module() {}

  // ---------------------------------------------------------------------------------------------
  // Forward

  /**
   * The computation of this module; subclasses with one input override it. Call {@link
   * #apply(Tensor)} rather than this method, as PyTorch users call the module rather than {@code
   * forward}.
   *
   * @throws UnsupportedOperationException unless overridden
   */
  public Tensor forward(Tensor input) {
    throw new UnsupportedOperationException(
        "Module [" + typeName() + "] is missing the required \"forward\" function");
  }

  /** Runs the module on {@code input}, PyTorch's {@code module(input)}. */
  public Tensor apply(Tensor input) {
    return forward(input);
  }

  /**
   * Calls {@code fn} on every child module (recursively, each subtree before its root) and then on
   * this module, PyTorch's {@code apply(fn)}; typically used to initialise weights. Returns this.
   */
  public Module apply(Consumer<? super Module> fn) {
    for (Module child : children()) {
      child.apply(fn);
    }
    fn.accept(this);
    return this;
  }

  // ---------------------------------------------------------------------------------------------
  // Registration

  /**
   * Registers a parameter under {@code name}, or re-registers it in its former place. A null
   * parameter holds the name (PyTorch's {@code register_parameter(name, None)}, as Linear's missing
   * bias) and is skipped by {@link #parameters()} and {@link #stateDict()}.
   *
   * @throws IllegalStateException if the name contains a dot, is empty or names a buffer or module
   */
  public void registerParameter(String name, Parameter param) {
    checkName(name, "parameter");
    if (name.contains(".")) {
      throw new IllegalStateException("parameter name can't contain \".\"");
    }
    if (name.isEmpty()) {
      throw new IllegalStateException("parameter name can't be empty string \"\"");
    }
    if (buffers.containsKey(name) || modules.containsKey(name)) {
      throw new IllegalStateException("attribute '" + name + "' already exists");
    }
    parameters.put(name, param);
  }

  /** Registers a persistent buffer (saved in the {@link #stateDict()}); see {@link #registerBuffer(String, Tensor, boolean)}. */
  public void registerBuffer(String name, Tensor tensor) {
    registerBuffer(name, tensor, true);
  }

  /**
   * Registers a buffer: state that is not a parameter, such as a running mean. A null buffer holds
   * the name and is skipped; a non-persistent buffer is left out of the {@link #stateDict()}.
   *
   * @throws IllegalStateException if the name contains a dot, is empty or names a parameter or module
   */
  public void registerBuffer(String name, Tensor tensor, boolean persistent) {
    checkName(name, "buffer");
    if (name.contains(".")) {
      throw new IllegalStateException("buffer name can't contain \".\"");
    }
    if (name.isEmpty()) {
      throw new IllegalStateException("buffer name can't be empty string \"\"");
    }
    if (parameters.containsKey(name) || modules.containsKey(name)) {
      throw new IllegalStateException("attribute '" + name + "' already exists");
    }
    buffers.put(name, tensor);
    if (persistent) {
      nonPersistentBuffers.remove(name);
    } else {
      nonPersistentBuffers.add(name);
    }
  }

  /**
   * Registers a child module under {@code name} (PyTorch's {@code add_module}), or replaces the child
   * of that name in its place. A null child holds the name and is skipped.
   *
   * @throws IllegalStateException if the name names a parameter or buffer, contains a dot or is empty
   */
  public void registerModule(String name, Module module) {
    checkName(name, "module");
    if (parameters.containsKey(name) || buffers.containsKey(name)) {
      throw new IllegalStateException("attribute '" + name + "' already exists");
    }
    if (name.contains(".")) {
      throw new IllegalStateException("module name can't contain \".\", got: " + name);
    }
    if (name.isEmpty()) {
      throw new IllegalStateException("module name can't be empty string \"\"");
    }
    modules.put(name, module);
  }

  /**
   * Registers a child module and returns it, for field initialisers:
   * {@code private final Linear fc1 = register("fc1", new Linear(256, 200));}.
   */
  protected final <M extends Module> M register(String name, M module) {
    registerModule(name, module);
    return module;
  }

  /** Registers a parameter and returns it: {@code w = register("w", new Parameter(Tensor.randn(3)));}. */
  protected final Parameter register(String name, Parameter param) {
    registerParameter(name, param);
    return param;
  }

  private static void checkName(String name, String kind) {
    if (name == null) {
      throw new NullPointerException(kind + " name must not be null");
    }
  }

  /**
   * This module's own parameter of the given name; null if it was registered as null.
   *
   * @throws IllegalArgumentException if there is no parameter of that name
   */
  protected final Parameter parameter(String name) {
    if (!parameters.containsKey(name)) {
      throw new IllegalArgumentException(typeName() + " has no parameter `" + name + "`");
    }
    return parameters.get(name);
  }

  /**
   * This module's own buffer of the given name; null if it was registered as null.
   *
   * @throws IllegalArgumentException if there is no buffer of that name
   */
  protected final Tensor buffer(String name) {
    if (!buffers.containsKey(name)) {
      throw new IllegalArgumentException(typeName() + " has no buffer `" + name + "`");
    }
    return buffers.get(name);
  }

  /** This module's own children by name, in order (null children included); for containers. */
  final LinkedHashMap<String, Module> childMap() {
    return modules;
  }

  /** This module's own parameters by name, in order (null entries included); for containers. */
  final LinkedHashMap<String, Parameter> parameterMap() {
    return parameters;
  }

  // ---------------------------------------------------------------------------------------------
  // Look-up by dotted name

  /**
   * The module at a dotted path, PyTorch's {@code get_submodule}: {@code ""} is this module, {@code
   * "layers.3"} a grandchild.
   *
   * @throws IllegalArgumentException if a step of the path names no child module
   */
  public Module getSubmodule(String target) {
    if (target.isEmpty()) {
      return this;
    }
    Module mod = this;
    for (String item : target.split("\\.", -1)) {
      if (mod.modules.containsKey(item) && mod.modules.get(item) != null) {
        mod = mod.modules.get(item);
      } else if (mod.modules.containsKey(item) || mod.parameters.containsKey(item) || mod.buffers.containsKey(item)) {
        throw new IllegalArgumentException("`" + item + "` is not an nn.Module");
      } else {
        throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + item + "`");
      }
    }
    return mod;
  }

  /**
   * The parameter at a dotted path, PyTorch's {@code get_parameter}: {@code "fc1.weight"}.
   *
   * @throws IllegalArgumentException if the path names no parameter (or a null one)
   */
  public Parameter getParameter(String target) {
    int dot = target.lastIndexOf('.');
    Module mod = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
    String name = target.substring(dot + 1);
    if (!mod.parameters.containsKey(name) && !mod.buffers.containsKey(name) && !mod.modules.containsKey(name)) {
      throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + name + "`");
    }
    Parameter p = mod.parameters.get(name);
    if (p == null) {
      throw new IllegalArgumentException("`" + name + "` is not an nn.Parameter");
    }
    return p;
  }

  /**
   * The buffer at a dotted path, PyTorch's {@code get_buffer}: {@code "bn.running_mean"}; null if the
   * buffer was registered as null.
   *
   * @throws IllegalArgumentException if the path names no buffer
   */
  public Tensor getBuffer(String target) {
    int dot = target.lastIndexOf('.');
    Module mod = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
    String name = target.substring(dot + 1);
    if (!mod.parameters.containsKey(name) && !mod.buffers.containsKey(name) && !mod.modules.containsKey(name)) {
      throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + name + "`");
    }
    if (!mod.buffers.containsKey(name)) {
      throw new IllegalArgumentException("`" + name + "` is not a buffer");
    }
    return mod.buffers.get(name);
  }

  // ---------------------------------------------------------------------------------------------
  // Iteration

  /** All parameters of this module and its descendants, without duplicates, in registration order. */
  public List<Parameter> parameters() {
    return parameters(true);
  }

  /** The parameters, of this module only when {@code recurse} is false. */
  public List<Parameter> parameters(boolean recurse) {
    return new ArrayList<>(namedParameters(recurse).values());
  }

  /**
   * All parameters by dotted name ({@code "0.weight"}, {@code "layers.3.bias"}), without duplicates:
   * a shared parameter appears under its first name only.
   */
  public LinkedHashMap<String, Parameter> namedParameters() {
    return namedParameters(true);
  }

  /** The named parameters, of this module only when {@code recurse} is false. */
  public LinkedHashMap<String, Parameter> namedParameters(boolean recurse) {
    return namedMembers(recurse, m -> m.parameters);
  }

  /** All buffers of this module and its descendants, without duplicates, in registration order. */
  public List<Tensor> buffers() {
    return buffers(true);
  }

  /** The buffers, of this module only when {@code recurse} is false. */
  public List<Tensor> buffers(boolean recurse) {
    return new ArrayList<>(namedBuffers(recurse).values());
  }

  /** All buffers by dotted name ({@code "1.running_mean"}), without duplicates. */
  public LinkedHashMap<String, Tensor> namedBuffers() {
    return namedBuffers(true);
  }

  /** The named buffers, of this module only when {@code recurse} is false. */
  public LinkedHashMap<String, Tensor> namedBuffers(boolean recurse) {
    return namedMembers(recurse, m -> m.buffers);
  }

  private <T> LinkedHashMap<String, T> namedMembers(
      boolean recurse, java.util.function.Function<Module, Map<String, ? extends T>> members) {
    Map<String, Module> mods = recurse ? namedModules() : Map.of("", this);
    Set<Object> memo = Collections.newSetFromMap(new IdentityHashMap<>());
    LinkedHashMap<String, T> out = new LinkedHashMap<>();
    for (Map.Entry<String, Module> m : mods.entrySet()) {
      for (Map.Entry<String, ? extends T> e : members.apply(m.getValue()).entrySet()) {
        T v = e.getValue();
        if (v != null && memo.add(v)) {
          out.put(m.getKey().isEmpty() ? e.getKey() : m.getKey() + "." + e.getKey(), v);
        }
      }
    }
    return out;
  }

  /** The immediate child modules, without duplicates and nulls, in registration order. */
  public List<Module> children() {
    return new ArrayList<>(namedChildren().values());
  }

  /** The immediate child modules by name, without duplicates and nulls. */
  public LinkedHashMap<String, Module> namedChildren() {
    Set<Module> memo = Collections.newSetFromMap(new IdentityHashMap<>());
    LinkedHashMap<String, Module> out = new LinkedHashMap<>();
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      if (e.getValue() != null && memo.add(e.getValue())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** This module and all its descendants, pre-order, without duplicates. */
  public List<Module> modules() {
    return new ArrayList<>(namedModules().values());
  }

  /** This module (name {@code ""}) and all its descendants by dotted name, pre-order, without duplicates. */
  public LinkedHashMap<String, Module> namedModules() {
    LinkedHashMap<String, Module> out = new LinkedHashMap<>();
    collectModules("", Collections.newSetFromMap(new IdentityHashMap<>()), out);
    return out;
  }

  private void collectModules(String prefix, Set<Module> memo, LinkedHashMap<String, Module> out) {
    if (!memo.add(this)) {
      return;
    }
    out.put(prefix, this);
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      if (e.getValue() != null) {
        e.getValue().collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), memo, out);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Modes and gradients

  /** Puts this module and its descendants in training mode; returns this. */
  public Module train() {
    return train(true);
  }

  /** Sets training ({@code true}) or evaluation mode on this module and its descendants; returns this. */
  public Module train(boolean mode) {
    training = mode;
    for (Module child : children()) {
      child.train(mode);
    }
    return this;
  }

  /** Puts this module and its descendants in evaluation mode, {@code train(false)}; returns this. */
  public Module eval() {
    return train(false);
  }

  /** Whether this module is in training mode (PyTorch's {@code training} attribute). */
  public boolean isTraining() {
    return training;
  }

  /** Sets whether autograd records operations on every parameter (freezing with false); returns this. */
  public Module requiresGrad_(boolean requiresGrad) {
    for (Parameter p : parameters()) {
      p.requiresGrad_(requiresGrad);
    }
    return this;
  }

  /** Clears the gradient of every parameter (sets it to null), as PyTorch's default {@code zero_grad()}. */
  public void zeroGrad() {
    zeroGrad(true);
  }

  /**
   * Clears every parameter's gradient: sets it to null, or with {@code setToNone} false detaches it
   * and fills it with zeros in place (a sparse gradient becomes an empty sparse tensor).
   */
  @SuppressWarnings("try")
  public void zeroGrad(boolean setToNone) {
    for (Parameter p : parameters()) {
      Tensor g = p.grad();
      if (g == null) {
        continue;
      }
      if (setToNone) {
        p.setGrad(null);
        continue;
      }
      try (var noGrad = GradMode.noGrad()) {
        if (g.isSparse()) {
          int[] valueShape = g.values().shape();
          valueShape[0] = 0;
          int sparseDims = g.indices().shape()[0];
          p.setGrad(Tensor.sparseCoo(Tensor.zeros(DType.INT64, sparseDims, 0), Tensor.zeros(g.dtype(), valueShape),
              g.shape()));
          continue;
        }
        if (g.gradFn() != null) {
          g = g.detach();
          p.setGrad(g);
        } else if (g.requiresGrad()) {
          g.requiresGrad_(false);
        }
        g.zero_();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // State dict

  /**
   * The parameters and persistent buffers of the whole tree by dotted name, as detached aliases (they
   * share storage with the module), in PyTorch's order: each module's parameters, then its buffers,
   * then its children. A member shared by two modules appears under both names.
   */
  public LinkedHashMap<String, Tensor> stateDict() {
    return stateDict(false);
  }

  /** The state dict; with {@code keepVars} the parameters themselves instead of detached aliases. */
  public LinkedHashMap<String, Tensor> stateDict(boolean keepVars) {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    saveTo(out, "", keepVars);
    return out;
  }

  private void saveTo(LinkedHashMap<String, Tensor> out, String prefix, boolean keepVars) {
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      if (e.getValue() != null) {
        out.put(prefix + e.getKey(), keepVars ? e.getValue() : e.getValue().detach());
      }
    }
    for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
      if (e.getValue() != null && !nonPersistentBuffers.contains(e.getKey())) {
        out.put(prefix + e.getKey(), keepVars ? e.getValue() : e.getValue().detach());
      }
    }
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      if (e.getValue() != null) {
        e.getValue().saveTo(out, prefix + e.getKey() + ".", keepVars);
      }
    }
  }

  /** {@code loadStateDict(stateDict, true)}. */
  public IncompatibleKeys loadStateDict(Map<String, ? extends Tensor> stateDict) {
    return loadStateDict(stateDict, true);
  }

  /**
   * Copies parameters and persistent buffers from {@code stateDict} into this module and its
   * descendants, PyTorch's {@code load_state_dict}.
   *
   * <p>Every entry is checked before anything is copied, so a failed load changes nothing. Errors are
   * PyTorch's: with {@code strict}, keys the module expects but the dict lacks ({@code Missing key(s) in
   * state_dict: "bias". }) and keys the module does not know ({@code Unexpected key(s) in state_dict:
   * ...}); always, shape differences ({@code size mismatch for weight: copying a param with shape
   * torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([3, 3]).}). Values are
   * copied in place under no-grad (converted to the member's dtype), so optimizers keep working on the
   * same parameters. A 1-element 1-dim value loads into a 0-dim member.
   *
   * @return the missing and unexpected keys (empty when {@code strict} succeeds)
   * @throws IllegalStateException {@code Error(s) in loading state_dict for <Module>:\n\t<errors>}
   */
  @SuppressWarnings("try")
  public IncompatibleKeys loadStateDict(Map<String, ? extends Tensor> stateDict, boolean strict) {
    if (stateDict == null) {
      throw new NullPointerException("Expected state_dict to be dict-like, got null.");
    }
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<Tensor[]> copies = new ArrayList<>();
    loadFrom(new LinkedHashMap<>(stateDict), "", missing, unexpected, errors, copies);
    if (strict) {
      if (!unexpected.isEmpty()) {
        errors.add(0, "Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
      }
      if (!missing.isEmpty()) {
        errors.add(0, "Missing key(s) in state_dict: " + quoted(missing) + ". ");
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "Error(s) in loading state_dict for " + typeName() + ":\n\t" + String.join("\n\t", errors));
    }
    try (var noGrad = GradMode.noGrad()) {
      for (Tensor[] c : copies) {
        c[0].copy_(c[1]);
      }
    }
    return new IncompatibleKeys(missing, unexpected);
  }

  private static String quoted(List<String> keys) {
    return keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", "));
  }

  private void loadFrom(Map<String, Tensor> local, String prefix, List<String> missing, List<String> unexpected,
      List<String> errors, List<Tensor[]> copies) {
    upgradeStateDict(local, prefix);
    LinkedHashMap<String, Tensor> localState = new LinkedHashMap<>();
    parameters.forEach((k, v) -> {
      if (v != null) {
        localState.put(k, v);
      }
    });
    buffers.forEach((k, v) -> {
      if (v != null && !nonPersistentBuffers.contains(k)) {
        localState.put(k, v);
      }
    });
    for (Map.Entry<String, Tensor> e : localState.entrySet()) {
      String key = prefix + e.getKey();
      Tensor param = e.getValue();
      if (!local.containsKey(key)) {
        missing.add(key);
        continue;
      }
      Tensor input = local.get(key);
      if (input == null) {
        errors.add("While copying the parameter named \"" + key + "\", expected torch.Tensor or Tensor-like object "
            + "from checkpoint but received <class 'NoneType'>");
        continue;
      }
      if (param.dim() == 0 && input.dim() == 1 && input.size(0) == 1) {
        input = input.select(0, 0);
      }
      if (!Arrays.equals(input.shape(), param.shape())) {
        errors.add("size mismatch for " + key + ": copying a param with shape " + Repr.torchSize(input.shape())
            + " from checkpoint, the shape in current model is " + Repr.torchSize(param.shape()) + ".");
        continue;
      }
      copies.add(new Tensor[] {param, input});
    }
    for (String key : local.keySet()) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      String rest = key.substring(prefix.length());
      int dot = rest.indexOf('.');
      if (dot >= 0 ? !modules.containsKey(rest.substring(0, dot)) : !localState.containsKey(rest)) {
        unexpected.add(key);
      }
    }
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      String childPrefix = prefix + e.getKey() + ".";
      Map<String, Tensor> childLocal = new LinkedHashMap<>();
      local.forEach((k, v) -> {
        if (k.startsWith(childPrefix)) {
          childLocal.put(k, v);
        }
      });
      e.getValue().loadFrom(childLocal, childPrefix, missing, unexpected, errors, copies);
    }
  }

  /**
   * Adapts an incoming state dict before this module's entries (those starting with {@code prefix})
   * are checked, like the version upgrade in PyTorch's {@code _load_from_state_dict}: BatchNorm adds a
   * missing {@code num_batches_tracked}. The map is this module's private copy. Default: nothing.
   */
  protected void upgradeStateDict(Map<String, Tensor> stateDict, String prefix) {}

  // ---------------------------------------------------------------------------------------------
  // Copies and conversion

  /**
   * An independent copy of this module tree, PyTorch's {@code copy.deepcopy(module)}: same classes,
   * settings, names and training modes; parameters and buffers are new tensors with the same values
   * (a parameter's {@code requiresGrad} is kept, its gradient is not copied). Sharing inside the tree
   * (a module or parameter used twice) is preserved. Fields of the copied modules that hold registered
   * members are re-pointed to the copies (see the class comment).
   *
   * @throws IllegalStateException if such a field cannot be re-pointed
   */
  @SuppressWarnings("try")
  public Module deepCopy() {
    IdentityHashMap<Object, Object> memo = new IdentityHashMap<>();
    Module copy;
    try (var noGrad = GradMode.noGrad()) {
      copy = copyTree(memo);
    }
    for (Object o : new ArrayList<>(memo.values())) {
      if (o instanceof Module) {
        ((Module) o).repointFields(memo);
      }
    }
    return copy;
  }

  private Module copyTree(IdentityHashMap<Object, Object> memo) {
    Object done = memo.get(this);
    if (done != null) {
      return (Module) done;
    }
    Module c;
    try {
      c = (Module) super.clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
    memo.put(this, c);
    c.parameters = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      Parameter p = e.getValue();
      if (p != null && !memo.containsKey(p)) {
        memo.put(p, new Parameter(p.detach().clone(), p.requiresGrad()));
      }
      c.parameters.put(e.getKey(), p == null ? null : (Parameter) memo.get(p));
    }
    c.buffers = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
      Tensor b = e.getValue();
      if (b != null && !memo.containsKey(b)) {
        Tensor nb = b.detach().clone();
        memo.put(b, b.requiresGrad() ? nb.requiresGrad_(true) : nb);
      }
      c.buffers.put(e.getKey(), b == null ? null : (Tensor) memo.get(b));
    }
    c.nonPersistentBuffers = new HashSet<>(nonPersistentBuffers);
    c.modules = new LinkedHashMap<>();
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      c.modules.put(e.getKey(), e.getValue() == null ? null : e.getValue().copyTree(memo));
    }
    return c;
  }

  /**
   * Converts every floating-point parameter and buffer of the tree (and the parameters' gradients) to
   * {@code dtype}, PyTorch's {@code module.to(dtype)}; integer buffers such as {@code
   * num_batches_tracked} are kept. Returns this.
   *
   * <p>PyTorch keeps each {@code Parameter} object and swaps its data; a Java tensor cannot swap its
   * storage, so each converted parameter is a <em>new</em> {@link Parameter} (with the same {@code
   * requiresGrad}) registered under the same name, and fields holding the old one are re-pointed (see
   * the class comment). Build optimizers after {@code to}: one built before keeps the old parameters.
   * Members that already have {@code dtype} are kept as they are.
   *
   * @throws IllegalArgumentException if {@code dtype} is not a floating-point type
   * @throws IllegalStateException if a field holding a converted member cannot be re-pointed
   */
  @SuppressWarnings("try")
  public Module to(DType dtype) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException(
          "nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=" + dtype);
    }
    IdentityHashMap<Object, Object> converted = new IdentityHashMap<>();
    List<Module> all = modules();
    try (var noGrad = GradMode.noGrad()) {
      for (Module m : all) {
        for (Map.Entry<String, Parameter> e : m.parameters.entrySet()) {
          Parameter p = e.getValue();
          if (p == null || !p.dtype().isFloatingPoint() || p.dtype() == dtype) {
            continue;
          }
          if (!converted.containsKey(p)) {
            Parameter np = new Parameter(p.detach().to(dtype), p.requiresGrad());
            if (p.grad() != null) {
              np.setGrad(p.grad().detach().to(dtype));
            }
            converted.put(p, np);
          }
          e.setValue((Parameter) converted.get(p));
        }
        for (Map.Entry<String, Tensor> e : m.buffers.entrySet()) {
          Tensor b = e.getValue();
          if (b == null || !b.dtype().isFloatingPoint() || b.dtype() == dtype) {
            continue;
          }
          if (!converted.containsKey(b)) {
            Tensor nb = b.detach().to(dtype);
            converted.put(b, b.requiresGrad() ? nb.requiresGrad_(true) : nb);
          }
          e.setValue((Tensor) converted.get(b));
        }
      }
    }
    if (!converted.isEmpty()) {
      for (Module m : all) {
        m.repointFields(converted);
      }
    }
    return this;
  }

  /** Re-points fields of this module's class (below Module) whose value is a key of {@code map}. */
  private void repointFields(Map<Object, Object> map) {
    for (Class<?> c = getClass(); c != Module.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        Class<?> t = f.getType();
        boolean mayHoldMember = Tensor.class.isAssignableFrom(t) || t.isAssignableFrom(Tensor.class)
            || Module.class.isAssignableFrom(t) || t.isAssignableFrom(Module.class);
        if (Modifier.isStatic(f.getModifiers()) || t.isPrimitive() || !mayHoldMember) {
          continue;
        }
        try {
          f.setAccessible(true);
          Object replacement = map.get(f.get(this));
          if (replacement != null) {
            f.set(this, replacement);
          }
        } catch (IllegalAccessException | InaccessibleObjectException | SecurityException e) {
          throw new IllegalStateException("cannot re-point field " + c.getName() + "." + f.getName()
              + " to the copied or converted member; open its package to org.optim4j.nn", e);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Representation

  /**
   * The settings shown inside this module's representation, PyTorch's {@code extra_repr}, such as
   * {@code in_features=3, out_features=4, bias=True}; empty by default. Override it in custom modules
   * (see {@link Repr} for Python-style values).
   */
  public String extraRepr() {
    return "";
  }

  /**
   * PyTorch's module representation: the class name, the {@link #extraRepr()} and each child as
   * {@code (name): repr}, indented by two spaces per level.
   */
  @Override
  public String toString() {
    List<String> lines = new ArrayList<>();
    String extra = extraRepr();
    int extraLines = 0;
    if (!extra.isEmpty()) {
      lines.addAll(Arrays.asList(extra.split("\n", -1)));
      extraLines = lines.size();
    }
    for (Map.Entry<String, Module> e : modules.entrySet()) {
      String child = e.getValue() == null ? "None" : e.getValue().toString();
      lines.add("(" + e.getKey() + "): " + Repr.addIndent(child, 2));
    }
    StringBuilder sb = new StringBuilder(typeName()).append('(');
    if (!lines.isEmpty()) {
      if (extraLines == 1 && modules.isEmpty()) {
        sb.append(lines.get(0));
      } else {
        sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
      }
    }
    return sb.append(')').toString();
  }

  /** The class name shown in representations and messages, PyTorch's {@code _get_name()}. */
  final String typeName() {
    String simple = getClass().getSimpleName();
    if (!simple.isEmpty()) {
      return simple;
    }
    String name = getClass().getName();
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
