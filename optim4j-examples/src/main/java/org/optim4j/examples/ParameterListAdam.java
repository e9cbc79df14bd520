package org.optim4j.examples;

import org.optim4j.nn.MSELoss;
import org.optim4j.optim.Adam;
import org.optim4j.optim.Optimizer;
import org.optim4j.tensor.Tensor;

/**
 * The notebook "optim explain": {@link ParamListModule} trained with Adam (lr 0.01) on the notebook's
 * inputs {@code ones(10, 10) * i} and targets {@code ones(10, 1) * i}, 10 epochs of 100 iterations, the
 * three steps of every iteration being {@code zeroGrad}, {@code backward} and {@code step}; then the
 * parameter shapes and {@code param_groups[0]} are printed.
 *
 * <pre>{@code
 * Optimizer optimizer = new Adam(model.parameters(), Adam.options().lr(0.01));
 * Tensor myloss = loss.apply(model.apply(input), target);
 * optimizer.zeroGrad();   // grad = 0
 * myloss.backward();      // grad = grad + updated_grad
 * optimizer.step();       // data = opt(data, grad)
 * }</pre>
 *
 * <p>The notebook prints every loss; this prints the last loss of each epoch. Options: {@code --epochs N
 * (default 10) --seed N}.
 */
public final class ParameterListAdam {
  private ParameterListAdam() {}

  /** Trains for {@code epochs} epochs of {@code iterations} iterations; returns the last loss. */
  public static double run(int epochs, int iterations, long seed) {
    Tensor.manualSeed(seed);
    ParamListModule model = new ParamListModule();
    MSELoss loss = new MSELoss();
    Optimizer optimizer = new Adam(model.parameters(), Adam.options().lr(0.01));
    double last = Double.NaN;
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int i = 0; i < iterations; i++) {
        Tensor output = model.apply(ParamListModule.input(i));
        Tensor myloss = loss.apply(output, ParamListModule.target(i));
        optimizer.zeroGrad();
        myloss.backward();
        optimizer.step();
        last = myloss.item();
      }
      System.out.println("epoch " + epoch + " myloss : " + last);
    }
    System.out.println("=====para=====");
    for (Tensor p : model.parameters()) {
      System.out.println(java.util.Arrays.toString(p.shape()));
    }
    System.out.println(optimizer.paramGroups().get(0).options());
    return last;
  }

  /** Runs the notebook's training; see the class comment for the options. */
  public static void main(String[] args) {
    Args a = Args.parse(args, 10);
    run(a.epochs(), 100, a.seed());
  }
}
