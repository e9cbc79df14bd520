package org.optim4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every operation with a backward rule, checked by central finite differences in float64 (eps 1e-6,
 * atol 1e-5, rtol 1e-3; see {@link GradCheck}). {@link #everyBackwardRuleHasAnEntry} fails when an
 * {@link Op} is added without an entry here.
 */
class GradcheckTableTest {
  private static final Set<Op> COVERED = EnumSet.noneOf(Op.class);
  private static final Generator RNG = new Generator(1234);

  /** One table row: a function and the generator of its inputs. */
  private record Entry(Function<Tensor[], Tensor> f, Supplier<Tensor[]> inputs) {}

  private static Tensor x(int... shape) {
    return Tensor.randn(RNG, DType.FLOAT64, shape).requiresGrad_(true);
  }

  /** Values in [lo, hi), for functions defined or smooth only there. */
  private static Tensor uniform(double lo, double hi, int... shape) {
    Tensor t = Tensor.rand(RNG, DType.FLOAT64, shape).mul(hi - lo).add(lo);
    return t.detach().requiresGrad_(true);
  }

  /** Values at least 0.1 away from zero (for abs, relu, sign). */
  private static Tensor awayFromZero(int... shape) {
    Tensor u = Tensor.rand(RNG, DType.FLOAT64, shape).add(0.1);
    Tensor s = Tensor.rand(RNG, DType.FLOAT64, shape).gt(0.5).to(DType.FLOAT64).mul(2).sub(1);
    return u.mul(s).detach().requiresGrad_(true);
  }

  private static Tensor[] in(Tensor... t) {
    return t;
  }

  private static Map<String, Entry> table() {
    Map<String, Entry> t = new LinkedHashMap<>();
    t.put("add broadcast", new Entry(a -> a[0].add(a[1]), () -> in(x(2, 3), x(3))));
    t.put("add alpha", new Entry(a -> a[0].add(a[1], -0.5), () -> in(x(2, 3), x(2, 1))));
    t.put("add scalar", new Entry(a -> a[0].add(2.5), () -> in(x(3))));
    t.put("sub", new Entry(a -> a[0].sub(a[1]), () -> in(x(2, 3), x(1, 3))));
    t.put("sub scalar", new Entry(a -> a[0].sub(2.5), () -> in(x(3))));
    t.put("mul", new Entry(a -> a[0].mul(a[1]), () -> in(x(2, 3), x(3))));
    t.put("mul scalar", new Entry(a -> a[0].mul(-1.5), () -> in(x(3))));
    t.put("div", new Entry(a -> a[0].div(a[1]), () -> in(x(2, 3), uniform(0.5, 2, 3))));
    t.put("div scalar", new Entry(a -> a[0].div(3.0), () -> in(x(3))));
    t.put("neg", new Entry(a -> a[0].neg(), () -> in(x(4))));
    t.put("pow scalar", new Entry(a -> a[0].pow(2.5), () -> in(uniform(0.5, 2, 4))));
    t.put("pow tensor", new Entry(a -> a[0].pow(a[1]), () -> in(uniform(0.5, 2, 2, 3), x(3))));
    t.put("pow scalar base", new Entry(a -> Tensor.pow(2.0, a[0]), () -> in(x(4))));
    t.put("sqrt", new Entry(a -> a[0].sqrt(), () -> in(uniform(0.5, 2, 4))));
    t.put("rsqrt", new Entry(a -> a[0].rsqrt(), () -> in(uniform(0.5, 2, 4))));
    t.put("exp", new Entry(a -> a[0].exp(), () -> in(x(4))));
    t.put("log", new Entry(a -> a[0].log(), () -> in(uniform(0.5, 2, 4))));
    t.put("abs", new Entry(a -> a[0].abs(), () -> in(awayFromZero(5))));
    t.put("sign", new Entry(a -> a[0].sign().add(a[0]), () -> in(awayFromZero(5))));
    t.put("clamp", new Entry(a -> a[0].clamp(-0.05, 0.05), () -> in(awayFromZero(6))));
    t.put("clamp inside", new Entry(a -> a[0].clamp(-10, 10), () -> in(x(6))));
    t.put("maximum", new Entry(a -> a[0].maximum(a[1]), () -> in(x(2, 3), x(3))));
    t.put("minimum", new Entry(a -> a[0].minimum(a[1]), () -> in(x(2, 3), x(2, 3))));
    t.put("where", new Entry(a -> Tensor.where(a[0].gt(0), a[0], a[1]), () -> in(awayFromZero(2, 3), x(3))));
    t.put("relu", new Entry(a -> a[0].relu(), () -> in(awayFromZero(6))));
    t.put("sigmoid", new Entry(a -> a[0].sigmoid(), () -> in(x(6))));
    t.put("tanh", new Entry(a -> a[0].tanh(), () -> in(x(6))));
    t.put("sum all", new Entry(a -> a[0].sum(), () -> in(x(2, 3))));
    t.put("sum dims", new Entry(a -> a[0].sum(new int[] {0, 2}, false), () -> in(x(2, 3, 4))));
    t.put("mean keepdim", new Entry(a -> a[0].mean(1, true), () -> in(x(2, 3, 4))));
    t.put("max dim", new Entry(a -> a[0].max(1, false).values(), () -> in(x(3, 4))));
    t.put("min dim keepdim", new Entry(a -> a[0].min(0, true).values(), () -> in(x(3, 4))));
    t.put("max all", new Entry(a -> a[0].max(), () -> in(x(3, 4))));
    t.put("min all", new Entry(a -> a[0].min(), () -> in(x(3, 4))));
    t.put("norm 2", new Entry(a -> a[0].norm(), () -> in(x(3, 4))));
    t.put("norm 1", new Entry(a -> a[0].norm(1), () -> in(awayFromZero(3, 4))));
    t.put("norm inf", new Entry(a -> a[0].norm(Double.POSITIVE_INFINITY), () -> in(x(3, 4))));
    t.put("norm 3 dim", new Entry(a -> a[0].norm(3, 1, false), () -> in(awayFromZero(3, 4))));
    t.put("var", new Entry(a -> a[0].var(1, true), () -> in(x(3, 4))));
    t.put("std corr0", new Entry(a -> a[0].std(new int[] {0, 1}, 0, false), () -> in(x(3, 4))));
    t.put("softmax", new Entry(a -> a[0].softmax(0), () -> in(x(3, 4))));
    t.put("log_softmax", new Entry(a -> a[0].logSoftmax(-1), () -> in(x(3, 4))));
    t.put("mm", new Entry(a -> a[0].mm(a[1]), () -> in(x(2, 3), x(3, 4))));
    t.put("mm transposed", new Entry(a -> a[0].t().mm(a[1].t()), () -> in(x(3, 2), x(4, 3))));
    t.put("bmm", new Entry(a -> a[0].bmm(a[1]), () -> in(x(2, 2, 3), x(2, 3, 2))));
    t.put("matmul 1d1d", new Entry(a -> a[0].matmul(a[1]), () -> in(x(3), x(3))));
    t.put("matmul batched broadcast", new Entry(a -> a[0].matmul(a[1]), () -> in(x(2, 1, 2, 3), x(3, 3, 2))));
    t.put("view", new Entry(a -> a[0].view(3, 2).mul(a[0].reshape(3, 2)), () -> in(x(2, 3))));
    t.put("permute", new Entry(a -> a[0].permute(2, 0, 1).mul(a[1]), () -> in(x(2, 3, 4), x(4, 2, 3))));
    t.put("expand", new Entry(a -> a[0].expand(3, 2, 4), () -> in(x(2, 1))));
    t.put("narrow", new Entry(a -> a[0].narrow(1, 1, 2), () -> in(x(3, 4))));
    t.put("select", new Entry(a -> a[0].select(0, -1), () -> in(x(3, 4))));
    t.put("cat", new Entry(a -> Tensor.cat(List.of(a[0], a[1]), 1), () -> in(x(2, 3), x(2, 1))));
    t.put("stack", new Entry(a -> Tensor.stack(List.of(a[0], a[1]), 0), () -> in(x(2, 3), x(2, 3))));
    t.put("clone", new Entry(a -> a[0].t().contiguous(), () -> in(x(2, 3))));
    t.put("index_select", new Entry(a -> a[0].indexSelect(0, Tensor.of(new long[] {2, 0, 2})), () -> in(x(3, 2))));
    t.put("linear", new Entry(a -> NnOps.linear(a[0], a[1], a[2]), () -> in(x(4, 3), x(2, 3), x(2))));
    t.put("linear 3d no bias", new Entry(a -> NnOps.linear(a[0], a[1], null), () -> in(x(2, 4, 3), x(2, 3))));
    t.put("conv2d", new Entry(a -> NnOps.conv2d(a[0], a[1], a[2], new int[] {2, 1}, new int[] {1, 1},
        new int[] {1, 2}, 1), () -> in(x(2, 2, 5, 6), x(3, 2, 3, 2), x(3))));
    t.put("conv2d groups", new Entry(a -> NnOps.conv2d(a[0], a[1], null, new int[] {1, 1}, new int[] {0, 0},
        new int[] {1, 1}, 2), () -> in(x(1, 4, 4, 4), x(2, 2, 2, 2))));
    t.put("max_pool2d", new Entry(a -> NnOps.maxPool2d(a[0], new int[] {2, 2}, null, new int[] {1, 1},
        new int[] {1, 1}, true), () -> in(x(2, 2, 5, 5))));
    t.put("avg_pool2d", new Entry(a -> NnOps.avgPool2d(a[0], new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1},
        false, false, null), () -> in(x(1, 2, 6, 5))));
    t.put("batch_norm train", new Entry(a -> NnOps.batchNorm(a[0], null, null, a[1], a[2], true, 0.1, 1e-5),
        () -> in(x(4, 3, 2, 2), x(3), x(3))));
    t.put("batch_norm eval", new Entry(a -> NnOps.batchNorm(a[0], Tensor.of(new double[] {0.1, -0.2, 0.3}),
        Tensor.of(new double[] {1.5, 0.5, 2}), a[1], a[2], false, 0.1, 1e-5), () -> in(x(4, 3), x(3), x(3))));
    t.put("dropout", new Entry(a -> NnOps.dropout(a[0], 0.3, true, new Generator(5)), () -> in(x(4, 5))));
    t.put("embedding", new Entry(a -> NnOps.embedding(a[0], Tensor.of(new long[] {1, 3, 1, 0}, 2, 2), null, false),
        () -> in(x(4, 3))));
    t.put("embedding sparse", new Entry(a -> NnOps.embedding(a[0], Tensor.of(new long[] {2, 2, 0}), 1, true),
        () -> in(x(3, 2))));
    t.put("nll_loss", new Entry(a -> NnOps.nllLoss(a[0], Tensor.of(new long[] {1, 0, 2, 1}),
        Tensor.of(new double[] {0.5, 1, 2}), 0, "mean"), () -> in(x(4, 3))));
    t.put("nll_loss 2d", new Entry(a -> NnOps.nllLoss(a[0], Tensor.of(new long[] {1, 0, 2, 1}, 1, 2, 2), null, -100,
        "sum"), () -> in(x(1, 3, 2, 2))));
    t.put("cross_entropy smoothing", new Entry(a -> NnOps.crossEntropy(a[0], Tensor.of(new long[] {1, 0, 2}), null,
        -100, "mean", 0.1), () -> in(x(3, 4))));
    t.put("mse_loss", new Entry(a -> NnOps.mseLoss(a[0], a[1], "mean"), () -> in(x(3, 4), x(3, 4))));
    t.put("l1_loss", new Entry(a -> NnOps.l1Loss(a[0], a[1], "sum"), () -> in(awayFromZero(3, 4),
        Tensor.zeros(DType.FLOAT64, 3, 4))));
    return t;
  }

  @TestFactory
  Stream<DynamicTest> everyEntryMatchesFiniteDifferences() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, Entry> e : table().entrySet()) {
      tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
        Set<Op> ops = GradCheck.check(e.getValue().f(), e.getValue().inputs().get());
        synchronized (COVERED) {
          COVERED.addAll(ops);
        }
      }));
    }
    return tests.stream();
  }

  /** TO_DTYPE loses precision through float32, so it is checked exactly instead of numerically. */
  @Test
  void toDtypePassesTheGradientBackInTheInputDtype() {
    Tensor x = Tensor.of(new double[] {0.25, -1.5, 3}).requiresGrad_(true);
    Tensor y = x.to(DType.FLOAT32).mul(Tensor.of(new float[] {1, 2, 3}));
    synchronized (COVERED) {
      COVERED.addAll(GradCheck.opsOf(y));
    }
    y.sum().backward();
    assertArrayEquals(new double[] {1, 2, 3}, x.grad().toDoubleArray());
  }

  @AfterAll
  static void everyBackwardRuleHasAnEntry() {
    Set<Op> missing = EnumSet.allOf(Op.class);
    missing.remove(Op.ACCUMULATE_GRAD);
    missing.removeAll(COVERED);
    assertTrue(missing.isEmpty(), "operations with a backward rule but no gradcheck entry: " + missing);
  }
}
