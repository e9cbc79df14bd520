package org.optim4j.examples;

import java.util.List;
import org.optim4j.data.MNIST;
import org.optim4j.nn.CrossEntropyLoss;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * The lecture's example putting it all together: {@link Net} trained on MNIST with {@code optim.SGD} at lr
 * 0.1, batch 100, 10 epochs, going through the normalised training set in order ({@code
 * train_input.split(batch_size)}).
 *
 * <pre>{@code
 * for (int e = 0; e < nbEpochs; e++) {
 *   for (int b = 0; b < n; b += batchSize) {
 *     Tensor output = model.apply(trainInput.narrow(0, b, batchSize));
 *     Tensor loss = criterion.apply(output, trainTargets.narrow(0, b, batchSize));
 *     optimizer.zeroGrad();
 *     loss.backward();
 *     optimizer.step();
 *   }
 * }
 * }</pre>
 *
 * <p>Prints the summed training loss of each epoch and the test accuracy at the end. Options: {@code --data
 * DIR --epochs N (default 10) --train-samples N --test-samples N --seed N}.
 */
public final class CnnTraining {
  private CnnTraining() {}

  /** Trains and returns the test accuracy. */
  @SuppressWarnings("try")
  public static double run(Args args) {
    MNIST train = args.data() == null ? MNIST.embedded(true) : new MNIST(args.data(), true);
    MNIST test = args.data() == null ? MNIST.embedded(false) : new MNIST(args.data(), false, train.normalization());
    int n = args.trainSamples() > 0 ? Math.min(args.trainSamples(), train.size()) : train.size();
    Tensor trainInput = train.images().narrow(0, 0, n);
    Tensor trainTargets = train.targets().narrow(0, 0, n);
    double lr = 1e-1;
    int nbEpochs = args.epochs();
    int batchSize = 100;

    Tensor.manualSeed(args.seed());
    Net model = new Net();
    Optimizer optimizer = new SGD(model.parameters(), SGD.options().lr(lr));
    CrossEntropyLoss criterion = new CrossEntropyLoss();

    for (int e = 0; e < nbEpochs; e++) {
      double accLoss = 0;
      List<Tensor> inputs = trainInput.split(batchSize, 0);
      List<Tensor> targets = trainTargets.split(batchSize, 0);
      for (int b = 0; b < inputs.size(); b++) {
        Tensor output = model.apply(inputs.get(b));
        Tensor loss = criterion.apply(output, targets.get(b));
        accLoss += loss.item();
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
      }
      System.out.println(e + " " + accLoss);
    }

    int m = args.testSamples() > 0 ? Math.min(args.testSamples(), test.size()) : test.size();
    long correct = 0;
    model.eval();
    try (var noGrad = GradMode.noGrad()) {
      for (int b = 0; b < m; b += 1000) {
        int len = Math.min(1000, m - b);
        Tensor output = model.apply(test.images().narrow(0, b, len));
        correct += (long) output.argmax(1, false).eq(test.targets().narrow(0, b, len)).sum().item();
      }
    }
    double accuracy = (double) correct / m;
    System.out.println("test accuracy " + accuracy);
    return accuracy;
  }

  /** Runs the lecture's training; see the class comment for the options. */
  public static void main(String[] args) {
    run(Args.parse(args, 10));
  }
}
