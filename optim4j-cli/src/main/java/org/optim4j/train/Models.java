package org.optim4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optim4j.nn.Conv2d;
import org.optim4j.nn.CrossEntropyLoss;
import org.optim4j.nn.Dropout;
import org.optim4j.nn.Flatten;
import org.optim4j.nn.Linear;
import org.optim4j.nn.Loss;
import org.optim4j.nn.MSELoss;
import org.optim4j.nn.MaxPool2d;
import org.optim4j.nn.Module;
import org.optim4j.nn.ReLU;
import org.optim4j.nn.Sequential;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Generator;

/**
 * The models the command line trains, each the seed's, as a {@code Sequential} so that per-layer groups
 * ({@code --group FROM:TO}) slice it as the seed's {@code model.layers[from:to]}:
 *
 * <ul>
 * <li>{@code mlp} — the lab's MLP: Flatten, Linear(784, 512), ReLU, Dropout(0.2), Linear(512, 256), ReLU,
 *     Dropout(0.2), Linear(256, 10); the seed's groups are layers 0:6 and 6:8. Defaults: SGD(lr=0.1,
 *     momentum=0.9, weight_decay=5e-4), MultiStepLR(milestones=[6, 11], gamma=0.1), 15 epochs, batch 100.
 * <li>{@code cnn} — the lecture's {@code Net}: Conv2d(1, 32, 5), MaxPool2d(3), ReLU, Conv2d(32, 64, 5),
 *     MaxPool2d(2), ReLU, Flatten, Linear(256, 200), ReLU, Linear(200, 10). Defaults: SGD(lr=0.1), 10
 *     epochs, batch 100.
 * <li>{@code linreg} — the slides' linear regression {@code t_c ≈ w·(0.1·t_u) + b} as Linear(1, 1) from
 *     w = 1, b = 0, with the mean squared error. Defaults: SGD(lr=1e-2), 5000 full-batch epochs.
 * </ul>
 *
 * <p>Weights are initialised from a generator of their own (PyTorch's default initialisation, drawn from
 * it in layer order) and every Dropout draws its masks from another, so a run is a function of its seed
 * and both generators' states go into checkpoints.
 */
public final class Models {
  /** What the model's output is compared with. */
  public enum Task {
    /** Class logits against labels: cross-entropy, and accuracy as the performance. */
    CLASSIFICATION,
    /** Values against values: mean squared error, no performance measure. */
    REGRESSION
  }

  /**
   * A model and the seed's setup for it, used where the command line leaves a choice open.
   *
   * @param name the command line's name
   * @param task how outputs are scored
   * @param optimizer the default optimizer
   * @param optimizerOptions its default options
   * @param scheduler the default scheduler (null: none)
   * @param schedulerOptions its default options
   * @param epochs the default epoch count
   * @param batchSize the default batch size (0: the whole training set)
   * @param logEvery print an epoch line every this many epochs
   */
  public record Spec(String name, Task task, String optimizer, Map<String, Object> optimizerOptions,
      String scheduler, Map<String, Object> schedulerOptions, int epochs, int batchSize, int logEvery) {}

  private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

  static {
    SPECS.put("mlp", new Spec("mlp", Task.CLASSIFICATION, "SGD",
        ordered("lr", 0.1, "momentum", 0.9, "weight_decay", 5e-4), "MultiStepLR",
        ordered("milestones", List.of(6, 11), "gamma", 0.1), 15, 100, 1));
    SPECS.put("cnn", new Spec("cnn", Task.CLASSIFICATION, "SGD", ordered("lr", 0.1), null, Map.of(), 10, 100, 1));
    SPECS.put("linreg", new Spec("linreg", Task.REGRESSION, "SGD", ordered("lr", 1e-2), null, Map.of(), 5000, 0,
        500));
  }

  private Models() {}

  /** The model names, in the order of the help text. */
  public static Set<String> names() {
    return SPECS.keySet();
  }

  /**
   * The spec of {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the valid ones
   */
  public static Spec spec(String name) {
    Spec s = SPECS.get(name);
    if (s == null) {
      throw new IllegalArgumentException("unknown model '" + name + "'; valid models: " + String.join(", ", names()));
    }
    return s;
  }

  /**
   * A new model {@code name} with weights drawn from {@code init} and dropout masks from {@code dropout}.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  @SuppressWarnings("try")
  public static Sequential create(String name, Generator init, Generator dropout) {
    Sequential model = switch (spec(name).name()) {
      case "mlp" -> new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Dropout(0.2),
          new Linear(512, 256), new ReLU(), new Dropout(0.2), new Linear(256, 10));
      case "cnn" -> new Sequential(new Conv2d(1, 32, 5), new MaxPool2d(3), new ReLU(), new Conv2d(32, 64, 5),
          new MaxPool2d(2), new ReLU(), new Flatten(), new Linear(256, 200), new ReLU(), new Linear(200, 10));
      default -> new Sequential(new Linear(1, 1));
    };
    for (Module m : model.modules()) {
      if (m instanceof Linear l) {
        l.resetParameters(init);
      } else if (m instanceof Conv2d c) {
        c.resetParameters(init);
      } else if (m instanceof Dropout d) {
        d.generator(dropout);
      }
    }
    if (name.equals("linreg")) {
      Linear l = (Linear) model.get(0);
      try (var noGrad = GradMode.noGrad()) {
        l.weight().fill_(1.0);
        l.bias().fill_(0.0);
      }
    }
    return model;
  }

  /** The loss of a task: cross-entropy for classification, mean squared error for regression. */
  public static Loss loss(Task task) {
    return task == Task.CLASSIFICATION ? new CrossEntropyLoss() : new MSELoss();
  }

  private static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
