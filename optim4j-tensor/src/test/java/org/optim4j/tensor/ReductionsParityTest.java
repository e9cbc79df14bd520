package org.optim4j.tensor;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of {@code fixtures/engine/reductions.json} (sum/mean over all, dims and keepdim,
 * var/std with default and zero correction, norms, max/min over a dim with ties and their int64
 * indices, argmax, softmax/log_softmax with ±1000 rows), float32 and float64: forward values,
 * output dtype and shape, and the gradient of the input, against PyTorch.
 */
class ReductionsParityTest {

  @TestFactory
  Stream<DynamicTest> everyCaseMatchesPyTorch() {
    return ParityCases.of("engine/reductions.json", ReductionsParityTest::dispatch);
  }

  /** The optim4j call for a {@code torch.<op>(a, **kwargs)} of {@code reductions.json}. */
  static List<Tensor> dispatch(TorchCall c) {
    if (c.argCount() != 1) {
      throw c.unsupported();
    }
    Tensor a = c.tensor(0);
    return switch (c.op()) {
      case "sum" -> List.of(sumOrMean(c, a, true));
      case "mean" -> List.of(sumOrMean(c, a, false));
      case "var" -> List.of(varOrStd(c, a, true));
      case "std" -> List.of(varOrStd(c, a, false));
      case "norm" -> List.of(norm(c, a));
      case "max", "min" -> extremum(c, a, c.op().equals("max"));
      case "argmax" -> List.of(c.has("dim") ? a.argmax(c.integer("dim"), c.flag("keepdim", false)) : a.argmax());
      case "softmax" -> List.of(a.softmax(c.integer("dim")));
      case "log_softmax" -> List.of(a.logSoftmax(c.integer("dim")));
      default -> throw c.unsupported();
    };
  }

  /** torch.sum / torch.mean over everything, one dim or a list of dims. */
  private static Tensor sumOrMean(TorchCall c, Tensor a, boolean sum) {
    if (!c.has("dim")) {
      return sum ? a.sum() : a.mean();
    }
    boolean keepdim = c.flag("keepdim", false);
    if (c.isList("dim")) {
      int[] dims = c.dims("dim", a);
      return sum ? a.sum(dims, keepdim) : a.mean(dims, keepdim);
    }
    int dim = c.integer("dim");
    return sum ? a.sum(dim, keepdim) : a.mean(dim, keepdim);
  }

  /** torch.var / torch.std with PyTorch's default correction 1 unless {@code correction} is given. */
  private static Tensor varOrStd(TorchCall c, Tensor a, boolean var) {
    boolean keepdim = c.flag("keepdim", false);
    if (!c.has("correction") && !c.isList("dim")) {
      if (!c.has("dim")) {
        return var ? a.var() : a.std();
      }
      int dim = c.integer("dim");
      return var ? a.var(dim, keepdim) : a.std(dim, keepdim);
    }
    int[] dims = c.dims("dim", a);
    double correction = c.number("correction", 1);
    return var ? a.var(dims, correction, keepdim) : a.std(dims, correction, keepdim);
  }

  /** torch.norm(a, p) over all elements or one dim; p defaults to 2 (Frobenius). */
  private static Tensor norm(TorchCall c, Tensor a) {
    if (c.isList("dim")) {
      throw c.unsupported();
    }
    if (!c.has("dim")) {
      return c.has("p") ? a.norm(c.number("p", 2)) : a.norm();
    }
    return a.norm(c.number("p", 2), c.integer("dim"), c.flag("keepdim", false));
  }

  /** torch.max / torch.min: of everything, or (values, indices) over a dim. */
  private static List<Tensor> extremum(TorchCall c, Tensor a, boolean max) {
    if (!c.has("dim")) {
      return List.of(max ? a.max() : a.min());
    }
    ValuesAndIndices vi = max ? a.max(c.integer("dim"), c.flag("keepdim", false))
        : a.min(c.integer("dim"), c.flag("keepdim", false));
    return List.of(vi.values(), vi.indices());
  }
}
