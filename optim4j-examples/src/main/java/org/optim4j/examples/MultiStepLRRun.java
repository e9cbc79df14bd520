package org.optim4j.examples;

import java.util.List;
import org.optim4j.nn.CrossEntropyLoss;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.SGD;
import org.optim4j.optim.lr_scheduler.LRScheduler;
import org.optim4j.optim.lr_scheduler.MultiStepLR;
import org.optim4j.tensor.Tensor;

/**
 * The lab's step-wise lr decay: the MLP trained for 15 epochs with SGD (lr 0.1, momentum 0.9, weight decay
 * 5e-4) and {@code MultiStepLR(milestones=[6, 11], gamma=0.1)}, which divides the lr by 10 before epochs 7
 * and 12; each epoch prints its lr first.
 *
 * <pre>{@code
 * Optimizer optimizer = new SGD(model.parameters(), SGD.options().lr(0.1).weightDecay(5e-4).momentum(0.9));
 * LRScheduler scheduler = new MultiStepLR(optimizer, List.of(6, 11), 0.1);
 * SeedTraining.trainModel(model, data.train(), lossFn, optimizer, 15, scheduler);   // scheduler.step() per epoch
 * }</pre>
 *
 * <p>This is also what {@code ./optim4j} runs by default, with checkpoints, metrics and plots.
 */
public final class MultiStepLRRun {
  private MultiStepLRRun() {}

  /** Trains and tests; returns the test accuracy. */
  public static double run(Args args) {
    Tensor.manualSeed(args.seed());
    Mlp model = new Mlp();
    Optimizer optimizer = new SGD(model.parameters(), SGD.options().lr(0.1).weightDecay(5e-4).momentum(0.9));
    LRScheduler scheduler = new MultiStepLR(optimizer, List.of(6, 11), 0.1);
    SeedTraining.Data data = args.mnist();
    SeedTraining.trainModel(model, data.train(), new CrossEntropyLoss(), optimizer, args.epochs(), scheduler);
    return SeedTraining.testModel(model, data.test());
  }

  /** Options: {@code --data DIR --epochs N (default 15) --train-samples N --test-samples N --seed N}. */
  public static void main(String[] args) {
    run(Args.parse(args, 15));
  }
}
