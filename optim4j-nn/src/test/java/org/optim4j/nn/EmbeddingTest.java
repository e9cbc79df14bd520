package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.optim4j.tensor.Tensor;

/** Embedding picks rows, and its padding row gets no gradient (PyTorch's values for the same lookup). */
class EmbeddingTest {

  @Test
  void looksUpRowsAndSkipsThePaddingRowInBackward() {
    Embedding e = new Embedding(4, 2, 1);
    Tensor idx = Tensor.of(new long[] {0, 1, 1, 3}, 2, 2);
    Tensor out = e.apply(idx);
    assertArrayEquals(new int[] {2, 2, 2}, out.shape());
    float[] w = e.weight().toFloatArray();
    assertArrayEquals(new float[] {w[0], w[1], 0, 0, 0, 0, w[6], w[7]}, out.toFloatArray());
    out.sum().backward();
    // PyTorch: nn.Embedding(4, 2, padding_idx=1), e(tensor([[0, 1], [1, 3]])).sum().backward()
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 1, 1}, e.weight().grad().toFloatArray());
  }

  @Test
  void sparseGradient() {
    Embedding e = new Embedding(5, 3, null, true);
    e.apply(Tensor.of(new long[] {4, 0, 4})).sum().backward();
    assertTrue(e.weight().grad().isSparse());
    float[] dense = e.weight().grad().toDense().toFloatArray();
    assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2}, dense);
    e.zeroGrad(false);
    assertTrue(e.weight().grad().isSparse());
    assertArrayEquals(new float[15], e.weight().grad().toDense().toFloatArray());
    assertArrayEquals(new int[] {5, 3}, e.weight().grad().shape());
  }
}
