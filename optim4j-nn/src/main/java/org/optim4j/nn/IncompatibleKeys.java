package org.optim4j.nn;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of a non-strict {@link Module#loadStateDict(java.util.Map, boolean)}, PyTorch's
 * {@code _IncompatibleKeys}: the keys the module expected but the state dict lacked, and the keys the
 * state dict had but the module does not know.
 *
 * @param missingKeys keys of the module's state that the state dict did not provide
 * @param unexpectedKeys keys of the state dict that match no parameter or buffer of the module
 */
public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {

  /** Copies both lists, which are then unmodifiable. */
  public IncompatibleKeys {
    missingKeys = List.copyOf(missingKeys);
    unexpectedKeys = List.copyOf(unexpectedKeys);
  }

  /** Whether every key matched. */
  public boolean allMatched() {
    return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
  }

  /**
   * PyTorch's representation: {@code <All keys matched successfully>}, or
   * {@code _IncompatibleKeys(missing_keys=['bias'], unexpected_keys=[])}.
   */
  @Override
  public String toString() {
    if (allMatched()) {
      return "<All keys matched successfully>";
    }
    return "_IncompatibleKeys(missing_keys=" + pyList(missingKeys) + ", unexpected_keys=" + pyList(unexpectedKeys)
        + ")";
  }

  private static String pyList(List<String> keys) {
    return keys.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", ", "[", "]"));
  }
}
