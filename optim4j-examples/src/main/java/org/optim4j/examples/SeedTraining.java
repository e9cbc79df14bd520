package org.optim4j.examples;

import java.nio.file.Path;
import java.util.List;
import org.optim4j.data.DataLoader;
import org.optim4j.data.MNIST;
import org.optim4j.data.TensorDataset;
import org.optim4j.nn.Loss;
import org.optim4j.nn.Module;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.lr_scheduler.LRScheduler;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * The lab's training helpers, ported line by line: {@code AverageMeter}, {@code accuracy}, {@code
 * train_epoch}, {@code train_model} (with the lr print and the scheduler step of its last version) and
 * {@code test_model}, and the lab's data ({@code mnist.get_data()}: MNIST in batches of 100, the training
 * set shuffled).
 */
public final class SeedTraining {
  private SeedTraining() {}

  /** The lab's {@code AverageMeter}. */
  public static final class AverageMeter {
    private double sum;
    private long count;

    /** Adds a value that stands for {@code n} samples. */
    public void update(double val, long n) {
      sum += val * n;
      count += n;
    }

    /** The weighted sum. */
    public double sum() {
      return sum;
    }

    /** The weighted mean. */
    public double avg() {
      return sum / count;
    }
  }

  /** The lab's data loaders: the training and test loaders of batch 100. */
  public record Data(DataLoader train, DataLoader test) {}

  /**
   * MNIST from {@code root} (after {@code scripts/fetch-data.sh}), or the subset embedded in the jar when
   * {@code root} is null; only the first {@code trainSamples} and {@code testSamples} when they are
   * positive.
   */
  public static Data mnist(Path root, int trainSamples, int testSamples, long seed) {
    MNIST train = root == null ? MNIST.embedded(true) : new MNIST(root, true);
    MNIST test = root == null ? MNIST.embedded(false) : new MNIST(root, false, train.normalization());
    return new Data(new DataLoader(limit(train, trainSamples), DataLoader.options().batchSize(100).shuffle(true)
        .generator(new Generator(seed))), new DataLoader(limit(test, testSamples), 100, false));
  }

  private static TensorDataset limit(MNIST set, int n) {
    return n <= 0 || n >= set.size() ? set
        : new TensorDataset(set.images().narrow(0, 0, n), set.targets().narrow(0, 0, n));
  }

  /** The lab's {@code accuracy}: the fraction of correct predictions in a batch. */
  public static double accuracy(Tensor yHat, Tensor y) {
    return yHat.argmax(1, false).eq(y).sum().item() / y.size(0);
  }

  /** The lab's {@code train_epoch}. */
  public static void trainEpoch(Module model, DataLoader dataloader, Loss lossFn, Optimizer optimizer,
      AverageMeter lossMeter, AverageMeter performanceMeter) {
    for (List<Tensor> batch : dataloader) {
      Tensor x = batch.get(0);
      Tensor y = batch.get(1);
      // 1. reset the gradients previously accumulated by the optimizer
      optimizer.zeroGrad();
      // 2. get the predictions from the current state of the model (the forward pass)
      Tensor yHat = model.apply(x);
      // 3. calculate the loss on the current mini-batch
      Tensor loss = lossFn.apply(yHat, y);
      // 4. execute the backward pass given the current loss
      loss.backward();
      // 5. update the value of the params
      optimizer.step();
      // 6. calculate the accuracy for this mini-batch
      double acc = accuracy(yHat, y);
      // 7. update the loss and accuracy AverageMeter
      lossMeter.update(loss.item(), x.size(0));
      performanceMeter.update(acc, x.size(0));
    }
  }

  /**
   * The lab's {@code train_model}: prints the learning rate before and the seed's line after each epoch,
   * steps {@code lrScheduler} (if not null) after each epoch, and returns the last epoch's {@code [loss sum,
   * mean performance]}.
   */
  public static double[] trainModel(Module model, DataLoader dataloader, Loss lossFn, Optimizer optimizer,
      int numEpochs, LRScheduler lrScheduler) {
    model.train();
    AverageMeter lossMeter = new AverageMeter();
    AverageMeter performanceMeter = new AverageMeter();
    for (int epoch = 0; epoch < numEpochs; epoch++) {
      lossMeter = new AverageMeter();
      performanceMeter = new AverageMeter();
      System.out.printf("Epoch %d --- learning rate %.5f%n", epoch + 1,
          optimizer.paramGroups().get(0).getDouble("lr"));
      trainEpoch(model, dataloader, lossFn, optimizer, lossMeter, performanceMeter);
      System.out.println("Epoch " + (epoch + 1) + " completed. Loss - total: " + lossMeter.sum() + " - average: "
          + lossMeter.avg() + "; Performance: " + performanceMeter.avg());
      if (lrScheduler != null) {
        lrScheduler.step();
      }
    }
    return new double[] {lossMeter.sum(), performanceMeter.avg()};
  }

  /** The lab's {@code test_model} without a loss function: prints and returns the test accuracy. */
  @SuppressWarnings("try")
  public static double testModel(Module model, DataLoader dataloader) {
    AverageMeter performanceMeter = new AverageMeter();
    model.eval();
    try (var noGrad = GradMode.noGrad()) {
      for (List<Tensor> batch : dataloader) {
        Tensor yHat = model.apply(batch.get(0));
        performanceMeter.update(accuracy(yHat, batch.get(1)), batch.get(0).size(0));
      }
    }
    model.train();
    System.out.println("TESTING - loss -- - performance " + performanceMeter.avg());
    return performanceMeter.avg();
  }
}
