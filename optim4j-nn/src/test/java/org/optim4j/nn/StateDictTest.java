package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/** stateDict / loadStateDict against PyTorch 2.13's keys and error messages. */
class StateDictTest {

  @Test
  void roundTripCopiesValuesIntoTheSameParameters() {
    Linear a = new Linear(3, 3);
    Linear b = new Linear(3, 3);
    Parameter weight = b.weight();
    IncompatibleKeys keys = b.loadStateDict(a.stateDict());
    assertTrue(keys.allMatched());
    assertEquals("<All keys matched successfully>", keys.toString());
    assertSame(weight, b.weight());
    assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
    assertArrayEquals(a.bias().toFloatArray(), b.bias().toFloatArray());
    assertTrue(b.weight().requiresGrad());
    assertTrue(b.weight().isLeaf());
  }

  @Test
  @SuppressWarnings("try")
  void entriesAreDetachedAliases() {
    Linear l = new Linear(2, 2);
    Map<String, Tensor> sd = l.stateDict();
    Tensor w = sd.get("weight");
    assertFalse(w.requiresGrad());
    assertTrue(w.sharesStorageWith(l.weight()));
    try (var noGrad = GradMode.noGrad()) {
      l.weight().fill_(7);
    }
    assertEquals(7.0, w.toFloatArray()[0]);
    assertSame(l.weight(), l.stateDict(true).get("weight"));
  }

  @Test
  void nonPersistentBuffersAndNullsAreLeftOut() {
    TestModels.M m = new TestModels.M();
    assertTrue(m.stateDict().containsKey("step"));
    assertFalse(m.stateDict().containsKey("tmp"));
  }

  private static Map<String, Tensor> of(Object... keyValues) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], (Tensor) keyValues[i + 1]);
    }
    return m;
  }

  private static String loadError(Module m, Map<String, Tensor> sd) {
    return assertThrows(IllegalStateException.class, () -> m.loadStateDict(sd)).getMessage();
  }

  @Test
  void errorMessagesArePyTorchs() {
    Linear l = new Linear(3, 3);
    // Messages printed by PyTorch 2.13 for nn.Linear(3, 3).load_state_dict(...)
    assertEquals("Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: \"bias\". ",
        loadError(l, of("weight", Tensor.zeros(3, 3))));
    assertEquals("Error(s) in loading state_dict for Linear:\n\tUnexpected key(s) in state_dict: \"extra\". ",
        loadError(l, of("weight", Tensor.zeros(3, 3), "bias", Tensor.zeros(3), "extra", Tensor.zeros(1))));
    assertEquals("Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param with shape "
        + "torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([3, 3]).",
        loadError(l, of("weight", Tensor.zeros(2, 3), "bias", Tensor.zeros(3))));
    assertEquals("Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: \"bias\". \n\tsize "
        + "mismatch for weight: copying a param with shape torch.Size([2, 3]) from checkpoint, the shape in current "
        + "model is torch.Size([3, 3]).", loadError(l, of("weight", Tensor.zeros(2, 3))));
    assertEquals("Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: \"bias\". \n\t"
        + "Unexpected key(s) in state_dict: \"extra\". \n\tsize mismatch for weight: copying a param with shape "
        + "torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([3, 3]).",
        loadError(l, of("weight", Tensor.zeros(2, 3), "extra", Tensor.zeros(1))));
  }

  @Test
  void nestedErrorsAreCollectedInPyTorchsOrder() {
    Sequential s = new Sequential(new Linear(2, 3), new Sequential(new Linear(3, 3), new BatchNorm1d(3)), new ReLU());
    assertEquals(List.of("0.weight", "0.bias", "1.0.weight", "1.0.bias", "1.1.weight", "1.1.bias", "1.1.running_mean",
        "1.1.running_var", "1.1.num_batches_tracked"), List.copyOf(s.stateDict().keySet()));
    Map<String, Tensor> sd = new LinkedHashMap<>(s.stateDict());
    sd.remove("1.1.num_batches_tracked");
    sd.remove("0.bias");
    sd.put("1.0.foo", Tensor.zeros(1));
    sd.put("2.weight", Tensor.zeros(1));
    sd.put("3.weight", Tensor.zeros(1));
    sd.put("top", Tensor.zeros(1));
    sd.put("1.1.running_mean", Tensor.zeros(4));
    // PyTorch with a plain dict (no _metadata, so BatchNorm fills in num_batches_tracked)
    assertEquals("Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"0.bias\". \n\t"
        + "Unexpected key(s) in state_dict: \"3.weight\", \"top\", \"1.0.foo\", \"2.weight\". \n\tsize mismatch for "
        + "1.1.running_mean: copying a param with shape torch.Size([4]) from checkpoint, the shape in current model "
        + "is torch.Size([3]).", loadError(s, sd));
  }

  @Test
  void nothingIsCopiedWhenAnyEntryFails() {
    Linear l = new Linear(3, 3);
    float[] before = l.weight().toFloatArray();
    float[] biasBefore = l.bias().toFloatArray();
    loadError(l, of("weight", Tensor.ones(3, 3), "bias", Tensor.ones(4)));
    assertArrayEquals(before, l.weight().toFloatArray());
    assertArrayEquals(biasBefore, l.bias().toFloatArray());
    loadError(l, of("weight", Tensor.ones(3, 3), "bias", Tensor.ones(3), "extra", Tensor.ones(1)));
    assertArrayEquals(before, l.weight().toFloatArray());
  }

  @Test
  void nonStrictLoadsWhatMatchesAndReportsTheRest() {
    Linear l = new Linear(3, 3);
    IncompatibleKeys keys = l.loadStateDict(of("weight", Tensor.ones(3, 3), "extra", Tensor.zeros(1)), false);
    assertEquals(List.of("bias"), keys.missingKeys());
    assertEquals(List.of("extra"), keys.unexpectedKeys());
    // PyTorch: print(l.load_state_dict({...}, strict=False))
    assertEquals("_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=['extra'])", keys.toString());
    assertArrayEquals(Tensor.ones(3, 3).toFloatArray(), l.weight().toFloatArray());
    assertEquals("Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param with shape "
        + "torch.Size([2, 3]) from checkpoint, the shape in current model is torch.Size([3, 3]).",
        assertThrows(IllegalStateException.class, () -> l.loadStateDict(of("weight", Tensor.zeros(2, 3)), false))
            .getMessage());
  }

  @Test
  void batchNormWithoutNumBatchesTrackedLoadsAndValuesConvert() {
    BatchNorm1d bn = new BatchNorm1d(2);
    Map<String, Tensor> sd = new HashMap<>();
    sd.put("weight", Tensor.of(new double[] {2, 3}));
    sd.put("bias", Tensor.zeros(2));
    sd.put("running_mean", Tensor.ones(2));
    sd.put("running_var", Tensor.ones(2));
    assertTrue(bn.loadStateDict(sd).allMatched());
    assertEquals(DType.FLOAT32, bn.weight().dtype());
    assertArrayEquals(new float[] {2, 3}, bn.weight().toFloatArray());
    assertEquals(0, bn.numBatchesTracked().item());
  }

  @Test
  void zeroDimMembersAcceptOneElementVectorsAndNullsAreErrors() {
    BatchNorm1d bn = new BatchNorm1d(2);
    Map<String, Tensor> sd = new LinkedHashMap<>(bn.stateDict());
    sd.put("num_batches_tracked", Tensor.of(new long[] {5}));
    bn.loadStateDict(sd);
    assertEquals(5, bn.numBatchesTracked().item());
    assertEquals(0, bn.numBatchesTracked().dim());
    sd.put("weight", null);
    assertEquals("Error(s) in loading state_dict for BatchNorm1d:\n\tWhile copying the parameter named \"weight\", "
        + "expected torch.Tensor or Tensor-like object from checkpoint but received <class 'NoneType'>",
        loadError(bn, sd));
  }
}
