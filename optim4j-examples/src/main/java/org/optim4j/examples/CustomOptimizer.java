package org.optim4j.examples;

import org.optim4j.nn.CrossEntropyLoss;
import org.optim4j.tensor.Tensor;

/**
 * The lab's check that the custom {@link SgdAlternate} works: the MLP trained for 3 epochs with it (lr 0.1,
 * momentum 0.9).
 *
 * <pre>{@code
 * Mlp net = new Mlp();
 * SgdAlternate optimAlt = new SgdAlternate(net.parameters(), 0.1, 0.9);
 * SeedTraining.trainModel(net, data.train(), new CrossEntropyLoss(), optimAlt, 3, null);
 * }</pre>
 */
public final class CustomOptimizer {
  private CustomOptimizer() {}

  /** Trains and tests; returns the test accuracy. */
  public static double run(Args args) {
    Tensor.manualSeed(args.seed());
    Mlp net = new Mlp();
    SgdAlternate optimAlt = new SgdAlternate(net.parameters(), 0.1, 0.9);
    SeedTraining.Data data = args.mnist();
    SeedTraining.trainModel(net, data.train(), new CrossEntropyLoss(), optimAlt, args.epochs(), null);
    return SeedTraining.testModel(net, data.test());
  }

  /** Options: {@code --data DIR --epochs N (default 3) --train-samples N --test-samples N --seed N}. */
  public static void main(String[] args) {
    run(Args.parse(args, 3));
  }
}
