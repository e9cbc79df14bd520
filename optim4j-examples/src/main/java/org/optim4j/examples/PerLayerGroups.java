package org.optim4j.examples;

import java.util.List;
import org.optim4j.nn.CrossEntropyLoss;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.Tensor;

/**
 * The lab's per-layer parameter groups: SGD over two groups, the first six layers of the MLP and the last
 * two, with a larger weight decay on the second — first by editing {@code param_groups} after construction,
 * then by giving each group its options up front — and the hyperparameters of each group printed as the
 * lab does. Then a few epochs of training with the second optimizer.
 *
 * <pre>{@code
 * Optimizer optimizerDiff = new SGD(List.of(
 *     ParamGroup.of(model.layers.layers(0, 6).parameters()).with("weight_decay", 5e-4),
 *     ParamGroup.of(model.layers.layers(6, 8).parameters()).with("weight_decay", 1e-3)),
 *     SGD.options().momentum(0.9).lr(0.1));
 * }</pre>
 */
public final class PerLayerGroups {
  private PerLayerGroups() {}

  /** Builds both optimizers, prints their groups, trains with the second and returns it. */
  public static Optimizer run(Args args) {
    Tensor.manualSeed(args.seed());
    Mlp model = new Mlp();

    Optimizer optimizerDiff = new SGD(List.of(
        ParamGroup.of(model.layers.layers(0, 6).parameters()),
        ParamGroup.of(model.layers.layers(6, 8).parameters())),
        SGD.options().lr(0.1).weightDecay(5e-4).momentum(0.9));
    System.out.println(optimizerDiff.paramGroups().size());
    optimizerDiff.paramGroups().get(1).set("weight_decay", 1e-3);
    printGroups(optimizerDiff);

    optimizerDiff = new SGD(List.of(
        ParamGroup.of(model.layers.layers(0, 6).parameters()).with("weight_decay", 5e-4),
        ParamGroup.of(model.layers.layers(6, 8).parameters()).with("weight_decay", 1e-3)),
        SGD.options().momentum(0.9).lr(0.1));
    printGroups(optimizerDiff);

    SeedTraining.Data data = args.mnist();
    SeedTraining.trainModel(model, data.train(), new CrossEntropyLoss(), optimizerDiff, args.epochs(), null);
    SeedTraining.testModel(model, data.test());
    return optimizerDiff;
  }

  /** The lab's {@code [[print(hyp, "\t", val) for hyp, val in pg.items() if hyp != "params"] ...]}. */
  static void printGroups(Optimizer optimizer) {
    for (ParamGroup pg : optimizer.paramGroups()) {
      pg.options().forEach((hyp, val) -> System.out.println(hyp + " \t " + val));
    }
  }

  /** Options: {@code --data DIR --epochs N (default 3) --train-samples N --test-samples N --seed N}. */
  public static void main(String[] args) {
    run(Args.parse(args, 3));
  }
}
