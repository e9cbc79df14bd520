package org.optim4j.optim.swa_utils;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optim4j.nn.BatchNorm;
import org.optim4j.nn.BatchNorm1d;
import org.optim4j.nn.Linear;
import org.optim4j.nn.ReLU;
import org.optim4j.nn.Sequential;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * Replays fixtures/swa/update_bn.json: an MLP with two BatchNorm1d layers (momentum 0.3 and null) whose
 * running statistics were moved by warm-up batches, in training or evaluation mode; updateBn over bare tensors
 * and lists must give PyTorch's statistics and leave the momenta and the mode as they were.
 */
class UpdateBnFixtureTest {
  private static final Fixtures FIX = SwaFixtures.load("update_bn.json");

  private static Sequential model(DType dtype) {
    Sequential model = new Sequential(new Linear(3, 5), new BatchNorm1d(5, 1e-5, 0.3, true, true), new ReLU(),
        new Linear(5, 4), new BatchNorm1d(4, 1e-5, null, true, true), new Linear(4, 2));
    model.to(dtype);
    return model;
  }

  @ParameterizedTest
  @ValueSource(strings = {"train_float32", "train_float64", "eval_float32", "eval_float64"})
  @SuppressWarnings("try")
  void updateBnMatchesPyTorch(String c) {
    Map<String, Object> cfg = FIX.config(c);
    Sequential model = model(c.endsWith("float32") ? DType.FLOAT32 : DType.FLOAT64);
    model.loadStateDict(SwaFixtures.stateDict(FIX, c, "init"));
    try (var noGrad = GradMode.noGrad()) {
      for (var warm : SwaFixtures.withPrefix(FIX, c, "warm").values()) {
        model.apply(SwaFixtures.tensor(warm));
      }
    }
    model.train(cfg.get("mode").equals("train"));
    List<Object> loader = new ArrayList<>();
    List<?> kinds = (List<?>) cfg.get("loader");
    for (int i = 0; i < kinds.size(); i++) {
      Tensor b = SwaFixtures.tensor(FIX.tensor(c, "batch/" + i));
      loader.add(kinds.get(i).equals("tensor") ? b : List.of(b));
    }
    SwaUtils.updateBn(loader, model);
    assertEquals(cfg.get("training_after"), model.isTraining());
    List<Double> momenta = Arrays.asList(((BatchNorm) model.get(1)).momentum(), ((BatchNorm) model.get(4)).momentum());
    assertEquals(cfg.get("momenta_after"), momenta);
    for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
      SwaFixtures.assertTensor(c + " " + e.getKey(), e.getValue(), FIX.tensor(c, "after/" + e.getKey()));
    }
  }
}
