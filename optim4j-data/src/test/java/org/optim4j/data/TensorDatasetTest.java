package org.optim4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.Tensor;

class TensorDatasetTest {
  @Test
  void samplesAreTheRowsOfEachTensor() {
    Tensor x = Tensor.of(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
    Tensor y = Tensor.of(new long[] {7, 8, 9});
    TensorDataset ds = new TensorDataset(x, y);
    assertEquals(3, ds.size());
    List<Tensor> sample = ds.get(1);
    assertArrayEquals(new float[] {10, 11}, sample.get(0).toFloatArray());
    assertEquals(8, (long) sample.get(1).item());
    assertEquals(0, sample.get(1).dim());
    assertEquals(9, (long) ds.get(-1).get(1).item());
    assertThrows(IndexOutOfBoundsException.class, () -> ds.get(3));
  }

  @Test
  void sizeMismatchHasPyTorchsMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
    assertEquals("Size mismatch between tensors", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TensorDataset());
    assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.scalar(1)));
  }
}
