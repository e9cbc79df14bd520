package org.optim4j.train;

import java.util.List;
import org.optim4j.data.DataLoader;
import org.optim4j.nn.Loss;
import org.optim4j.nn.Module;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * The seed's {@code test_model}: the loss and performance of a model over a data set, in evaluation mode
 * and without gradients.
 *
 * @param lossTotal the sum of batch loss × batch size (what the seed's TESTING line prints)
 * @param loss the mean loss per sample
 * @param performance the accuracy in [0, 1]; NaN for regression
 * @param samples the number of samples
 */
public record Evaluation(double lossTotal, double loss, double performance, long samples) {

  /** Evaluates {@code model} on every batch of {@code loader}; restores the model's training mode after. */
  @SuppressWarnings("try")
  public static Evaluation of(Module model, DataLoader loader, Loss lossFn, Models.Task task) {
    boolean wasTraining = model.isTraining();
    model.eval();
    AverageMeter loss = new AverageMeter();
    AverageMeter performance = new AverageMeter();
    try (var noGrad = GradMode.noGrad()) {
      for (List<Tensor> batch : loader) {
        Tensor x = batch.get(0);
        Tensor y = batch.get(1);
        Tensor yHat = model.apply(x);
        int n = x.size(0);
        loss.update(lossFn.apply(yHat, y).item(), n);
        performance.update(task == Models.Task.CLASSIFICATION ? accuracy(yHat, y) : Double.NaN, n);
      }
    } finally {
      model.train(wasTraining);
    }
    return new Evaluation(loss.sum(), loss.avg(), performance.avg(), loss.count());
  }

  /** The seed's {@code accuracy}: the fraction of rows whose largest logit is at the target class. */
  public static double accuracy(Tensor logits, Tensor targets) {
    return logits.argmax(1, false).eq(targets).sum().item() / targets.size(0);
  }

  /** The seed's line: {@code TESTING - loss <sum> - performance <accuracy>} ({@code --} when there is none). */
  public String testingLine() {
    return "TESTING - loss " + PyFloat.repr(lossTotal) + " - performance "
        + (Double.isNaN(performance) ? "--" : PyFloat.repr(performance));
  }
}
