package org.optim4j.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/** The functions that F adds around NnOps: string padding, in-place variants, argument checks. */
class FTest {
  private static final Tensor X = Tensor.arange(12).to(DType.FLOAT32).view(1, 1, 3, 4);

  @Test
  void samePaddingMatchesPyTorchIncludingTheOddCase() {
    Tensor w2 = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
    // F.conv2d(torch.arange(12.).view(1,1,3,4), w, padding='same'[, dilation=2]).flatten() in PyTorch
    assertArrayEquals(new float[] {34, 44, 54, 24, 74, 84, 94, 40, 26, 29, 32, 11},
        F.conv2d(X, w2, null, new int[] {1}, "same", new int[] {1}, 1).toFloatArray());
    assertArrayEquals(new float[] {20, 36, 43, 18, 38, 68, 78, 32, 10, 16, 19, 6},
        F.conv2d(X, w2, null, new int[] {1}, "same", new int[] {2}, 1).toFloatArray());
    Tensor w3 = Tensor.of(new float[] {1, 0, -1, 2, 1, 0, 0, 1, 1}, 1, 1, 3, 3);
    assertArrayEquals(new float[] {9, 12, 17, 14, 20, 30, 35, 32, 3, 23, 26, 37},
        F.conv2d(X, w3, null, new int[] {1}, "same", new int[] {1}, 1).toFloatArray());
    assertArrayEquals(new int[] {1, 1, 1, 2}, F.conv2d(X, w3, null, new int[] {1}, "valid", new int[] {1}, 1).shape());
    assertEquals("padding='same' is not supported for strided convolutions", assertThrows(IllegalStateException.class,
        () -> F.conv2d(X, w2, null, new int[] {2}, "same", new int[] {1}, 1)).getMessage());
    assertEquals("Invalid padding string: 'foo'", assertThrows(IllegalStateException.class,
        () -> F.conv2d(X, w2, null, new int[] {1}, "foo", new int[] {1}, 1)).getMessage());
  }

  @Test
  void inPlaceVariantsOverwriteTheirInput() {
    Tensor t = Tensor.of(new float[] {-1, 2, -3});
    assertSame(t, F.relu(t, true));
    assertArrayEquals(new float[] {0, 2, 0}, t.toFloatArray());
    Tensor u = Tensor.ones(4, 4);
    assertSame(u, F.dropout(u, 0.5, true, true));
    for (float v : u.toFloatArray()) {
      assertTrue(v == 0 || v == 2, "dropout(1, p=0.5) gave " + v);
    }
    Tensor e = Tensor.ones(2);
    assertSame(e, F.dropout(e, 0.5, false));
  }

  @Test
  void argumentChecks() {
    assertEquals("dropout probability has to be between 0 and 1, but got 1.5",
        assertThrows(IllegalArgumentException.class, () -> F.dropout(Tensor.ones(2), 1.5)).getMessage());
    assertEquals("Padding_idx must be within num_embeddings", assertThrows(IllegalArgumentException.class,
        () -> F.embedding(Tensor.of(new long[] {0}), Tensor.ones(3, 2), 3, false)).getMessage());
    assertEquals("foo is not a valid value for reduction", assertThrows(IllegalArgumentException.class,
        () -> F.mseLoss(Tensor.ones(2), Tensor.ones(2), "foo")).getMessage());
    assertEquals("kernel_size must be an int or a pair of ints, got [1, 2, 3]", assertThrows(
        IllegalArgumentException.class, () -> F.maxPool2d(Tensor.ones(1, 1, 4, 4), new int[] {1, 2, 3}, null,
            new int[] {0}, new int[] {1}, false)).getMessage());
  }
}
