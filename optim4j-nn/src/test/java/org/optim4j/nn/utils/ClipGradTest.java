package org.optim4j.nn.utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.nn.FixtureTensors;
import org.optim4j.nn.Parameter;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/** clip_grad_norm_ and clip_grad_value_ against PyTorch's results in {@code fixtures/engine/clip.json}. */
class ClipGradTest {
  private static final Fixtures CLIP = Fixtures.load("engine/clip.json");

  @Test
  void everyFixtureCase() {
    assertEquals(14, CLIP.cases().size());
    for (String c : CLIP.cases()) {
      DType dtype = FixtureTensors.caseDtype(c);
      List<Parameter> params = new ArrayList<>();
      for (int i = 0; CLIP.hasTensor(c, "grad" + i); i++) {
        FixtureTensor g = CLIP.tensor(c, "grad" + i);
        Parameter p = new Parameter(Tensor.zeros(dtype, g.shape()));
        p.setGrad(FixtureTensors.of(g));
        params.add(p);
      }
      Map<String, Object> config = CLIP.config(c);
      @SuppressWarnings("unchecked")
      Map<String, Object> kwargs = (Map<String, Object>) config.get("kwargs");
      if (config.get("fn").equals("clip_grad_value_")) {
        Utils.clipGradValue_(params, ((Number) kwargs.get("clip_value")).doubleValue());
      } else {
        Tensor total = Utils.clipGradNorm_(params, ((Number) kwargs.get("max_norm")).doubleValue(),
            ((Number) kwargs.get("norm_type")).doubleValue(),
            (Boolean) kwargs.getOrDefault("error_if_nonfinite", false));
        assertEquals(dtype, total.dtype(), c);
        assertEquals(0, total.dim(), c);
        Tolerance.assertClose(c + " total_norm", total.toDoubleArray(), CLIP.tensor(c, "total_norm"));
      }
      for (int i = 0; i < params.size(); i++) {
        Tensor g = params.get(i).grad();
        assertEquals(dtype, g.dtype(), c);
        Tolerance.assertClose(c + " grad" + i, g.toDoubleArray(), CLIP.tensor(c, "grad" + i + "_after"));
      }
    }
  }

  @Test
  void nonFiniteNormIsAnErrorOnRequestAndNothingIsClipped() {
    Parameter p = new Parameter(Tensor.zeros(2));
    Tensor g = Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1});
    p.setGrad(g);
    // PyTorch's RuntimeError text for norm types 2.0, 3 and inf
    assertEquals("The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. "
        + "To disable this error and scale the gradients by the non-finite norm anyway, set "
        + "`error_if_nonfinite=False`",
        assertThrows(IllegalStateException.class, () -> Utils.clipGradNorm_(List.of(p), 1.0, 2.0, true)).getMessage());
    assertEquals("The total norm of order 3.0 for gradients from `parameters` is non-finite, so it cannot be clipped. "
        + "To disable this error and scale the gradients by the non-finite norm anyway, set "
        + "`error_if_nonfinite=False`",
        assertThrows(IllegalStateException.class, () -> Utils.clipGradNorm_(List.of(p), 1.0, 3, true)).getMessage());
    assertEquals("The total norm of order inf for gradients from `parameters` is non-finite, so it cannot be clipped. "
        + "To disable this error and scale the gradients by the non-finite norm anyway, set "
        + "`error_if_nonfinite=False`", assertThrows(IllegalStateException.class,
            () -> Utils.clipGradNorm_(List.of(p), 1.0, Double.POSITIVE_INFINITY, true)).getMessage());
    assertEquals(1.0, g.toFloatArray()[1]);
  }

  @Test
  void parametersWithoutGradAreSkipped() {
    Parameter none = new Parameter(Tensor.zeros(3));
    Parameter p = new Parameter(Tensor.zeros(2));
    p.setGrad(Tensor.of(new float[] {3, 4}));
    Tensor total = Utils.clipGradNorm_(List.of(none, p), 1.0);
    assertEquals(5.0, total.item());
    assertNull(none.grad());
    Tensor empty = Utils.clipGradNorm_(List.of(none), 1.0);
    assertEquals(DType.FLOAT32, empty.dtype());
    assertEquals(0.0, empty.item());
    Utils.clipGradValue_(List.of(none, p), 0.5);
    assertNull(none.grad());
  }
}
