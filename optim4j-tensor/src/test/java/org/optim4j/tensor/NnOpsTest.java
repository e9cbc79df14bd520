package org.optim4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.optim4j.tensor.internal.Parallel;

/**
 * {@link NnOps}: finite-difference gradient checks of every backward rule in float64, PyTorch's
 * validation messages, and behaviours checked against closed forms or a second computation (PyTorch
 * parity itself is {@link NnOpsParityTest}).
 */
class NnOpsTest {
  private static final long SEED = 7;

  private static Tensor leaf(long seed, int... shape) {
    return Tensor.randn(new Generator(seed), DType.FLOAT64, shape).requiresGrad_();
  }

  private static void assertOps(Set<Op> ops, Op... expected) {
    for (Op op : expected) {
      assertTrue(ops.contains(op), "graph " + ops + " lacks " + op);
    }
  }

  private static void assertMessage(Class<? extends Throwable> type, String message, Executable call) {
    Throwable e = assertThrows(type, call);
    assertEquals(message, e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // Gradient checks

  @Test
  void linearGradients() {
    Tensor w = leaf(1, 3, 5);
    Tensor b = leaf(2, 3);
    assertOps(GradCheck.check(t -> NnOps.linear(t[0], t[1], t[2]), leaf(3, 4, 5), w, b), Op.ADDMM);
    assertOps(GradCheck.check(t -> NnOps.linear(t[0], t[1], t[2]), leaf(4, 2, 4, 5), w, b), Op.ADDMM, Op.VIEW);
    assertOps(GradCheck.check(t -> NnOps.linear(t[0], t[1], t[2]), leaf(5, 5), w, b), Op.ADDMM);
    assertOps(GradCheck.check(t -> NnOps.linear(t[0], t[1], null), leaf(6, 4, 5), w), Op.MM);
  }

  @Test
  void conv2dGradients() {
    Function<int[], Function<Tensor[], Tensor>> conv = a -> t -> NnOps.conv2d(t[0], t[1], t[2],
        new int[] {a[0], a[1]}, new int[] {a[2], a[3]}, new int[] {a[4], a[5]}, a[6]);
    assertOps(GradCheck.check(conv.apply(new int[] {1, 1, 0, 0, 1, 1, 1}), leaf(1, 2, 2, 5, 6), leaf(2, 3, 2, 3, 3),
        leaf(3, 3)), Op.CONVOLUTION);
    GradCheck.check(conv.apply(new int[] {2, 1, 1, 2, 1, 2, 1}), leaf(4, 2, 3, 6, 7), leaf(5, 2, 3, 2, 3),
        leaf(6, 2));
    GradCheck.check(conv.apply(new int[] {1, 2, 1, 0, 2, 1, 2}), leaf(7, 2, 4, 6, 6), leaf(8, 6, 2, 2, 3),
        leaf(9, 6));
    GradCheck.check(conv.apply(new int[] {1, 1, 1, 1, 1, 1, 1}), leaf(10, 1, 1, 1), leaf(11, 4, 1, 1, 1), null);
    GradCheck.check(t -> NnOps.conv2d(t[0], t[1], null, null, new int[] {1}, null, 1), leaf(12, 2, 5, 4),
        leaf(13, 3, 2, 3, 3));
  }

  @Test
  void maxPool2dGradients() {
    assertOps(GradCheck.check(t -> NnOps.maxPool2d(t[0], new int[] {3}, null, null, null, false), leaf(1, 2, 2, 7, 8)),
        Op.MAX_POOL2D);
    GradCheck.check(t -> NnOps.maxPool2d(t[0], new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}, null, false),
        leaf(2, 2, 5, 6));
    GradCheck.check(t -> NnOps.maxPool2d(t[0], new int[] {3}, new int[] {2}, new int[] {1}, new int[] {2}, true),
        leaf(3, 1, 2, 9, 8));
  }

  @Test
  void avgPool2dGradients() {
    assertOps(GradCheck.check(t -> NnOps.avgPool2d(t[0], new int[] {2}, null, null, false, true, null),
        leaf(1, 2, 2, 6, 7)), Op.AVG_POOL2D);
    GradCheck.check(t -> NnOps.avgPool2d(t[0], new int[] {3}, new int[] {2}, new int[] {1}, true, false, null),
        leaf(2, 1, 2, 8, 7));
    GradCheck.check(t -> NnOps.avgPool2d(t[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1}, true, true, 5),
        leaf(3, 2, 7, 6));
  }

  @Test
  void batchNormGradients() {
    Tensor w = leaf(1, 3);
    Tensor b = leaf(2, 3);
    assertOps(GradCheck.check(t -> NnOps.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5), leaf(3, 5, 3),
        w, b), Op.BATCH_NORM);
    GradCheck.check(t -> NnOps.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5), leaf(4, 2, 3, 3, 4), w, b);
    GradCheck.check(t -> NnOps.batchNorm(t[0], null, null, null, null, true, 0.1, 1e-5), leaf(5, 4, 3, 2));
    Tensor mean = Tensor.randn(new Generator(6), DType.FLOAT64, 3);
    Tensor var = Tensor.rand(new Generator(7), DType.FLOAT64, 3).add(0.5);
    GradCheck.check(t -> NnOps.batchNorm(t[0], mean, var, t[1], t[2], false, 0.1, 1e-5), leaf(8, 2, 3, 4), w, b);
  }

  @Test
  void dropoutGradients() {
    assertOps(GradCheck.check(t -> NnOps.dropout(t[0], 0.4, true, new Generator(SEED)), leaf(1, 4, 5)), Op.DROPOUT);
  }

  /** Padding rows get no gradient by design (see the sparse test), so these pad a row that is not looked up. */
  @Test
  void embeddingGradients() {
    Tensor indices = Tensor.of(new long[] {1, 3, 1, 0, 4, 3}, 2, 3);
    assertOps(GradCheck.check(t -> NnOps.embedding(t[0], indices, null, false), leaf(1, 5, 3)), Op.EMBEDDING);
    GradCheck.check(t -> NnOps.embedding(t[0], indices, -3, false), leaf(2, 5, 3));
    GradCheck.check(t -> NnOps.embedding(t[0], indices, null, true), leaf(3, 5, 3));
  }

  @Test
  void nllLossGradients() {
    Tensor target = Tensor.of(new long[] {2, 0, 4, 2});
    Tensor weight = Tensor.of(new double[] {0.5, 1.5, 1, 2, 0.25});
    for (String reduction : List.of("mean", "sum", "none")) {
      assertOps(GradCheck.check(t -> NnOps.nllLoss(t[0], target, null, -100, reduction), leaf(1, 4, 5)),
          Op.NLL_LOSS);
      GradCheck.check(t -> NnOps.nllLoss(t[0], target, weight, 2, reduction), leaf(2, 4, 5));
    }
    GradCheck.check(t -> NnOps.nllLoss(t[0], Tensor.scalar(3, DType.INT64), weight, -100, "mean"), leaf(3, 5));
    Tensor target4 = Tensor.of(new long[] {0, 1, 2, 2, 1, 0, 2, 2}, 2, 2, 2);
    Tensor target3 = Tensor.of(new long[] {0, 1, 2, 2, 1, 0}, 2, 3);
    Tensor w3 = Tensor.of(new double[] {0.5, 1.5, 2});
    for (String reduction : List.of("mean", "none")) {
      assertOps(GradCheck.check(t -> NnOps.nllLoss(t[0], target4, w3, 1, reduction), leaf(4, 2, 3, 2, 2)),
          Op.NLL_LOSS2D);
      GradCheck.check(t -> NnOps.nllLoss(t[0], target3, null, -100, reduction), leaf(5, 2, 3, 3));
    }
  }

  @Test
  void crossEntropyGradients() {
    Tensor target = Tensor.of(new long[] {2, 0, 4, 2});
    Tensor weight = Tensor.of(new double[] {0.5, 1.5, 1, 2, 0.25});
    assertOps(GradCheck.check(t -> NnOps.crossEntropy(t[0], target, null, -100, "mean", 0), leaf(1, 4, 5)),
        Op.NLL_LOSS, Op.LOG_SOFTMAX);
    GradCheck.check(t -> NnOps.crossEntropy(t[0], target, weight, 0, "mean", 0.2), leaf(2, 4, 5));
    GradCheck.check(t -> NnOps.crossEntropy(t[0], target, null, 2, "none", 0.1), leaf(3, 4, 5));
    Tensor probabilities = Tensor.rand(new Generator(4), DType.FLOAT64, 4, 5).softmax(1);
    GradCheck.check(t -> NnOps.crossEntropy(t[0], probabilities, weight, -100, "mean", 0.1), leaf(5, 4, 5));
    GradCheck.check(t -> NnOps.crossEntropy(t[0], probabilities, null, -100, "none", 0), leaf(6, 4, 5));
  }

  @Test
  void mseAndL1Gradients() {
    for (String reduction : List.of("mean", "sum", "none")) {
      assertOps(GradCheck.check(t -> NnOps.mseLoss(t[0], t[1], reduction), leaf(1, 3, 4), leaf(2, 3, 4)),
          Op.MSE_LOSS);
      assertOps(GradCheck.check(t -> NnOps.mseLoss(t[0], t[1], reduction), leaf(3, 3, 4), leaf(4, 4)),
          Op.MSE_LOSS, Op.EXPAND);
      assertOps(GradCheck.check(t -> NnOps.l1Loss(t[0], t[1], reduction), leaf(5, 3, 4), leaf(6, 3, 1)), Op.ABS);
    }
  }

  @Test
  void backwardNodesHavePyTorchNames() {
    Tensor x = leaf(1, 2, 2, 5, 5);
    assertEquals("ConvolutionBackward0",
        NnOps.conv2d(x, leaf(2, 3, 2, 3, 3), null, null, null, null, 1).gradFn().name());
    assertEquals("MaxPool2DWithIndicesBackward0",
        NnOps.maxPool2d(x, new int[] {2}, null, null, null, false).gradFn().name());
    assertEquals("AvgPool2DBackward0",
        NnOps.avgPool2d(x, new int[] {2}, null, null, false, true, null).gradFn().name());
    assertEquals("NativeBatchNormBackward0",
        NnOps.batchNorm(x, null, null, null, null, true, 0.1, 1e-5).gradFn().name());
    assertEquals("NativeDropoutBackward0", NnOps.dropout(x, 0.5, true, new Generator(1)).gradFn().name());
    assertEquals("AddmmBackward0", NnOps.linear(leaf(3, 4, 5), leaf(4, 3, 5), leaf(5, 3)).gradFn().name());
    assertEquals("EmbeddingBackward0",
        NnOps.embedding(leaf(6, 4, 2), Tensor.of(new long[] {1}), null, false).gradFn().name());
    Tensor target = Tensor.of(new long[] {1, 0});
    assertEquals("NllLossBackward0", NnOps.nllLoss(leaf(7, 2, 3), target, null, -100, "mean").gradFn().name());
    assertEquals("NllLoss2DBackward0", NnOps.nllLoss(leaf(8, 2, 3, 1, 1), target.reshape(2, 1, 1), null, -100,
        "mean").gradFn().name());
    assertEquals("MseLossBackward0", NnOps.mseLoss(leaf(9, 3), leaf(10, 3), "mean").gradFn().name());
  }

  // ---------------------------------------------------------------------------------------------
  // Validation messages

  @Test
  void conv2dValidation() {
    Tensor w = Tensor.zeros(3, 2, 3, 3);
    assertMessage(IllegalStateException.class,
        "Given groups=1, weight of size [3, 2, 3, 3], expected input[2, 4, 7, 7] to have 2 channels, but got 4 "
        + "channels instead",
        () -> NnOps.conv2d(Tensor.zeros(2, 4, 7, 7), w, null, null, null, null, 1));
    assertMessage(IllegalStateException.class,
        "Given groups=1, weight of size [3, 2, 3, 3], expected input[1, 4, 7, 7] to have 2 channels, but got 4 "
        + "channels instead",
        () -> NnOps.conv2d(Tensor.zeros(4, 7, 7), w, null, null, null, null, 1));
    assertMessage(IllegalStateException.class,
        "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than "
        + "actual input size",
        () -> NnOps.conv2d(Tensor.zeros(1, 2, 2, 2), w, null, null, null, null, 1));
    assertMessage(IllegalStateException.class, "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input "
        + "of size: [2, 7]", () -> NnOps.conv2d(Tensor.zeros(2, 7), w, null, null, null, null, 1));
    assertMessage(IllegalStateException.class,
        "Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [[3, 2, 3, 3]] "
        + "instead",
        () -> NnOps.conv2d(Tensor.zeros(1, 4, 7, 7), w, null, null, null, null, 2));
    assertMessage(IllegalStateException.class, "Given weight of size [3, 2, 3, 3], expected bias to be 1-dimensional "
        + "with 3 elements, but got bias of size [4] instead",
        () -> NnOps.conv2d(Tensor.zeros(1, 2, 7, 7), w, Tensor.zeros(4), null, null, null, 1));
    assertMessage(IllegalStateException.class, "non-positive stride is not supported",
        () -> NnOps.conv2d(Tensor.zeros(1, 2, 7, 7), w, null, new int[] {0}, null, null, 1));
    assertMessage(IllegalStateException.class, "Input type (torch.DoubleTensor) and weight type (torch.FloatTensor) "
        + "should be the same",
        () -> NnOps.conv2d(Tensor.zeros(DType.FLOAT64, 1, 2, 7, 7), w, null, null, null, null, 1));
  }

  @Test
  void poolingValidation() {
    Tensor x = Tensor.zeros(1, 1, 6, 6);
    assertMessage(IllegalStateException.class, "pad should be at most half of effective kernel size, but got pad=2, "
        + "kernel_size=3 and dilation=1", () -> NnOps.maxPool2d(x, new int[] {3}, null, new int[] {2}, null, false));
    assertMessage(IllegalStateException.class, "pad should be at most half of effective kernel size, but got pad=2, "
        + "kernel_size=3 and dilation=1",
        () -> NnOps.avgPool2d(x, new int[] {3}, null, new int[] {2}, false, true, null));
    assertMessage(IllegalStateException.class, "pad should be smaller than or equal to half of kernel size, but got "
        + "padW = 2, padH = 2, kW = 3, kH = 3",
        () -> NnOps.maxPool2d(x, new int[] {3}, null, new int[] {2}, new int[] {2}, false));
    assertMessage(IllegalStateException.class,
        "Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small",
        () -> NnOps.maxPool2d(Tensor.zeros(1, 2, 2), new int[] {3}, null, null, null, false));
    assertMessage(IllegalStateException.class, "non-empty 3D or 4D (batch mode) tensor expected for input",
        () -> NnOps.maxPool2d(Tensor.zeros(6, 6), new int[] {2}, null, null, null, false));
    assertMessage(IllegalStateException.class, "divisor must be not zero",
        () -> NnOps.avgPool2d(x, new int[] {2}, null, null, false, true, 0));
  }

  @Test
  void lossValidation() {
    Tensor input = Tensor.zeros(2, 5);
    assertMessage(IndexOutOfBoundsException.class, "Target 7 is out of bounds.",
        () -> NnOps.nllLoss(input, Tensor.of(new long[] {1, 7}), null, -100, "mean"));
    assertMessage(IndexOutOfBoundsException.class, "Target -1 is out of bounds.",
        () -> NnOps.crossEntropy(input, Tensor.of(new long[] {-1, 0}), null, -100, "none", 0));
    assertMessage(IllegalArgumentException.class, "avg is not a valid value for reduction",
        () -> NnOps.nllLoss(input, Tensor.of(new long[] {1, 2}), null, -100, "avg"));
    assertMessage(IllegalArgumentException.class, "avg is not a valid value for reduction",
        () -> NnOps.mseLoss(input, input, "avg"));
    assertMessage(IllegalArgumentException.class, "Expected input batch_size (2) to match target batch_size (3).",
        () -> NnOps.crossEntropy(input, Tensor.of(new long[] {1, 2, 3}), null, -100, "mean", 0));
    assertMessage(IllegalStateException.class,
        "weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [4]",
        () -> NnOps.nllLoss(input, Tensor.of(new long[] {1, 2}), Tensor.ones(4), -100, "mean"));
    assertMessage(IllegalStateException.class, "expected scalar type Long but found Float",
        () -> NnOps.nllLoss(input, Tensor.zeros(2), null, -100, "mean"));
    assertMessage(IllegalStateException.class, "label_smoothing must be between 0.0 and 1.0. Got: 1.5",
        () -> NnOps.crossEntropy(input, Tensor.of(new long[] {1, 2}), null, -100, "mean", 1.5));
    assertMessage(IllegalStateException.class, "The size of tensor a (5) must match the size of tensor b (4) at "
        + "non-singleton dimension 1", () -> NnOps.l1Loss(input, Tensor.zeros(2, 4), "mean"));
  }

  @Test
  void dropoutAndBatchNormValidation() {
    assertMessage(IllegalArgumentException.class, "dropout probability has to be between 0 and 1, but got 1.5",
        () -> NnOps.dropout(Tensor.zeros(3), 1.5, true, null));
    assertMessage(IllegalArgumentException.class, "Expected more than 1 value per channel when training, got input "
        + "size torch.Size([1, 4])",
        () -> NnOps.batchNorm(Tensor.zeros(1, 4), null, null, null, null, true, 0.1, 1e-5));
    assertMessage(IllegalStateException.class, "running_mean must be defined in evaluation mode",
        () -> NnOps.batchNorm(Tensor.zeros(2, 4), null, null, null, null, false, 0.1, 1e-5));
    assertMessage(IllegalStateException.class, "weight should contain 4 elements not 3",
        () -> NnOps.batchNorm(Tensor.zeros(2, 4), null, null, Tensor.ones(3), null, true, 0.1, 1e-5));
    assertMessage(IndexOutOfBoundsException.class, "index out of range in self",
        () -> NnOps.embedding(Tensor.zeros(3, 2), Tensor.of(new long[] {3}), null, false));
    assertMessage(IllegalArgumentException.class, "Padding_idx must be within num_embeddings",
        () -> NnOps.embedding(Tensor.zeros(3, 2), Tensor.of(new long[] {0}), 3, false));
  }

  // ---------------------------------------------------------------------------------------------
  // Behaviour

  @Test
  void maxPoolTakesTheFirstMaximumAndPropagatesNaN() {
    Tensor x = Tensor.of(new double[] {1, 3, 3, 0, 3, 2, 1, 1, Double.NaN, 5, 1, Double.NaN, 2, 9, 9, 2}, 1, 1, 4, 4)
        .requiresGrad_();
    ValuesAndIndices r = NnOps.maxPool2dWithIndices(x, new int[] {2}, null, null, null, false);
    double[] values = r.values().toDoubleArray();
    assertEquals(3, values[0]);
    assertEquals(3, values[1]);
    assertTrue(Double.isNaN(values[2]));
    assertTrue(Double.isNaN(values[3]));
    assertArrayEquals(new long[] {1, 2, 8, 11}, r.indices().toLongArray());
    r.values().sum().backward();
    double[] expected = new double[16];
    expected[1] = expected[2] = expected[8] = expected[11] = 1;
    assertArrayEquals(expected, x.grad().toDoubleArray());
  }

  @Test
  void ceilModeDropsAWindowStartingInTheRightPadding() {
    Tensor x = Tensor.zeros(1, 1, 3, 3);
    assertArrayEquals(new int[] {1, 1, 2, 2},
        NnOps.maxPool2d(x, new int[] {2}, new int[] {2}, new int[] {1}, null, true).shape());
    assertArrayEquals(new int[] {1, 1, 3, 3},
        NnOps.maxPool2d(Tensor.zeros(1, 1, 5, 5), new int[] {2}, new int[] {2}, null, null, true).shape());
    assertArrayEquals(new int[] {1, 1, 2, 2},
        NnOps.avgPool2d(Tensor.zeros(1, 1, 5, 5), new int[] {2}, new int[] {2}, null, false, true, null).shape());
  }

  @Test
  void dropoutScalesKeptValuesAndReturnsTheInputWhenInactive() {
    Tensor x = Tensor.ones(100, 100);
    assertSame(x, NnOps.dropout(x, 0.3, false, null));
    assertSame(x, NnOps.dropout(x, 0, true, null));
    assertArrayEquals(new float[10_000], NnOps.dropout(x, 1, true, null).toFloatArray());
    float[] out = NnOps.dropout(x, 0.3, true, new Generator(SEED)).toFloatArray();
    int zeros = 0;
    for (float v : out) {
      if (v == 0) {
        zeros++;
      } else {
        assertEquals(1 / 0.7f, v);
      }
    }
    assertTrue(Math.abs(zeros - 3000) < 200, "zeros: " + zeros);
    assertArrayEquals(out, NnOps.dropout(x, 0.3, true, new Generator(SEED)).toFloatArray());
  }

  @Test
  void sparseEmbeddingGradientEqualsTheDenseOneAndSkipsPadding() {
    Tensor indices = Tensor.of(new long[] {1, 3, 1, 0, 4, 3}, 2, 3);
    Tensor dense = leaf(1, 5, 3);
    Tensor sparse = dense.detach().clone().requiresGrad_();
    Tensor g = Tensor.randn(new Generator(2), DType.FLOAT64, 2, 3, 3);
    NnOps.embedding(dense, indices, 3, false).backward(g);
    NnOps.embedding(sparse, indices, 3, true).backward(g);
    assertTrue(sparse.grad().isSparse());
    assertEquals(4, sparse.grad().values().size(0));
    assertArrayEquals(dense.grad().toDoubleArray(), sparse.grad().toDense().toDoubleArray());
    double[] row3 = dense.grad().select(0, 3).toDoubleArray();
    assertArrayEquals(new double[3], row3);
  }

  @Test
  void batchNormUpdatesRunningStatisticsWithTheUnbiasedVariance() {
    double[] data = {1, 2, 4, 7, -1, 0.5};
    Tensor x = Tensor.of(data, 3, 2);
    Tensor runningMean = Tensor.of(new double[] {0.5, -0.5});
    Tensor runningVar = Tensor.of(new double[] {2, 3});
    int version = runningMean.version();
    Tensor out = NnOps.batchNorm(x, runningMean, runningVar, null, null, true, 0.25, 0);
    double[] mean = {(1 + 4 - 1) / 3.0, (2 + 7 + 0.5) / 3.0};
    double[] sq = new double[2];
    for (int i = 0; i < 6; i++) {
      sq[i % 2] += (data[i] - mean[i % 2]) * (data[i] - mean[i % 2]);
    }
    assertEquals(0.75 * 0.5 + 0.25 * mean[0], runningMean.toDoubleArray()[0], 1e-15);
    assertEquals(0.75 * -0.5 + 0.25 * mean[1], runningMean.toDoubleArray()[1], 1e-15);
    assertEquals(0.75 * 2 + 0.25 * sq[0] / 2, runningVar.toDoubleArray()[0], 1e-15);
    assertEquals(0.75 * 3 + 0.25 * sq[1] / 2, runningVar.toDoubleArray()[1], 1e-15);
    assertTrue(runningMean.version() > version);
    double[] y = out.toDoubleArray();
    for (int i = 0; i < 6; i++) {
      assertEquals((data[i] - mean[i % 2]) / Math.sqrt(sq[i % 2] / 3), y[i], 1e-12);
    }
  }

  @Test
  void groupedConvolutionEqualsConvolutionsOfTheGroups() {
    Tensor x = Tensor.randn(new Generator(1), DType.FLOAT64, 2, 6, 7, 7);
    Tensor w = Tensor.randn(new Generator(2), DType.FLOAT64, 4, 3, 3, 2);
    Tensor b = Tensor.randn(new Generator(3), DType.FLOAT64, 4);
    int[] s = {2, 1};
    int[] p = {1, 0};
    int[] d = {1, 2};
    Tensor grouped = NnOps.conv2d(x, w, b, s, p, d, 2);
    Tensor first = NnOps.conv2d(x.narrow(1, 0, 3), w.narrow(0, 0, 2), b.narrow(0, 0, 2), s, p, d, 1);
    Tensor second = NnOps.conv2d(x.narrow(1, 3, 3), w.narrow(0, 2, 2), b.narrow(0, 2, 2), s, p, d, 1);
    assertArrayEquals(Tensor.cat(List.of(first, second), 1).toDoubleArray(), grouped.toDoubleArray(), 1e-12);
  }

  /**
   * Five images whose columns (72 × 128²) make chunks of three: results are identical for 1 and 4
   * threads, and in float64 equal to convolving the images one at a time.
   */
  @Test
  void convolutionDoesNotDependOnTheThreadCountOrTheChunking() {
    for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
      Tensor x = Tensor.randn(new Generator(1), dtype, 5, 8, 130, 130).requiresGrad_();
      Tensor w = Tensor.randn(new Generator(2), dtype, 3, 8, 3, 3).requiresGrad_();
      Tensor b = Tensor.randn(new Generator(3), dtype, 3).requiresGrad_();
      Tensor g = Tensor.randn(new Generator(4), dtype, 5, 3, 128, 128);
      int threads = Parallel.threads();
      double[][] results = new double[2][];
      double[][] gradX = new double[2][];
      double[][] gradW = new double[2][];
      try {
        for (int run = 0; run < 2; run++) {
          Parallel.setThreads(run == 0 ? 1 : 4);
          x.setGrad(null);
          w.setGrad(null);
          Tensor out = NnOps.conv2d(x, w, b, null, null, null, 1);
          out.backward(g);
          results[run] = out.toDoubleArray();
          gradX[run] = x.grad().toDoubleArray();
          gradW[run] = w.grad().toDoubleArray();
        }
      } finally {
        Parallel.setThreads(threads);
      }
      assertArrayEquals(results[0], results[1]);
      assertArrayEquals(gradX[0], gradX[1]);
      assertArrayEquals(gradW[0], gradW[1]);
      if (dtype == DType.FLOAT32) {
        continue;
      }
      Tensor perImage = Tensor.zerosLike(w);
      for (int n = 0; n < 5; n++) {
        Tensor xn = x.detach().narrow(0, n, 1).requiresGrad_();
        Tensor wn = w.detach().clone().requiresGrad_();
        Tensor out = NnOps.conv2d(xn, wn, b.detach(), null, null, null, 1);
        out.backward(g.narrow(0, n, 1));
        double[] expected = out.toDoubleArray();
        double[] actual = new double[expected.length];
        System.arraycopy(results[0], n * expected.length, actual, 0, expected.length);
        assertArrayEquals(expected, actual);
        assertArrayEquals(xn.grad().toDoubleArray(), x.grad().select(0, n).toDoubleArray());
        perImage = perImage.add(wn.grad());
      }
      assertArrayEquals(perImage.toDoubleArray(), gradW[0], 1e-9);
    }
  }

  @Test
  void unbatchedInputsKeepTheirRank() {
    Tensor x = leaf(1, 2, 6, 6);
    assertArrayEquals(new int[] {3, 4, 4}, NnOps.conv2d(x, leaf(2, 3, 2, 3, 3), null, null, null, null, 1).shape());
    assertArrayEquals(new int[] {2, 3, 3}, NnOps.maxPool2d(x, new int[] {2}, null, null, null, false).shape());
    Tensor batched = NnOps.avgPool2d(x.unsqueeze(0), new int[] {2}, null, null, false, true, null);
    Tensor unbatched = NnOps.avgPool2d(x, new int[] {2}, null, null, false, true, null);
    assertNotSame(batched, unbatched);
    assertArrayEquals(batched.toDoubleArray(), unbatched.toDoubleArray());
  }
}
