package org.optim4j.optim.swa_utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.optim4j.nn.BatchNorm1d;
import org.optim4j.nn.Linear;
import org.optim4j.nn.Module;
import org.optim4j.nn.Sequential;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * fixtures/swa/api.json: every error PyTorch raises in swa_utils, with its message, raised by the same Java
 * call as the matching exception type; and the representation of an AveragedModel.
 */
class ApiFixtureTest {
  private static final Fixtures FIX = SwaFixtures.load("api.json");

  /**
   * PyTorch's exception types as Java's (API.md); PyTorch's {@code AssertionError} for two averaging functions is
   * an argument error here.
   */
  private static final Map<String, Class<? extends RuntimeException>> TYPES = Map.of(
      "ValueError", IllegalArgumentException.class,
      "KeyError", IllegalStateException.class,
      "RuntimeError", IllegalStateException.class,
      "AssertionError", IllegalArgumentException.class);

  static Stream<Arguments> rows() {
    return ((List<?>) FIX.config("errors").get("rows")).stream().map(r -> {
      List<?> row = (List<?>) r;
      return Arguments.of(row.get(0), row.get(1), row.get(2), row.get(3));
    });
  }

  static Module model(Object name) {
    return switch ((String) name) {
      case "linear_bn" -> new Sequential(new Linear(2, 2), new BatchNorm1d(2));
      case "linear_bn_untracked" -> new Sequential(new Linear(2, 2), new BatchNorm1d(2, 1e-5, 0.1, true, false));
      default -> throw new AssertionError("unknown model " + name);
    };
  }

  static Executable call(String call, Map<?, ?> kwargs) {
    return switch (call) {
      case "SWALR" -> () -> SwalrFixtureTest.swalr(SwalrFixtureTest.sgdTwoGroups(), kwargs);
      case "get_ema_multi_avg_fn" -> () -> SwaUtils.getEmaMultiAvgFn(((Number) kwargs.get("decay")).doubleValue());
      case "get_ema_avg_fn" -> () -> SwaUtils.getEmaAvgFn(((Number) kwargs.get("decay")).doubleValue());
      case "AveragedModel" -> () -> AveragedModelFixtureTest.averager(kwargs, model("linear_bn"));
      case "update_parameters" -> () -> {
        Module m = model(kwargs.get("model"));
        AveragedModel av = AveragedModelFixtureTest.averager(kwargs, m);
        m.apply(Tensor.randn(4, 2));
        av.updateParameters(m);
        m.apply(Tensor.randn(4, 2));
        av.updateParameters(m);
      };
      case "update_parameters_other" -> () -> AveragedModelFixtureTest.averager(kwargs, model(kwargs.get("model")))
          .updateParameters(model(kwargs.get("other")));
      default -> throw new AssertionError("unknown call " + call);
    };
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("rows")
  void errorMatchesPyTorch(String call, Map<?, ?> kwargs, String type, String message) {
    Class<? extends RuntimeException> expected = TYPES.get(type);
    RuntimeException e = assertThrows(expected, call(call, kwargs), call + " " + kwargs);
    assertEquals(expected, e.getClass(), call + " " + kwargs);
    assertEquals(message, e.getMessage(), call + " " + kwargs);
  }

  @Test
  void reprMatchesPyTorch() {
    Map<String, Object> cfg = FIX.config("repr");
    AveragedModel av = new AveragedModel(AveragedModelFixtureTest.mlp(DType.FLOAT32));
    assertEquals(cfg.get("repr"), av.toString());
  }
}
