package org.optim4j.examples;

import org.optim4j.nn.MSELoss;
import org.optim4j.optim.LBFGS;
import org.optim4j.optim.Optimizer;
import org.optim4j.tensor.Tensor;

/**
 * The notebook "optim explain" with LBFGS: an optimizer that evaluates the model several times per step
 * needs a closure that recomputes the loss, which {@code step(closure)} calls as often as it needs.
 *
 * <pre>{@code
 * Optimizer optimizer = new LBFGS(model.parameters());   // lr=1, max_iter=20, history_size=100
 * Closure closure = () -> {
 *   optimizer.zeroGrad();
 *   Tensor myloss = loss.apply(model.apply(input), target);
 *   myloss.backward();
 *   return myloss;
 * };
 * optimizer.step(closure);
 * }</pre>
 *
 * <p>The notebook's loss falls from 18.4 to about 1e-9 within a few iterations. It prints every loss; this
 * prints the first five and the last of each epoch. Options: {@code --epochs N (default 10) --seed N}.
 */
public final class LbfgsClosure {
  private LbfgsClosure() {}

  /** Trains for {@code epochs} epochs of {@code iterations} iterations; returns the last loss. */
  public static double run(int epochs, int iterations, long seed) {
    Tensor.manualSeed(seed);
    ParamListModule model = new ParamListModule();
    MSELoss loss = new MSELoss();
    Optimizer optimizer = new LBFGS(model.parameters());
    double last = Double.NaN;
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int i = 0; i < iterations; i++) {
        Tensor input = ParamListModule.input(i);
        Tensor target = ParamListModule.target(i);
        Tensor output = model.apply(input);
        Tensor myloss = loss.apply(output, target);
        last = myloss.item();
        if ((epoch == 0 && i < 5) || i == iterations - 1) {
          System.out.println("epoch " + epoch + " iteration " + i + " myloss : " + last);
        }
        optimizer.zeroGrad();
        myloss.backward();
        optimizer.step(() -> {
          optimizer.zeroGrad();
          Tensor l = loss.apply(model.apply(input), target);
          l.backward();
          return l;
        });
      }
    }
    return last;
  }

  /** Runs the notebook's training; see the class comment for the options. */
  public static void main(String[] args) {
    Args a = Args.parse(args, 10);
    run(a.epochs(), 100, a.seed());
  }
}
