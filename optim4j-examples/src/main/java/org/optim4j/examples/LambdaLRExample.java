package org.optim4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.optim4j.nn.MSELoss;
import org.optim4j.optim.Adam;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.lr_scheduler.LRScheduler;
import org.optim4j.optim.lr_scheduler.LambdaLR;
import org.optim4j.tensor.Tensor;

/**
 * The notebook "optim explain"'s lr scheduler: Adam (lr 0.01) with {@code LambdaLR(lr_lambda=lambda epoch:
 * 0.95 ** epoch)}, stepped once per epoch after the optimizer's steps (as PyTorch ≥ 1.1 requires). Each
 * epoch prints the group's lr, then {@code get_last_lr()[0]} after the scheduler's step:
 *
 * <pre>
 * 0.01
 * 0.0095
 * 0.0095
 * 0.009025
 * ...
 * </pre>
 */
public final class LambdaLRExample {
  private LambdaLRExample() {}

  /** Trains for {@code epochs} epochs of {@code iterations} iterations; returns the printed lrs. */
  public static List<Double> run(int epochs, int iterations, long seed) {
    Tensor.manualSeed(seed);
    ParamListModule model = new ParamListModule();
    MSELoss loss = new MSELoss();
    Optimizer optimizer = new Adam(model.parameters(), Adam.options().lr(0.01));
    LRScheduler scheduler = new LambdaLR(optimizer, epoch -> Math.pow(0.95, epoch));
    List<Double> printed = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int i = 0; i < iterations; i++) {
        Tensor myloss = loss.apply(model.apply(ParamListModule.input(i)), ParamListModule.target(i));
        optimizer.zeroGrad();
        myloss.backward();
        optimizer.step();
      }
      printed.add(optimizer.paramGroups().get(0).getDouble("lr"));
      System.out.println(printed.get(printed.size() - 1));
      scheduler.step();   // after optimizer.step()
      printed.add(scheduler.getLastLr().get(0));
      System.out.println(printed.get(printed.size() - 1));
    }
    return printed;
  }

  /** Options: {@code --epochs N (default 10) --seed N}. */
  public static void main(String[] args) {
    Args a = Args.parse(args, 10);
    run(a.epochs(), 100, a.seed());
  }
}
