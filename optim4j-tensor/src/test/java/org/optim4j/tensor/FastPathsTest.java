package org.optim4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.internal.Parallel;

/**
 * The fast paths of the training step against a second computation of the same result: each special
 * case (a broadcast pattern read in place, a typed comparison, a column sum, a fused softmax gradient,
 * the lockstep max-pool windows, the bulk dropout mask, the block copies of index_select, the ReLU
 * kernels, gradient stealing) is compared exactly with the general path, a composition of other
 * operations, or a plain reference loop written here, in float32 and float64.
 */
class FastPathsTest {
  private static final List<DType> FLOATS = List.of(DType.FLOAT32, DType.FLOAT64);

  /** Random values with ties, signed zeros, infinities and NaNs among them. */
  private static Tensor awkward(long seed, DType dtype, int... shape) {
    Generator g = new Generator(seed);
    Tensor t = Tensor.randn(g, DType.FLOAT64, shape);
    double[] v = t.toDoubleArray();
    double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, -1.0};
    for (int i = 0; i < v.length; i++) {
      long r = g.nextLong(10);
      if (r == 0) {
        v[i] = special[(int) g.nextLong(special.length)];
      } else if (r == 1) {
        v[i] = Math.rint(v[i]);
      }
    }
    return Tensor.of(v, shape).to(dtype);
  }

  private static double[] bits(Tensor t) {
    return t.toDoubleArray();
  }

  // ---------------------------------------------------------------------------------------------
  // Broadcasting read in place

  @Test
  void everyBroadcastPatternEqualsTheMaterialisedOperands() {
    int[][][] patterns = {
      {{4, 37}, {37}}, {{4, 37}, {1, 37}}, {{4, 37}, {4, 1}}, {{37}, {4, 37}}, {{4, 1}, {1, 37}},
      {{3, 4, 37}, {4, 1}}, {{3, 4, 37}, {3, 1, 37}}, {{3, 1, 37}, {3, 4, 1}}, {{2, 3, 4, 5}, {3, 1, 5}},
      {{1, 37}, {4, 1}}, {{5, 1, 1}, {1, 1, 9}}
    };
    List<BinaryOperator<Tensor>> ops = List.of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div, Tensor::maximum,
        Tensor::minimum);
    for (DType dtype : FLOATS) {
      for (int[][] p : patterns) {
        Tensor a = awkward(1, dtype, p[0]);
        Tensor b = awkward(2, dtype, p[1]);
        int[] shape = Shape.broadcast(p[0], p[1]);
        Tensor ae = a.expand(shape).contiguous();
        Tensor be = b.expand(shape).contiguous();
        for (BinaryOperator<Tensor> op : ops) {
          assertArrayEquals(bits(op.apply(ae, be)), bits(op.apply(a, b)),
              dtype + " " + Shape.str(p[0]) + " op " + Shape.str(p[1]));
        }
      }
    }
  }

  @Test
  void broadcastingReadsStridedViewsAndMixedDtypesInPlace() {
    for (DType dtype : FLOATS) {
      Tensor big = awkward(3, dtype, 6, 40);
      Tensor a = big.narrow(1, 3, 33);
      Tensor b = awkward(4, DType.FLOAT32, 33);
      Tensor expected = a.contiguous().add(b.to(dtype).expand(6, 33).contiguous());
      assertArrayEquals(bits(expected), bits(a.add(b)));
      Tensor col = awkward(5, dtype, 6, 1);
      Tensor transposed = awkward(6, dtype, 33, 6).t();
      assertArrayEquals(bits(transposed.contiguous().mul(col.expand(6, 33).contiguous())), bits(transposed.mul(col)));
    }
  }

  @Test
  void inPlaceBroadcastingWithAnAliasedOperandReadsTheOriginalValues() {
    Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    t.add_(t.select(0, 0));
    assertArrayEquals(new double[] {2, 4, 4, 6, 6, 8}, t.toDoubleArray());
    Tensor u = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    u.mul_(Tensor.of(new float[] {2, 3}, 2, 1));
    assertArrayEquals(new float[] {2, 4, 6, 12, 15, 18}, u.toFloatArray());
  }

  // ---------------------------------------------------------------------------------------------
  // Comparisons

  @Test
  void typedComparisonsEqualJavaComparisons() {
    for (DType dtype : FLOATS) {
      Tensor a = awkward(7, dtype, 5, 13);
      Tensor b = awkward(8, dtype, 5, 13);
      double[] x = a.toDoubleArray();
      double[] y = b.toDoubleArray();
      boolean[][] expected = new boolean[6][x.length];
      boolean[][] scalar = new boolean[6][x.length];
      for (int i = 0; i < x.length; i++) {
        expected[0][i] = x[i] == y[i];
        expected[1][i] = x[i] != y[i];
        expected[2][i] = x[i] > y[i];
        expected[3][i] = x[i] < y[i];
        expected[4][i] = x[i] >= y[i];
        expected[5][i] = x[i] <= y[i];
        scalar[0][i] = x[i] == 0;
        scalar[1][i] = x[i] != 0;
        scalar[2][i] = x[i] > 0;
        scalar[3][i] = x[i] < 0;
        scalar[4][i] = x[i] >= 0;
        scalar[5][i] = x[i] <= 0;
      }
      List<Tensor> same = List.of(a.eq(b), a.ne(b), a.gt(b), a.lt(b), a.ge(b), a.le(b));
      List<Tensor> zero = List.of(a.eq(0), a.ne(0), a.gt(0), a.lt(0), a.ge(0), a.le(0));
      for (int k = 0; k < 6; k++) {
        assertArrayEquals(expected[k], same.get(k).toBooleanArray(), dtype + " comparison " + k);
        assertArrayEquals(scalar[k], zero.get(k).toBooleanArray(), dtype + " comparison " + k + " with 0");
      }
    }
  }

  @Test
  void int64ComparisonsAreExactBeyondDoublePrecision() {
    long big = (1L << 53) + 1;
    Tensor a = Tensor.of(new long[] {big, big, 3, -4});
    Tensor b = Tensor.of(new long[] {big - 1, big, 3, 4});
    assertArrayEquals(new boolean[] {true, false, false, false}, a.gt(b).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true, true, false}, a.eq(b).toBooleanArray());
    assertArrayEquals(new boolean[] {false, false, false, true}, a.lt(b).toBooleanArray());
    assertArrayEquals(new boolean[] {true, true, false, true}, a.eq(Tensor.scalar(3, DType.INT64)).logicalNot()
        .toBooleanArray());
  }

  // ---------------------------------------------------------------------------------------------
  // Reductions and softmax

  @Test
  void sumsOverLeadingDimensionsEqualRowSumsOfTheTransposedCopy() {
    for (DType dtype : FLOATS) {
      for (int rows : new int[] {1, 5, 8, 19, 100}) {
        Tensor t = awkward(9, dtype, rows, 37);
        Tensor byRows = t.t().contiguous().sum(1, false);
        assertArrayEquals(bits(byRows), bits(t.sum(0, false)), dtype + " rows " + rows);
        assertArrayEquals(bits(byRows), bits(t.sumTo(37)));
        assertArrayEquals(bits(t.t().contiguous().mean(1, true).t()), bits(t.mean(0, true)));
      }
      Tensor three = awkward(10, dtype, 3, 7, 11);
      Tensor expected = three.permute(2, 0, 1).contiguous().reshape(11, 21).sum(1, false);
      assertArrayEquals(bits(expected), bits(three.sum(new int[] {0, 1}, false)));
    }
  }

  @Test
  void fusedSoftmaxGradientsEqualTheirComposition() {
    for (DType dtype : FLOATS) {
      Tensor x = Tensor.randn(new Generator(11), dtype, 9, 10).requiresGrad_();
      Tensor g = Tensor.randn(new Generator(12), dtype, 9, 10);
      Tensor logp = x.logSoftmax(1);
      logp.backward(g);
      Tensor out = logp.detach();
      Tensor expected = g.sub(out.exp().mul(g.sum(1, true)));
      assertArrayEquals(bits(expected), bits(x.grad()));
      x.setGrad(null);
      Tensor p = x.softmax(-1);
      p.backward(g);
      Tensor po = p.detach();
      assertArrayEquals(bits(po.mul(g.sub(g.mul(po).sum(1, true)))), bits(x.grad()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // ReLU, dropout, index_select

  @Test
  void reluIsClampMinZeroAndItsGradientIsThresholdBackward() {
    for (DType dtype : FLOATS) {
      Tensor x = awkward(13, dtype, 7, 11).requiresGrad_();
      Tensor g = awkward(14, dtype, 7, 11);
      Tensor y = x.relu();
      y.backward(g);
      double[] xv = x.toDoubleArray();
      double[] gv = g.toDoubleArray();
      double[] yv = y.toDoubleArray();
      double[] dx = x.grad().toDoubleArray();
      for (int i = 0; i < xv.length; i++) {
        double expected = Double.isNaN(xv[i]) ? xv[i] : xv[i] > 0 ? xv[i] : 0.0;
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(yv[i]), "relu(" + xv[i] + ")");
        double grad = yv[i] <= 0 ? 0.0 : gv[i];
        assertEquals(Double.doubleToLongBits(grad), Double.doubleToLongBits(dx[i]), "grad at " + yv[i]);
      }
      // Operands of two dtypes take the general path, a where() over the comparison.
      Tensor general = Pointwise.reluBackward(g, y.detach().to(dtype == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32));
      assertArrayEquals(dx, general.toDoubleArray());
    }
  }

  @Test
  void bulkDropoutMaskDrawsWhatNextDoubleDraws() {
    for (double keep : new double[] {0.5, 0.75, 0.8, 1e-9, 1 - 1e-12, 0.3333333333333333}) {
      Generator bulk = new Generator(15);
      Generator single = new Generator(15);
      float[] f = new float[1001];
      bulk.bernoulliScaled(f, f.length, keep, 1 / (float) keep);
      for (int i = 0; i < f.length; i++) {
        assertEquals(single.nextDouble() < keep ? 1 / (float) keep : 0f, f[i], "keep " + keep + " at " + i);
      }
      assertEquals(single.nextLong(), bulk.nextLong());
      double[] d = new double[777];
      bulk.bernoulliScaled(d, d.length, keep, 1 / keep);
      for (int i = 0; i < d.length; i++) {
        assertEquals(single.nextDouble() < keep ? 1 / keep : 0.0, d[i]);
      }
      assertArrayEquals(single.getState(), bulk.getState());
    }
  }

  @Test
  void blockIndexSelectEqualsTheStridedCopy() {
    Tensor idx = Tensor.of(new long[] {3, 0, -1, 3, 2});
    for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
      Tensor t = Tensor.randn(new Generator(16), DType.FLOAT64, 4, 5, 6).mul(10).to(dtype);
      for (int dim = 0; dim < 3; dim++) {
        Tensor strided = t.permute(2, 1, 0).contiguous().permute(2, 1, 0);
        assertFalse(strided.isContiguous());
        Tensor viaCopy = strided.indexSelect(dim, dim == 0 ? idx.narrow(0, 0, 4) : idx.narrow(0, 1, 4));
        Tensor viaBlocks = t.indexSelect(dim, dim == 0 ? idx.narrow(0, 0, 4) : idx.narrow(0, 1, 4));
        assertArrayEquals(viaCopy.shape(), viaBlocks.shape());
        assertArrayEquals(viaCopy.toDoubleArray(), viaBlocks.toDoubleArray(), dtype + " dim " + dim);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Max pooling

  /** PyTorch's {@code cpu_max_pool} loop, one window at a time, over one plane. */
  private static void referenceMaxPool(double[] x, int planes, int h, int w, int[] k, int[] s, int[] p, int[] d,
      int outH, int outW, double[] values, long[] indices) {
    for (int c = 0; c < planes; c++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          int ih0 = oh * s[0] - p[0];
          int iw0 = ow * s[1] - p[1];
          int ih1 = Math.min(ih0 + (k[0] - 1) * d[0] + 1, h);
          int iw1 = Math.min(iw0 + (k[1] - 1) * d[1] + 1, w);
          while (ih0 < 0) {
            ih0 += d[0];
          }
          while (iw0 < 0) {
            iw0 += d[1];
          }
          int maxIndex = ih0 * w + iw0;
          double maxVal = Double.NEGATIVE_INFINITY;
          for (int ih = ih0; ih < ih1; ih += d[0]) {
            for (int iw = iw0; iw < iw1; iw += d[1]) {
              double val = x[c * h * w + ih * w + iw];
              if (val > maxVal || Double.isNaN(val)) {
                maxVal = val;
                maxIndex = ih * w + iw;
              }
            }
          }
          int o = (c * outH + oh) * outW + ow;
          values[o] = maxVal;
          indices[o] = maxIndex;
        }
      }
    }
  }

  @Test
  void maxPoolWindowsInLockstepEqualPyTorchsLoop() {
    int cases = 0;
    for (DType dtype : FLOATS) {
      for (int[] hw : new int[][] {{5, 7}, {9, 6}, {24, 24}}) {
        Tensor x = awkward(17 + hw[0], dtype, 2, 3, hw[0], hw[1]);
        double[] xv = x.toDoubleArray();
        for (int kh = 1; kh <= 3; kh++) {
          for (int kw = 1; kw <= 4; kw++) {
            for (int sh = 1; sh <= 3; sh++) {
              for (int sw = 1; sw <= 3; sw++) {
                for (int pad = 0; pad <= 1; pad++) {
                  for (int dil = 1; dil <= 2; dil++) {
                    for (boolean ceil : new boolean[] {false, true}) {
                      int[] k = {kh, kw};
                      int[] s = {sh, sw};
                      int[] p = {Math.min(pad, kh / 2), Math.min(pad, kw / 2)};
                      int[] d = {dil, dil};
                      ValuesAndIndices r;
                      try {
                        r = NnOps.maxPool2dWithIndices(x, k, s, p, d, ceil);
                      } catch (IllegalStateException invalid) {
                        continue;
                      }
                      int[] shape = r.values().shape();
                      double[] values = new double[r.values().numelInt()];
                      long[] indices = new long[values.length];
                      referenceMaxPool(xv, 6, hw[0], hw[1], k, s, p, d, shape[2], shape[3], values, indices);
                      String what = dtype + " " + Shape.str(x.shapeRef()) + " k" + Shape.str(k) + " s" + Shape.str(s)
                          + " p" + Shape.str(p) + " d" + dil + " ceil " + ceil;
                      assertArrayEquals(indices, r.indices().toLongArray(), what);
                      double[] actual = r.values().toDoubleArray();
                      for (int i = 0; i < values.length; i++) {
                        assertEquals(Double.doubleToLongBits(values[i]), Double.doubleToLongBits(actual[i]), what);
                      }
                      cases++;
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    assertTrue(cases > 1000, "cases: " + cases);
  }

  // ---------------------------------------------------------------------------------------------
  // Convolution: col2im split by channels or by images

  @Test
  void convolutionInputGradientDoesNotDependOnHowCol2imSplits() {
    for (DType dtype : FLOATS) {
      for (int channels : new int[] {1, 2, 3}) {
        Tensor x = Tensor.randn(new Generator(20), dtype, 6, channels, 9, 8).requiresGrad_();
        Tensor w = Tensor.randn(new Generator(21), dtype, 4, channels, 3, 2);
        Tensor g = Tensor.randn(new Generator(22), dtype, 6, 4, 5, 7);
        int threads = Parallel.threads();
        List<double[]> grads = new ArrayList<>();
        try {
          for (int t : new int[] {1, 2, 4}) {
            Parallel.setThreads(t);
            x.setGrad(null);
            NnOps.conv2d(x, w, null, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 1).backward(g);
            grads.add(x.grad().toDoubleArray());
          }
        } finally {
          Parallel.setThreads(threads);
        }
        assertArrayEquals(grads.get(0), grads.get(1), dtype + " channels " + channels);
        assertArrayEquals(grads.get(0), grads.get(2), dtype + " channels " + channels);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Gradient stealing

  @Test
  void leavesNeverShareAGradientWithAnotherTensor() {
    Tensor a = Tensor.randn(new Generator(23), DType.FLOAT64, 3, 4).requiresGrad_();
    Tensor b = Tensor.randn(new Generator(24), DType.FLOAT64, 3, 4).requiresGrad_();
    a.add(b).sum().backward();
    assertFalse(a.grad().sharesStorageWith(b.grad()));
    a.grad().add_(1);
    assertArrayEquals(Tensor.onesLike(b).toDoubleArray(), b.grad().toDoubleArray());

    Tensor c = Tensor.randn(new Generator(25), DType.FLOAT64, 3, 4).requiresGrad_();
    Tensor upstream = Tensor.randn(new Generator(26), DType.FLOAT64, 3, 4);
    c.backward(upstream);
    assertFalse(c.grad().sharesStorageWith(upstream));
    Tensor d = Tensor.randn(new Generator(27), DType.FLOAT64, 3, 4).requiresGrad_();
    d.reshape(12).backward(upstream.reshape(12));
    assertFalse(d.grad().sharesStorageWith(upstream));

    Tensor e = Tensor.randn(new Generator(28), DType.FLOAT64, 3, 4).requiresGrad_();
    Tensor twice = e.mul(2.0);
    Tensor s = twice.add(twice).sum();
    s.backward();
    assertArrayEquals(Tensor.fullLike(e, 4).toDoubleArray(), e.grad().toDoubleArray());
    assertFalse(e.grad().isView());
  }

  @Test
  void aStolenGradientAccumulatesLikeACopiedOne() {
    Tensor w = Tensor.randn(new Generator(29), DType.FLOAT32, 5, 3).requiresGrad_();
    Tensor x = Tensor.randn(new Generator(30), DType.FLOAT32, 4, 3);
    Tensor first = NnOps.linear(x, w, null).sum();
    first.backward();
    Tensor once = w.grad().clone();
    Tensor held = w.grad();
    NnOps.linear(x, w, null).sum().backward();
    assertArrayEquals(once.add(once).toFloatArray(), w.grad().toFloatArray());
    assertTrue(held == w.grad());
  }
}
