package org.optim4j.examples;

import java.util.List;
import java.util.Locale;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.Tensor;

/**
 * The seed's linear regression again, with the hand-written update replaced by {@code optim.SGD} (slides
 * "Mechanics of learning: optimizers"):
 *
 * <pre>{@code
 * Tensor params = Tensor.of(new float[] {1, 0}).requiresGrad_(true);
 * Optimizer optimizer = new SGD(List.of(params), SGD.options().lr(1e-2));
 * for (int epoch = 1; epoch <= 5000; epoch++) {
 *   Tensor loss = lossFn(model(tUn, params.select(0, 0), params.select(0, 1)), tC);
 *   optimizer.zeroGrad();
 *   loss.backward();
 *   optimizer.step();
 * }
 * }</pre>
 *
 * <p>PyTorch ends at loss 2.927647 with {@code tensor([  5.3671, -17.3012], requires_grad=True)}.
 */
public final class LinearRegressionSGD {
  private LinearRegressionSGD() {}

  /** Trains for {@code epochs} full-batch steps at {@code lr} and returns {@code [w, b]}. */
  public static Tensor train(int epochs, double lr, LinearRegression.EpochListener listener) {
    Tensor tC = Tensor.of(LinearRegression.T_C).to(org.optim4j.tensor.DType.FLOAT32);
    Tensor tUn = Tensor.of(LinearRegression.T_U).to(org.optim4j.tensor.DType.FLOAT32).mul(0.1);
    Tensor params = Tensor.of(new float[] {1.0f, 0.0f}).requiresGrad_(true);
    Optimizer optimizer = new SGD(List.of(params), SGD.options().lr(lr));
    for (int epoch = 1; epoch <= epochs; epoch++) {
      Tensor tP = LinearRegression.model(tUn, params.select(0, 0), params.select(0, 1));
      Tensor loss = LinearRegression.lossFn(tP, tC);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      listener.epoch(epoch, loss.item(), params);
    }
    return params;
  }

  /** Prints the loss every 500 epochs and the final parameters, like the slides. */
  public static void main(String[] args) {
    Tensor params = train(5000, 1e-2, (epoch, loss, p) -> {
      if (epoch % 500 == 0) {
        System.out.println(String.format(Locale.ROOT, "Epoch %d, Loss %f", epoch, loss));
      }
    });
    System.out.println(params);
  }
}
