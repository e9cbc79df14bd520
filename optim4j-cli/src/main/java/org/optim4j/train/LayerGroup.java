package org.optim4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parameter group made of the layers {@code [from, to)} of a {@code Sequential} model (the seed's
 * {@code model.layers[from:to].parameters()}) with its own optimizer options, such as a larger {@code
 * weight_decay} for the classifier.
 *
 * @param from the first layer (inclusive)
 * @param to the end layer (exclusive)
 * @param options the options of this group that override the optimizer's (PyTorch's keys)
 */
public record LayerGroup(int from, int to, Map<String, Object> options) {
  /** Copies the options, keeping their order. */
  public LayerGroup {
    options = new LinkedHashMap<>(options);
  }

  /** {@code FROM:TO} as the command line writes it. */
  @Override
  public String toString() {
    return from + ":" + to + (options.isEmpty() ? "" : " " + options);
  }
}
