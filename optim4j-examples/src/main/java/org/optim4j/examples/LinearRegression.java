package org.optim4j.examples;

import java.util.Locale;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * The seed's linear regression (lecture "Mechanics of learning"): fit {@code t_c ≈ w·t_u + b} by plain
 * gradient descent, written by hand with autograd, 5000 epochs at lr 1e-2 on inputs scaled by 0.1.
 *
 * <pre>{@code
 * Tensor params = Tensor.of(new float[] {1, 0}).requiresGrad_(true);
 * for (int epoch = 1; epoch <= 5000; epoch++) {
 *   params.setGrad(null);
 *   Tensor loss = lossFn(model(tUn, params.select(0, 0), params.select(0, 1)), tC);
 *   loss.backward();
 *   try (var ng = GradMode.noGrad()) {
 *     params.sub_(params.grad().mul(lr));
 *   }
 * }
 * }</pre>
 *
 * <p>PyTorch ends at {@code Loss 2.927647} with {@code tensor([  5.3671, -17.3012], requires_grad=True)}.
 */
public final class LinearRegression {
  /** The temperatures in Celsius. */
  static final double[] T_C = {0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0};
  /** The same temperatures in unknown units. */
  static final double[] T_U = {35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4};

  /** Called after each epoch with the epoch number (from 1), its loss and the updated parameters. */
  @FunctionalInterface
  public interface EpochListener {
    /** Receives one finished epoch. */
    void epoch(int epoch, double loss, Tensor params);
  }

  private LinearRegression() {}

  /** The model {@code w * tU + b}. */
  static Tensor model(Tensor tU, Tensor w, Tensor b) {
    return w.mul(tU).add(b);
  }

  /** Mean squared error. */
  static Tensor lossFn(Tensor tP, Tensor tC) {
    return tP.sub(tC).pow(2).mean();
  }

  /**
   * Runs the training loop from params {@code [1, 0]} and returns the fitted parameters {@code [w, b]}.
   *
   * @param dtype FLOAT32 (the seed's) or FLOAT64
   * @param epochs number of full-batch gradient steps
   * @param learningRate the step size
   * @param listener told about every epoch (the loss is computed before that epoch's update)
   */
  @SuppressWarnings("try")
  public static Tensor train(DType dtype, int epochs, double learningRate, EpochListener listener) {
    Tensor tC = Tensor.of(T_C).to(dtype);
    Tensor tUn = Tensor.of(T_U).to(dtype).mul(0.1);
    Tensor params = Tensor.of(new double[] {1.0, 0.0}).to(dtype).requiresGrad_(true);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      params.setGrad(null);
      Tensor loss = lossFn(model(tUn, params.select(0, 0), params.select(0, 1)), tC);
      loss.backward();
      try (var noGrad = GradMode.noGrad()) {
        params.sub_(params.grad().mul(learningRate));
      }
      listener.epoch(epoch, loss.item(), params);
    }
    return params;
  }

  /** Prints the loss every 500 epochs and the final parameters, like the seed. */
  public static void main(String[] args) {
    Tensor params = train(DType.FLOAT32, 5000, 1e-2, (epoch, loss, p) -> {
      if (epoch % 500 == 0) {
        System.out.println(String.format(Locale.ROOT, "Epoch %d, Loss %f", epoch, loss));
      }
    });
    System.out.println(params);
  }
}
