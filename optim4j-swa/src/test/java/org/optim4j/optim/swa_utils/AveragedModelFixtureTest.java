package org.optim4j.optim.swa_utils;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optim4j.nn.BatchNorm;
import org.optim4j.nn.BatchNorm1d;
import org.optim4j.nn.Linear;
import org.optim4j.nn.ReLU;
import org.optim4j.nn.Sequential;
import org.optim4j.nn.functional.F;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * Replays fixtures/swa/averaged.json: an MLP with BatchNorm1d trained with SGD on PyTorch's data, averaged at
 * every step from swa_start on by eight AveragedModels (SWA by default, with the single- and multi-tensor
 * SWA and EMA functions, with and without use_buffers); then updateBn over recorded batches. The model, every
 * averaged state dict (n_averaged and module.*) after every update, the statistics after updateBn and the
 * averaged model's output are compared with PyTorch's.
 */
class AveragedModelFixtureTest {
  private static final Fixtures F_AVERAGED = SwaFixtures.load("averaged.json");

  static Sequential mlp(DType dtype) {
    Sequential model = new Sequential(new Linear(4, 6), new BatchNorm1d(6), new ReLU(), new Linear(6, 3));
    model.to(dtype);
    return model;
  }

  static AvgFn avgFn(Object spec) {
    if (spec == null) {
      return null;
    }
    Map<?, ?> m = (Map<?, ?>) spec;
    return m.get("fn").equals("swa") ? SwaUtils.getSwaAvgFn() : SwaUtils.getEmaAvgFn(((Number) m.get("decay"))
        .doubleValue());
  }

  static MultiAvgFn multiAvgFn(Object spec) {
    if (spec == null) {
      return null;
    }
    Map<?, ?> m = (Map<?, ?>) spec;
    return m.get("fn").equals("swa") ? SwaUtils.getSwaMultiAvgFn()
        : SwaUtils.getEmaMultiAvgFn(((Number) m.get("decay")).doubleValue());
  }

  static AveragedModel averager(Map<?, ?> spec, org.optim4j.nn.Module model) {
    return new AveragedModel(model, AveragedModel.options().avgFn(avgFn(spec.get("avg_fn")))
        .multiAvgFn(multiAvgFn(spec.get("multi_avg_fn"))).useBuffers((Boolean) spec.get("use_buffers")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp_float32", "mlp_float64"})
  @SuppressWarnings("try")
  void trainAverageAndUpdateBn(String c) {
    Fixtures f = F_AVERAGED;
    Map<String, Object> cfg = f.config(c);
    DType dtype = c.endsWith("float32") ? DType.FLOAT32 : DType.FLOAT64;
    Sequential model = mlp(dtype);
    model.loadStateDict(SwaFixtures.stateDict(f, c, "init"));
    Map<?, ?> sgd = (Map<?, ?>) cfg.get("sgd");
    Optimizer opt = new SGD(model.parameters(), SGD.options().lr(((Number) sgd.get("lr")).doubleValue())
        .momentum(((Number) sgd.get("momentum")).doubleValue()));
    Map<String, AveragedModel> averagers = new LinkedHashMap<>();
    for (Object spec : (List<?>) cfg.get("averagers")) {
      averagers.put((String) ((Map<?, ?>) spec).get("name"), averager((Map<?, ?>) spec, model));
    }
    FixtureTensor x = f.tensor(c, "x");
    FixtureTensor y = f.tensor(c, "y");
    int steps = (Integer) cfg.get("steps");
    int swaStart = (Integer) cfg.get("swa_start");
    int update = 0;
    for (int t = 1; t <= steps; t++) {
      opt.zeroGrad();
      Tensor loss = F.mseLoss(model.apply(SwaFixtures.rowTensor(x, t - 1)), SwaFixtures.rowTensor(y, t - 1));
      loss.backward();
      opt.step();
      for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
        SwaFixtures.assertRow(c + " model/" + e.getKey() + " step " + t, e.getValue(),
            f.tensor(c, "model/" + e.getKey()), t - 1);
      }
      if (t < swaStart) {
        continue;
      }
      for (Map.Entry<String, AveragedModel> a : averagers.entrySet()) {
        a.getValue().updateParameters(model);
        for (Map.Entry<String, Tensor> e : a.getValue().stateDict().entrySet()) {
          String name = a.getKey() + "/" + e.getKey();
          SwaFixtures.assertRow(c + " " + name + " update " + (update + 1), e.getValue(), f.tensor(c, name), update);
        }
      }
      update++;
    }
    AveragedModel swa = averagers.get((String) cfg.get("update_bn"));
    assertEquals(cfg.get("state_dict_keys"), new ArrayList<>(swa.stateDict().keySet()));

    swa.eval();
    List<Object> loader = new ArrayList<>();
    List<?> kinds = (List<?>) cfg.get("loader");
    for (int i = 0; i < kinds.size(); i++) {
      Tensor bx = SwaFixtures.tensor(f.tensor(c, "bn_x/" + i));
      Tensor by = SwaFixtures.tensor(f.tensor(c, "bn_y/" + i));
      loader.add(switch ((String) kinds.get(i)) {
        case "tensor" -> bx;
        case "list" -> List.of(bx, by);
        default -> new Tensor[] {bx, by};
      });
    }
    SwaUtils.updateBn(loader, swa);
    assertEquals(cfg.get("training_after"), swa.isTraining());
    BatchNorm bn = (BatchNorm) ((Sequential) swa.module()).get(1);
    assertEquals(((Number) cfg.get("momentum_after")).doubleValue(), bn.momentum());
    for (Map.Entry<String, Tensor> e : swa.stateDict().entrySet()) {
      SwaFixtures.assertTensor(c + " update_bn/" + e.getKey(), e.getValue(), f.tensor(c, "update_bn/" + e.getKey()));
    }
    try (var noGrad = GradMode.noGrad()) {
      Tensor out = swa.apply(SwaFixtures.tensor(f.tensor(c, "x_eval")));
      SwaFixtures.assertTensor(c + " update_bn/out", out, f.tensor(c, "update_bn/out"));
    }
  }
}
