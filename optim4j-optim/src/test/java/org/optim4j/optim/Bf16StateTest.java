package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optim4j.tensor.BFloat16;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * {@code state_dtype="bfloat16"}, optim4j's extension that keeps the moments of Adam and AdamW and SGD's
 * momentum buffers in bfloat16: the state is bfloat16 at every boundary, the first step equals the float32
 * step with its state rounded, state dicts carry the bfloat16 tensors and resume bit for bit, and the option is
 * absent from groups that do not set it. (The multi-tensor and per-tensor paths are compared in
 * {@link MultiTensorPathTest}.)
 */
class Bf16StateTest {
  private static final int[] SHAPE = {40_000};

  @ParameterizedTest
  @ValueSource(strings = {"Adam", "AdamW", "SGD"})
  void theStateIsBfloat16AndTheFirstStepIsTheFloat32StepRounded(String name) {
    Map<String, Object> options = options(name);
    List<Tensor> f32 = params();
    List<Tensor> bf16 = copies(f32);
    Optimizer reference = Optimizers.create(name, f32, options);
    Map<String, Object> bfOptions = new LinkedHashMap<>(options);
    bfOptions.put("state_dtype", "bfloat16");
    Optimizer optimizer = Optimizers.create(name, bf16, bfOptions);
    setGrads(f32, bf16, 1);
    reference.step();
    optimizer.step();
    for (int i = 0; i < f32.size(); i++) {
      assertArrayEquals(f32.get(i).toFloatArray(), bf16.get(i).toFloatArray(), "the parameters after one step");
      Map<String, Object> expected = reference.state(f32.get(i));
      Map<String, Object> actual = optimizer.state(bf16.get(i));
      assertEquals(expected.keySet(), actual.keySet());
      for (String key : expected.keySet()) {
        Tensor e = (Tensor) expected.get(key);
        Tensor a = (Tensor) actual.get(key);
        if (key.equals("step")) {
          assertEquals(DType.FLOAT32, a.dtype());
          continue;
        }
        assertEquals(DType.BFLOAT16, a.dtype(), key);
        assertArrayEquals(e.shape(), a.shape(), key);
        float[] values = e.toFloatArray();
        short[] rounded = new short[values.length];
        for (int k = 0; k < values.length; k++) {
          rounded[k] = BFloat16.fromFloat(values[k]);
        }
        assertArrayEquals(rounded, a.toBFloat16Bits(), key + " is the float32 state rounded to bfloat16");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Adam", "AdamW", "SGD"})
  void aStateDictCarriesBfloat16AndResumesBitForBit(String name) {
    Map<String, Object> options = new LinkedHashMap<>(options(name));
    options.put("state_dtype", "bfloat16");
    List<Tensor> a = params();
    List<Tensor> b = copies(a);
    Optimizer first = Optimizers.create(name, a, options);
    for (int step = 0; step < 3; step++) {
      setGrads(a, b, step);
      first.step();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> sd = (Map<String, Object>) saved(first.stateDict());
    @SuppressWarnings("unchecked")
    Map<Object, Map<String, Object>> state = (Map<Object, Map<String, Object>>) sd.get("state");
    for (Map<String, Object> s : state.values()) {
      for (Map.Entry<String, Object> e : s.entrySet()) {
        if (!e.getKey().equals("step")) {
          assertEquals(DType.BFLOAT16, ((Tensor) e.getValue()).dtype(), e.getKey() + " in the state dict");
        }
      }
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> groups = (List<Map<String, Object>>) sd.get("param_groups");
    assertEquals("bfloat16", groups.get(0).get("state_dtype"));
    for (int i = 0; i < a.size(); i++) {
      b.get(i).detach().copy_(a.get(i));
    }
    Optimizer second = Optimizers.create(name, b, options(name));
    second.loadStateDict(sd);
    for (int step = 3; step < 6; step++) {
      setGrads(a, b, step);
      first.step();
      second.step();
    }
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), "resumed parameters");
      for (Map.Entry<String, Object> e : second.state(b.get(i)).entrySet()) {
        Tensor t = (Tensor) e.getValue();
        Tensor original = (Tensor) first.state(a.get(i)).get(e.getKey());
        assertEquals(original.dtype(), t.dtype(), e.getKey());
        assertArrayEquals(original.toFloatArray(), t.toFloatArray(), e.getKey());
      }
    }
  }

  @Test
  void theOptionIsAbsentUnlessSetAndChecked() {
    Optimizer plain = new Adam(params(), Adam.options());
    assertFalse(plain.paramGroups().get(0).containsKey("state_dtype"));
    assertFalse(plain.toString().contains("state_dtype"));
    Optimizer bf16 = new AdamW(params(), AdamW.options().stateDtype(DType.BFLOAT16));
    assertEquals("bfloat16", bf16.paramGroups().get(0).get("state_dtype"));
    assertTrue(bf16.toString().contains("state_dtype: bfloat16"), bf16.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SGD.options().stateDtype(DType.FLOAT64));
    assertEquals("SGD option 'state_dtype' must be None or 'bfloat16' (null, \"bfloat16\" or DType.BFLOAT16), got "
        + "DType torch.float64", e.getMessage());
  }

  /** A checkpoint's copy of a state dict: the live tensors cloned (with their dtypes), the containers copied. */
  private static Object saved(Object value) {
    if (value instanceof Tensor t) {
      return t.clone();
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(k, saved(v)));
      return copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(v -> copy.add(saved(v)));
      return copy;
    }
    return value;
  }

  private static Map<String, Object> options(String name) {
    return name.equals("SGD") ? Map.of("lr", 0.01, "momentum", 0.9, "dampening", 0.1) : Map.of("lr", 0.01);
  }

  private static List<Tensor> params() {
    Generator g = new Generator(5);
    List<Tensor> params = new ArrayList<>();
    params.add(Tensor.randn(g, DType.FLOAT32, SHAPE).requiresGrad_(true));
    params.add(Tensor.randn(g, DType.FLOAT32, 3, 7).requiresGrad_(true));
    return params;
  }

  private static List<Tensor> copies(List<Tensor> params) {
    List<Tensor> out = new ArrayList<>();
    for (Tensor p : params) {
      out.add(p.detach().clone().requiresGrad_(true));
    }
    return out;
  }

  private static void setGrads(List<Tensor> a, List<Tensor> b, int seed) {
    Generator g = new Generator(100 + seed);
    for (int i = 0; i < a.size(); i++) {
      Tensor grad = Tensor.randn(g, DType.FLOAT32, a.get(i).shape());
      a.get(i).setGrad(grad);
      b.get(i).setGrad(grad.clone());
    }
  }
}
