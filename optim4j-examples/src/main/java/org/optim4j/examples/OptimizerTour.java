package org.optim4j.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.optim4j.nn.CrossEntropyLoss;
import org.optim4j.optim.Adam;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.RMSprop;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.Tensor;

/**
 * The lab's tour of the optimizers: the MLP trained for 5 epochs with SGD with momentum (lr 0.1, momentum
 * 0.9, weight decay 5e-4), then RMSprop and Adam with their default hyperparameters, each from a fresh
 * model ("always remember to reinstantiate the net between tries"), each followed by the test.
 *
 * <pre>{@code
 * Mlp model = new Mlp();
 * Optimizer rmsprop = new RMSprop(model.parameters());   // lr=0.01, alpha=0.99, eps=1e-8
 * SeedTraining.trainModel(model, data.train(), lossFn, rmsprop, 5, null);
 * SeedTraining.testModel(model, data.test());
 * }</pre>
 *
 * <p>On the full MNIST the lab reports 94.5 % training accuracy after 5 epochs of SGD with momentum (94.9 %
 * test) and 91.0 % / 90.2 % for RMSprop. Options: {@code --data DIR --epochs N --train-samples N
 * --test-samples N --seed N}.
 */
public final class OptimizerTour {
  private OptimizerTour() {}

  /** The three optimizers of the tour, by name, as functions of the model's parameters. */
  static Map<String, Function<Iterable<? extends Tensor>, Optimizer>> optimizers() {
    Map<String, Function<Iterable<? extends Tensor>, Optimizer>> m = new LinkedHashMap<>();
    m.put("SGD with momentum", p -> new SGD(p, SGD.options().lr(0.1).weightDecay(5e-4).momentum(0.9)));
    m.put("RMSprop", RMSprop::new);
    m.put("Adam", Adam::new);
    return m;
  }

  /** Runs the tour and returns each optimizer's test accuracy. */
  public static Map<String, Double> run(Args args) {
    SeedTraining.Data data = args.mnist();
    Map<String, Double> accuracies = new LinkedHashMap<>();
    for (Map.Entry<String, Function<Iterable<? extends Tensor>, Optimizer>> e : optimizers().entrySet()) {
      System.out.println("== " + e.getKey() + " ==");
      Tensor.manualSeed(args.seed());
      Mlp model = new Mlp();
      Optimizer optimizer = e.getValue().apply(model.parameters());
      SeedTraining.trainModel(model, data.train(), new CrossEntropyLoss(), optimizer, args.epochs(), null);
      accuracies.put(e.getKey(), SeedTraining.testModel(model, data.test()));
    }
    return accuracies;
  }

  /** Runs the tour; see the class comment for the options. */
  public static void main(String[] args) {
    run(Args.parse(args, 5));
  }
}
