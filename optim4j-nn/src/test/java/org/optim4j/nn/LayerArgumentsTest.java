package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.optim4j.tensor.Tensor;

/** Constructor defaults and argument checks of the layers, with PyTorch's messages. */
class LayerArgumentsTest {

  private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable e) {
    return assertThrows(type, e).getMessage();
  }

  @Test
  void pytorchMessages() {
    assertEquals("dropout probability has to be between 0 and 1, but got 1.5",
        message(IllegalArgumentException.class, () -> new Dropout(1.5)));
    assertEquals("dropout probability has to be between 0 and 1, but got -0.1",
        message(IllegalArgumentException.class, () -> new Dropout(-0.1)));
    assertEquals("expected 2D or 3D input (got 4D input)",
        message(IllegalArgumentException.class, () -> new BatchNorm1d(3).apply(Tensor.zeros(2, 3, 4, 5))));
    assertEquals("expected 4D input (got 2D input)",
        message(IllegalArgumentException.class, () -> new BatchNorm2d(3).apply(Tensor.zeros(2, 3))));
    assertEquals("Padding_idx must be within num_embeddings",
        message(IllegalArgumentException.class, () -> new Embedding(3, 2, 3)));
    assertEquals("Padding_idx must be within num_embeddings",
        message(IllegalArgumentException.class, () -> new Embedding(3, 2, -4)));
    assertEquals("in_channels must be divisible by groups",
        message(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 1, 0, 1, 2, true)));
    assertEquals("out_channels must be divisible by groups",
        message(IllegalArgumentException.class, () -> new Conv2d(4, 3, 3, 1, 0, 1, 2, true)));
    assertEquals("groups must be a positive integer",
        message(IllegalArgumentException.class, () -> new Conv2d(4, 4, 3, 1, 0, 1, 0, true)));
    assertEquals("padding='same' is not supported for strided convolutions", message(IllegalArgumentException.class,
        () -> new Conv2d(4, 4, new int[] {3}, new int[] {2}, "same", new int[] {1}, 1, true)));
  }

  @Test
  void defaults() {
    Conv2d conv = new Conv2d(1, 32, 5);
    assertArrayEquals(new int[] {5, 5}, conv.kernelSize());
    assertArrayEquals(new int[] {1, 1}, conv.stride());
    assertArrayEquals(new int[] {0, 0}, conv.padding());
    assertArrayEquals(new int[] {1, 1}, conv.dilation());
    assertEquals(1, conv.groups());
    assertArrayEquals(new int[] {32}, conv.bias().shape());
    BatchNorm1d bn = new BatchNorm1d(4);
    assertEquals(1e-5, bn.eps());
    assertEquals(0.1, bn.momentum());
    BatchNorm1d plain = new BatchNorm1d(4, 1e-5, null, false, false);
    assertNull(plain.weight());
    assertNull(plain.runningMean());
    assertNull(plain.numBatchesTracked());
    assertEquals(java.util.List.of(), plain.parameters());
    assertEquals(0, plain.stateDict().size());
    assertEquals(0.5, new Dropout().p());
    Embedding e = new Embedding(10, 3, -1);
    assertEquals(9, e.paddingIdx());
    assertEquals("mean", new CrossEntropyLoss().reduction());
    assertEquals(-100, new CrossEntropyLoss().ignoreIndex());
    assertEquals(-100, new NLLLoss().ignoreIndex());
    assertNull(new CrossEntropyLoss().weight());
    Tensor w = Tensor.ones(3);
    CrossEntropyLoss weighted = new CrossEntropyLoss(w, -100, "mean", 0.0);
    assertEquals(java.util.List.of("weight"), java.util.List.copyOf(weighted.stateDict().keySet()));
  }
}
