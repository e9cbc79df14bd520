package org.optim4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Creation, views, shape operations and printing; expected strings and numbers printed by torch 2.13. */
class TensorBasicsTest {

  @Test
  void printsLikePyTorch() {
    assertEquals("tensor([ 0.1000,  2.5000, -3.2500])", Tensor.of(new float[] {0.1f, 2.5f, -3.25f}).toString());
    assertEquals("tensor([[1., 2.],\n        [3., 4.]])", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
    assertEquals("tensor([1.0000e-05, 1.0000e+00])", Tensor.of(new float[] {1e-5f, 1}).toString());
    assertEquals("tensor([1, 2, 3])", Tensor.of(new long[] {1, 2, 3}).toString());
    assertEquals("tensor([ True, False])", Tensor.of(new boolean[] {true, false}).toString());
    assertEquals("tensor([1.5000, 2.0000], dtype=torch.float64)", Tensor.of(new double[] {1.5, 2}).toString());
    assertEquals("tensor(2.5000)", Tensor.scalar(2.5).toString());
    assertEquals("tensor([], size=(0, 3))", Tensor.zeros(0, 3).toString());
    assertEquals("tensor([])", Tensor.zeros(0).toString());
    assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])",
        Tensor.arange(0, 2000, 1).toString());
    assertEquals("tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n"
        + "        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n"
        + "        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n"
        + "        3.8571, 4.0000, 4.1429])", Tensor.arange(0, 30, 1).div(7).toString());
    assertEquals("tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])",
        Tensor.arange(0, 8, 1).reshape(2, 2, 2).toString());
    assertEquals("tensor([   nan,    inf, 1.5000])",
        Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1.5f}).toString());
    assertEquals("tensor([0., 0., 0.])", Tensor.zeros(3).toString());
    assertEquals("tensor([2., 2.], grad_fn=<MulBackward0>)", Tensor.ones(2).requiresGrad_(true).mul(2).toString());
  }

  @Test
  void linspaceAndArangeRoundLikePyTorch() {
    assertArrayEquals(new float[] {0.0f, 0.1666666716337204f, 0.3333333432674408f, 0.5f, 0.6666666269302368f,
        0.8333333134651184f, 1.0f}, Tensor.linspace(0, 1, 7).toFloatArray());
    assertArrayEquals(new float[] {-3.0f, -2.1111111640930176f, -1.2222222089767456f, -0.3333333134651184f,
        0.5555555820465088f, 1.4444444179534912f, 2.3333332538604736f, 3.222222328186035f, 4.111111164093018f, 5.0f},
        Tensor.linspace(-3, 5, 10).toFloatArray());
    assertArrayEquals(new float[] {0.0f, 0.10000000149011612f, 0.20000000298023224f, 0.30000001192092896f,
        0.4000000059604645f, 0.5f, 0.6000000238418579f, 0.699999988079071f, 0.800000011920929f, 0.8999999761581421f},
        Tensor.arange(0., 1., 0.1).toFloatArray());
    assertArrayEquals(new long[] {2, 3, 4}, Tensor.arange(2, 5).toLongArray());
  }

  @Test
  void viewsShareMemoryAndTrackStrides() {
    Tensor x = Tensor.arange(0, 12, 1).reshape(3, 4);
    Tensor t = x.t();
    assertArrayEquals(new int[] {4, 3}, t.shape());
    assertArrayEquals(new int[] {1, 4}, t.stride());
    assertTrue(!t.isContiguous() && t.contiguous().isContiguous());
    assertArrayEquals(new float[] {1, 5, 9}, t.select(0, 1).toFloatArray());
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, x.narrow(0, 1, 2).toFloatArray());
    assertArrayEquals(new int[] {3, 1, 4}, x.unsqueeze(1).shape());
    assertArrayEquals(new int[] {3, 4}, x.unsqueeze(1).squeeze().shape());
    assertArrayEquals(new int[] {2, 3, 4}, x.expand(2, 3, 4).shape());
    assertArrayEquals(new int[] {0, 4, 1}, x.expand(2, 3, 4).stride());
    assertArrayEquals(new int[] {4, 3}, x.permute(1, 0).shape());
    assertArrayEquals(new int[] {12}, x.flatten().shape());
    assertArrayEquals(new int[] {3, 2, 2}, x.view(3, 2, 2).shape());
    x.narrow(1, 0, 1).fill_(-1);
    assertArrayEquals(new float[] {-1, -1, -1}, x.select(1, 0).toFloatArray());
  }

  @Test
  void splitChunkCatStack() {
    Tensor x = Tensor.arange(0, 10, 1);
    List<Tensor> parts = x.split(4, 0);
    assertEquals(3, parts.size());
    assertArrayEquals(new float[] {8, 9}, parts.get(2).toFloatArray());
    List<Tensor> chunks = x.chunk(3, 0);
    assertEquals(3, chunks.size());
    assertArrayEquals(new int[] {4}, chunks.get(0).shape());
    assertArrayEquals(x.toFloatArray(), Tensor.cat(parts, 0).toFloatArray());
    Tensor s = Tensor.stack(List.of(Tensor.ones(2), Tensor.zeros(2)), 1);
    assertArrayEquals(new float[] {1, 0, 1, 0}, s.toFloatArray());
    assertArrayEquals(new float[] {2, 3, 0, 1},
        Tensor.arange(0, 4, 1).reshape(2, 2).indexSelect(0, Tensor.of(new long[] {1, 0})).toFloatArray());
  }

  @Test
  void catAndStackAreDifferentiable() {
    Tensor a = Tensor.ones(DType.FLOAT64, 2).requiresGrad_(true);
    Tensor b = Tensor.ones(DType.FLOAT64, 3).requiresGrad_(true);
    Tensor w = Tensor.of(new double[] {1, 2, 3, 4, 5});
    Tensor.cat(List.of(a, b), 0).mul(w).sum().backward();
    assertArrayEquals(new double[] {1, 2}, a.grad().toDoubleArray());
    assertArrayEquals(new double[] {3, 4, 5}, b.grad().toDoubleArray());
  }

  @Test
  void generatorsAreSeededAndIndependent() {
    Tensor.manualSeed(7);
    Tensor a = Tensor.randn(5);
    Tensor.manualSeed(7);
    assertArrayEquals(a.toFloatArray(), Tensor.randn(5).toFloatArray());
    Generator g = new Generator(7);
    Tensor p = Tensor.randperm(g, 10);
    long[] sorted = p.toLongArray().clone();
    java.util.Arrays.sort(sorted);
    assertArrayEquals(Tensor.arange(10).toLongArray(), sorted);
    assertNotEquals(0.0, Tensor.rand(g, DType.FLOAT64, 3).sum().item());
    long[] r = Tensor.randint(g, 3, 5, 1000).toLongArray();
    assertTrue(java.util.Arrays.stream(r).allMatch(v -> v >= 3 && v < 5));
  }

  @Test
  void uniformAndNormalMomentsAreRight() {
    Generator g = new Generator(1);
    Tensor u = Tensor.rand(g, DType.FLOAT64, 100_000);
    Tensor n = Tensor.randn(g, DType.FLOAT64, 100_000);
    // 5 sigma of the sample mean and variance.
    assertEquals(0.5, u.mean().item(), 5 * Math.sqrt(1.0 / 12 / 100_000));
    assertEquals(0.0, n.mean().item(), 5 / Math.sqrt(100_000));
    assertEquals(1.0, n.var().item(), 5 * Math.sqrt(2.0 / 100_000));
  }

  @Test
  void conversionsAndComparisons() {
    Tensor x = Tensor.of(new float[] {1.5f, -2f, 0f});
    assertEquals(DType.FLOAT64, x.to(DType.FLOAT64).dtype());
    assertArrayEquals(new boolean[] {true, false, false}, x.gt(0).toBooleanArray());
    assertEquals(1, x.gt(0).sum().item());
    assertEquals(DType.INT64, x.gt(0).sum().dtype());
    assertArrayEquals(new boolean[] {true, true, false},
        Tensor.of(new float[] {1, 2, Float.NaN}).isfinite().toBooleanArray());
    assertEquals(1.5, x.max().item());
    assertEquals(0, x.argmax().item());
  }
}
