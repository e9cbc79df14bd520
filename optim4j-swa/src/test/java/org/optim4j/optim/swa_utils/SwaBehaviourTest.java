package org.optim4j.optim.swa_utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.nn.BatchNorm;
import org.optim4j.nn.BatchNorm1d;
import org.optim4j.nn.Linear;
import org.optim4j.nn.Module;
import org.optim4j.nn.Parameter;
import org.optim4j.nn.ReLU;
import org.optim4j.nn.Sequential;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.SGD;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.GradMode;
import org.optim4j.tensor.Tensor;

/**
 * Behaviour checked against closed forms and the examples verified in PyTorch (torch-optim-spec §5), and the
 * documented differences (nothing half-applied, the momenta restored when the model throws).
 */
class SwaBehaviourTest {

  /** A module with one parameter {@code w}, set by hand. */
  static final class Scalar extends Module {
    Scalar(DType dtype) {
      registerParameter("w", new Parameter(Tensor.zeros(dtype, 2)));
    }

    @SuppressWarnings("try")
    void set(double v) {
      try (var noGrad = GradMode.noGrad()) {
        getParameter("w").fill_(v);
      }
    }

    @Override
    public Tensor forward(Tensor input) {
      return input.mul(getParameter("w"));
    }
  }

  /** A module with a float32 and a float64 parameter. */
  static final class Mixed extends Module {
    Mixed() {
      registerParameter("a", new Parameter(Tensor.ones(DType.FLOAT32, 2)));
      registerParameter("b", new Parameter(Tensor.ones(DType.FLOAT64, 3)));
      registerParameter("c", new Parameter(Tensor.ones(DType.FLOAT32, 1)));
    }
  }

  private static double[] averages(AveragedModel av, Scalar model, double... weights) {
    double[] out = new double[weights.length];
    for (int i = 0; i < weights.length; i++) {
      model.set(weights[i]);
      av.updateParameters(model);
      out[i] = av.module().getParameter("w").toDoubleArray()[0];
    }
    return out;
  }

  /** torch-optim-spec §5.2: weights 1, 2, 3, 4 give SWA 1, 1.5, 2, 2.5 and EMA(0.9) 1, 1.1, 1.29, 1.561. */
  @Test
  void swaAndEmaOfTheSpecExample() {
    Scalar model = new Scalar(DType.FLOAT64);
    assertArrayEquals(new double[] {1, 1.5, 2, 2.5}, averages(new AveragedModel(model), model, 1, 2, 3, 4), 1e-15);
    assertArrayEquals(new double[] {1, 1.1, 1.29, 1.561}, averages(new AveragedModel(model,
        AveragedModel.options().multiAvgFn(SwaUtils.getEmaMultiAvgFn(0.9))), model, 1, 2, 3, 4), 1e-15);
    assertArrayEquals(new double[] {1, 1.1, 1.29, 1.561}, averages(new AveragedModel(model,
        AveragedModel.options().avgFn(SwaUtils.getEmaAvgFn(0.9))), model, 1, 2, 3, 4), 1e-15);
    assertArrayEquals(new double[] {1, 1.5, 2, 2.5}, averages(new AveragedModel(model,
        AveragedModel.options().multiAvgFn(SwaUtils.getSwaMultiAvgFn())), model, 1, 2, 3, 4), 1e-7);
  }

  /** The first update copies whatever the average was; later ones pass n_averaged = 1, 2, … to the function. */
  @Test
  void firstUpdateCopiesThenTheFunctionSeesTheCount() {
    Scalar model = new Scalar(DType.FLOAT64);
    List<Double> counts = new ArrayList<>();
    AveragedModel av = new AveragedModel(model, (averaged, current, n) -> {
      counts.add(n.item());
      return averaged.add(current);
    }, null, false);
    assertEquals(0, av.nAveraged().item());
    assertEquals(DType.INT64, av.nAveraged().dtype());
    assertEquals(0, av.nAveraged().dim());
    assertArrayEquals(new double[] {5, 7, 10}, averages(av, model, 5, 2, 3));
    assertEquals(List.of(1.0, 2.0), counts);
    assertEquals(3, av.nAveraged().item());
  }

  @Test
  void theAverageIsADeepCopy() {
    Scalar model = new Scalar(DType.FLOAT32);
    model.set(3);
    AveragedModel av = new AveragedModel(model);
    assertNotSame(model.getParameter("w"), av.module().getParameter("w"));
    model.set(8);
    assertEquals(3, av.module().getParameter("w").toDoubleArray()[0]);
    assertEquals(List.of("n_averaged", "module.w"), new ArrayList<>(av.stateDict().keySet()));
    Tensor x = Tensor.of(new float[] {1, 2});
    assertArrayEquals(new float[] {3, 6}, av.apply(x).toFloatArray());
  }

  /** The multi-tensor function is called once per dtype, with that dtype's tensors in order. */
  @Test
  void multiAvgFnIsCalledPerDtype() {
    Mixed model = new Mixed();
    List<String> calls = new ArrayList<>();
    AveragedModel av = new AveragedModel(model, AveragedModel.options().multiAvgFn((averaged, current, n) -> {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < averaged.size(); i++) {
        assertEquals(averaged.get(i).dtype(), current.get(i).dtype());
        sb.append(averaged.get(i).dtype()).append(':').append(averaged.get(i).numel()).append(' ');
      }
      calls.add(sb.toString().trim());
    }));
    av.updateParameters(model);
    assertTrue(calls.isEmpty(), "the first update only copies");
    av.updateParameters(model);
    assertEquals(List.of("torch.float32:2 torch.float32:1", "torch.float64:3"), calls);
  }

  /** Without use_buffers the buffers are copied from the model; an averaged state dict loads and continues. */
  @Test
  @SuppressWarnings("try")
  void buffersAreCopiedAndTheStateDictRoundTrips() {
    Sequential model = new Sequential(new Linear(3, 2), new BatchNorm1d(2));
    AveragedModel av = new AveragedModel(model);
    av.updateParameters(model);
    try (var noGrad = GradMode.noGrad()) {
      model.apply(Tensor.randn(5, 3));
    }
    av.updateParameters(model);
    assertArrayEquals(model.getBuffer("1.running_mean").toFloatArray(),
        av.module().getBuffer("1.running_mean").toFloatArray());
    assertEquals(1, av.module().getBuffer("1.num_batches_tracked").item());

    AveragedModel restored = new AveragedModel(new Sequential(new Linear(3, 2), new BatchNorm1d(2)));
    restored.loadStateDict(av.stateDict());
    assertEquals(2, restored.nAveraged().item());
    av.updateParameters(model);
    restored.updateParameters(model);
    for (Map.Entry<String, Tensor> e : av.stateDict().entrySet()) {
      assertArrayEquals(e.getValue().toDoubleArray(), restored.stateDict().get(e.getKey()).toDoubleArray(),
          e.getKey());
    }
  }

  /** A buffer mismatch is found before anything changes (PyTorch raises after averaging the parameters). */
  @Test
  void failedUpdateChangesNothing() {
    Sequential model = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
    AveragedModel av = new AveragedModel(model);
    float[] before = av.module().getParameter("0.weight").toFloatArray();
    Sequential other = new Sequential(new Linear(2, 2), new BatchNorm1d(2, 1e-5, 0.1, true, false));
    assertThrows(IllegalArgumentException.class, () -> av.updateParameters(other));
    assertArrayEquals(before, av.module().getParameter("0.weight").toFloatArray());
    assertEquals(0, av.nAveraged().item());
  }

  @Test
  void multiAvgFnsCheckListLengths() {
    List<Tensor> two = List.of(Tensor.zeros(2), Tensor.zeros(2));
    List<Tensor> one = List.of(Tensor.zeros(2));
    Tensor n = Tensor.scalar(1, DType.INT64);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SwaUtils.getSwaMultiAvgFn().update(two, one, n));
    assertEquals("Tensor lists must have the same number of tensors, got 2 and 1", e.getMessage());
    assertThrows(IllegalStateException.class, () -> SwaUtils.getEmaMultiAvgFn().update(one, two, n));
  }

  /** The single-tensor functions return new tensors and leave their arguments alone. */
  @Test
  void singleTensorFunctionsDoNotModifyTheirArguments() {
    Tensor a = Tensor.of(new double[] {1, 2});
    Tensor c = Tensor.of(new double[] {3, 6});
    Tensor n = Tensor.scalar(1, DType.INT64);
    assertArrayEquals(new double[] {2, 4}, SwaUtils.getSwaAvgFn().apply(a, c, n).toDoubleArray());
    assertArrayEquals(new double[] {1.5, 3}, SwaUtils.getEmaAvgFn(0.75).apply(a, c, n).toDoubleArray());
    assertArrayEquals(new double[] {1, 2}, a.toDoubleArray());
    assertArrayEquals(new double[] {3, 6}, c.toDoubleArray());
  }

  @Test
  void updateBnWithoutBatchNormDoesNothing() {
    Sequential model = new Sequential(new Linear(2, 2), new ReLU());
    model.eval();
    Iterable<Object> loader = () -> {
      throw new AssertionError("the loader must not be read");
    };
    SwaUtils.updateBn(loader, model);
    assertFalse(model.isTraining());
  }

  /** Difference: the momenta and the mode are restored even when a batch fails. */
  @Test
  void updateBnRestoresMomentaAndModeWhenABatchFails() {
    Sequential model = new Sequential(new Linear(2, 2), new BatchNorm1d(2, 1e-5, 0.2, true, true));
    model.eval();
    List<Object> loader = List.of(Tensor.randn(3, 2), "not a batch");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SwaUtils.updateBn(loader, model));
    assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    assertEquals(0.2, ((BatchNorm) model.get(1)).momentum());
    assertFalse(model.isTraining());
    assertEquals(1, model.getBuffer("1.num_batches_tracked").item(), "the first batch ran with a reset count");
  }

  /** updateBn reads {@code Iterable}s lazily, as PyTorch iterates a DataLoader once. */
  @Test
  void updateBnIteratesOnce() {
    Sequential model = new Sequential(new BatchNorm1d(2));
    int[] iterations = {0};
    List<Tensor> batches = List.of(Tensor.randn(4, 2), Tensor.randn(4, 2));
    Iterable<Tensor> loader = () -> {
      iterations[0]++;
      return batches.iterator();
    };
    SwaUtils.updateBn(loader, model);
    assertEquals(1, iterations[0]);
    assertEquals(2, model.getBuffer("0.num_batches_tracked").item());
  }

  private static Optimizer oneGroup(double lr) {
    return new SGD(List.of(ParamGroup.of(List.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad_(true)))),
        SGD.options().lr(lr));
  }

  private static double[] sequence(SWALR s, Optimizer opt, int steps) {
    double[] lrs = new double[steps + 1];
    lrs[0] = opt.paramGroups().get(0).getDouble("lr");
    for (int t = 1; t <= steps; t++) {
      opt.step();
      s.step();
      lrs[t] = opt.paramGroups().get(0).getDouble("lr");
    }
    return lrs;
  }

  /** torch-optim-spec §5.3: lr 1, swa_lr 0.05, anneal_epochs 3. */
  @Test
  void swalrSequencesOfTheSpec() {
    Optimizer cos = oneGroup(1.0);
    assertArrayEquals(new double[] {1.0, 0.7625, 0.2875, 0.05, 0.05, 0.05},
        sequence(new SWALR(cos, 0.05, 3, "cos"), cos, 5), 1e-12);
    Optimizer linear = oneGroup(1.0);
    assertArrayEquals(new double[] {1.0, 1 - 0.95 / 3, 1 - 2 * 0.95 / 3, 0.05, 0.05},
        sequence(new SWALR(linear, 0.05, 3, "linear"), linear, 4), 1e-12);
    Optimizer jump = oneGroup(1.0);
    assertArrayEquals(new double[] {0.05, 0.05, 0.05}, sequence(new SWALR(jump, 0.05, 0, "cos"), jump, 2), 0);
    assertEquals(0.05, jump.paramGroups().get(0).getDouble("swa_lr"));
  }

  /** Difference: a failed construction writes no swa_lr (PyTorch writes it before checking the strategy). */
  @Test
  void failedSwalrConstructionWritesNothing() {
    Optimizer opt = oneGroup(1.0);
    assertThrows(IllegalArgumentException.class, () -> new SWALR(opt, 0.05, 3, "exp"));
    assertThrows(IllegalArgumentException.class, () -> new SWALR(opt, List.of(0.05), -1, "cos"));
    assertFalse(opt.paramGroups().get(0).containsKey("swa_lr"));
    assertFalse(opt.paramGroups().get(0).containsKey("initial_lr"));
  }

  /** PyTorch anneals linearly for any loaded strategy but "cos". */
  @Test
  void loadedStrategyPicksTheAnnealingFunction() {
    Optimizer a = oneGroup(1.0);
    SWALR cos = new SWALR(a, 0.05, 3, "cos");
    Map<String, Object> sd = cos.stateDict();
    sd.put("_anneal_strategy", "linear");
    cos.loadStateDict(sd);
    assertEquals("linear", cos.annealStrategy());
    a.step();
    cos.step();
    assertEquals(1 - 0.95 / 3, a.paramGroups().get(0).getDouble("lr"), 1e-15);
    sd.put("anneal_epochs", 2.5);
    assertThrows(IllegalArgumentException.class, () -> cos.loadStateDict(sd));
    assertEquals(3, cos.annealEpochs());
  }
}
