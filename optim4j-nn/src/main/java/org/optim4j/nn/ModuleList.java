package org.optim4j.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A list of registered child modules, PyTorch's {@code torch.nn.ModuleList}: the modules' parameters
 * belong to the owner, but the list has no {@code forward} of its own.
 *
 * <p>Children are named {@code "0"}, {@code "1"}, ... Its representation groups runs of equal
 * children as PyTorch does: {@code (0-3): 4 x Linear(in_features=2, out_features=2, bias=True)}.
 */
public class ModuleList extends Module implements Iterable<Module> {

  /** An empty list. */
  public ModuleList() {}

  /** A list of the given modules. */
  public ModuleList(Iterable<? extends Module> modules) {
    for (Module m : modules) {
      registerModule(Integer.toString(size()), m);
    }
  }

  /** Appends a module; returns this. */
  public ModuleList add(Module module) {
    registerModule(Integer.toString(size()), module);
    return this;
  }

  /** Appends every module of {@code modules}; returns this. */
  public ModuleList extend(Iterable<? extends Module> modules) {
    for (Module m : modules) {
      add(m);
    }
    return this;
  }

  /**
   * The module at {@code index} (negative counts from the end).
   *
   * @throws IndexOutOfBoundsException {@code index <i> is out of range}
   */
  public Module get(int index) {
    return childMap().get(Integer.toString(Sequential.absoluteIndex(index, size())));
  }

  /** The number of modules. */
  public int size() {
    return childMap().size();
  }

  /** The modules in order. */
  @Override
  public Iterator<Module> iterator() {
    return List.copyOf(childMap().values()).iterator();
  }

  /** PyTorch's ModuleList representation, which compresses runs of children with equal representations. */
  @Override
  public String toString() {
    List<String> reprs = new ArrayList<>();
    for (Module m : childMap().values()) {
      reprs.add(String.valueOf(m));
    }
    if (reprs.isEmpty()) {
      return typeName() + "()";
    }
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= reprs.size(); i++) {
      if (i < reprs.size() && reprs.get(i).equals(reprs.get(start))) {
        continue;
      }
      int end = i - 1;
      String block = start == end
          ? "(" + start + "): " + reprs.get(start)
          : "(" + start + "-" + end + "): " + (end - start + 1) + " x " + reprs.get(start);
      lines.add(Repr.addIndent(block, 2));
      start = i;
    }
    return typeName() + "(\n  " + String.join("\n  ", lines) + "\n)";
  }
}
