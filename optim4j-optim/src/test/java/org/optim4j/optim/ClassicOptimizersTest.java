package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Generator;
import org.optim4j.tensor.Tensor;

/**
 * Adamax, Adadelta, Adagrad, RMSprop and Rprop beyond the fixtures: typed options against the factory, the
 * keywords each accepts, unsupported flags, state replaced through {@code state(p)} taking effect, Rprop's
 * {@code lr} read only once, and Adagrad's sparse path against the same run with the gradients made dense.
 */
class ClassicOptimizersTest {
  private static final List<String> NAMES = List.of("Adamax", "Adadelta", "Adagrad", "RMSprop", "Rprop");

  private static List<Tensor> params() {
    return List.of(Tensor.zeros(2).requiresGrad_(true));
  }

  @Test
  void typedOptionsGiveTheSameGroupsAsTheFactory() {
    assertEquals(new Adamax(params(), Adamax.options().lr(0.1).betas(0.8, 0.9).eps(1e-3).weightDecay(0.1)
            .foreach(false).maximize(true).capturable(true)).toString(),
        Optimizers.create("Adamax", params(), Map.of("lr", 0.1, "betas", List.of(0.8, 0.9), "eps", 1e-3,
            "weight_decay", 0.1, "foreach", false, "maximize", true, "capturable", true)).toString());
    assertEquals(new Adadelta(params(), Adadelta.options().lr(0.5).rho(0.8).eps(1e-3).weightDecay(0.1)
            .foreach(true).capturable(true).maximize(true)).toString(),
        Optimizers.create("Adadelta", params(), Map.of("lr", 0.5, "rho", 0.8, "eps", 1e-3, "weight_decay", 0.1,
            "foreach", true, "capturable", true, "maximize", true)).toString());
    assertEquals(new Adagrad(params(), Adagrad.options().lr(0.5).lrDecay(0.1).weightDecay(0.2)
            .initialAccumulatorValue(0.3).eps(1e-3).foreach(false).maximize(true).fused(true)).toString(),
        Optimizers.create("Adagrad", params(), Map.of("lr", 0.5, "lr_decay", 0.1, "weight_decay", 0.2,
            "initial_accumulator_value", 0.3, "eps", 1e-3, "foreach", false, "maximize", true, "fused", true))
            .toString());
    assertEquals(new RMSprop(params(), RMSprop.options().lr(0.5).alpha(0.9).eps(1e-3).weightDecay(0.1)
            .momentum(0.9).centered(true).capturable(true).foreach(false).maximize(true)).toString(),
        Optimizers.create("RMSprop", params(), Map.of("lr", 0.5, "alpha", 0.9, "eps", 1e-3, "weight_decay", 0.1,
            "momentum", 0.9, "centered", true, "capturable", true, "foreach", false, "maximize", true)).toString());
    assertEquals(new Rprop(params(), Rprop.options().lr(0.5).etas(0.4, 1.5).stepSizes(1e-3, 10).capturable(true)
            .foreach(true).maximize(true)).toString(),
        Optimizers.create("Rprop", params(), Map.of("lr", 0.5, "etas", List.of(0.4, 1.5), "step_sizes",
            List.of(1e-3, 10.0), "capturable", true, "foreach", true, "maximize", true)).toString());
    assertEquals(new Rprop(params()).toString(), Optimizers.create("Rprop", params(), Map.of()).toString());
  }

  @Test
  void theKeywordsAreThoseOfPyTorchsSignatures() {
    Map<String, String> valid = Map.of(
        "Adamax", "lr, betas, eps, weight_decay, foreach, maximize, differentiable, capturable",
        "Adadelta", "lr, rho, eps, weight_decay, foreach, capturable, maximize, differentiable",
        "Adagrad", "lr, lr_decay, weight_decay, initial_accumulator_value, eps, foreach, maximize, differentiable, "
            + "fused",
        "RMSprop", "lr, alpha, eps, weight_decay, momentum, centered, capturable, foreach, maximize, differentiable",
        "Rprop", "lr, etas, step_sizes, capturable, foreach, maximize, differentiable");
    for (String name : NAMES) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Optimizers.create(name, params(), Map.of("nesterov", true)));
      assertEquals(name + ".__init__() got an unexpected keyword argument 'nesterov'; valid keywords: "
          + valid.get(name), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Optimizers.create("Rprop", params(), Map.of("weight_decay", 0)));
    assertThrows(IllegalArgumentException.class, () -> Optimizers.create("Adamax", params(), Map.of("fused", true)));
    assertThrows(IllegalArgumentException.class, () -> Optimizers.create("RMSprop", params(), Map.of("centered", 1)));
    assertTrue(Optimizers.names().containsAll(NAMES));
  }

  @Test
  void differentiableIsNotSupported() {
    for (String name : NAMES) {
      assertThrows(UnsupportedOperationException.class,
          () -> Optimizers.create(name, params(), Map.of("differentiable", true)), name);
      Tensor p = Tensor.zeros(2).requiresGrad_(true);
      Optimizer opt = Optimizers.create(name, List.of(ParamGroup.of(p).with("differentiable", true)), Map.of());
      p.setGrad(Tensor.ones(2));
      assertThrows(UnsupportedOperationException.class, opt::step, name);
    }
  }

  @Test
  void pairOptionsHoldNumbers() {
    Tensor b = Tensor.scalar(0.9);
    assertEquals("Adamax option 'betas' must hold two floats (Numbers), got Tensor tensor(0.9000)",
        assertThrows(IllegalArgumentException.class,
            () -> Optimizers.create("Adamax", params(), Map.of("betas", List.of(b, b)))).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("Rprop", params(), Map.of("etas", List.of(Tensor.scalar(0.5), 1.2))));
    assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("Rprop", params(), Map.of("step_sizes", List.of(1e-6, Tensor.scalar(50.0)))));
    assertEquals("Tensor lr must be 1-element", assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("Adagrad", params(), Map.of("lr", Tensor.zeros(2)))).getMessage());
  }

  /** Two steps from {@code first}, then one more step after {@code edit}, against the same edit made by hand. */
  private static void replacedState(String name, Map<String, ?> options, String key,
      Function<Tensor, Tensor> replacement) {
    Tensor p = Tensor.of(new double[] {1, -2, 3}).requiresGrad_(true);
    Tensor q = Tensor.of(new double[] {1, -2, 3}).requiresGrad_(true);
    Optimizer a = Optimizers.create(name, List.of(p), options);
    Optimizer b = Optimizers.create(name, List.of(q), options);
    Tensor[] grads = {Tensor.of(new double[] {0.5, -1, 2}), Tensor.of(new double[] {0.25, 1, -3})};
    for (Tensor g : grads) {
      p.setGrad(g);
      q.setGrad(g);
      a.step();
      b.step();
    }
    Tensor old = (Tensor) a.state(p).get(key);
    a.state(p).put(key, replacement.apply(old));
    Map<String, Object> sd = b.stateDict();
    @SuppressWarnings("unchecked")
    Map<String, Object> saved = (Map<String, Object>) ((Map<?, ?>) sd.get("state")).get(0);
    saved.put(key, replacement.apply((Tensor) saved.get(key)));
    b.loadStateDict(sd);
    p.setGrad(grads[0]);
    q.setGrad(grads[0]);
    a.step();
    b.step();
    assertArrayEquals(q.toDoubleArray(), p.toDoubleArray(), 0, name + " " + key);
    Tensor r = Tensor.of(new double[] {1, -2, 3}).requiresGrad_(true);
    Optimizer untouched = Optimizers.create(name, List.of(r), options);
    for (Tensor g : new Tensor[] {grads[0], grads[1], grads[0]}) {
      r.setGrad(g);
      untouched.step();
    }
    assertNotEquals(r.toDoubleArray()[0], p.toDoubleArray()[0], name + " " + key + ": the replacement took effect");
  }

  @Test
  void aStateTensorReplacedThroughStateOrLoadStateDictTakesEffect() {
    replacedState("Adamax", Map.of("lr", 0.1), "exp_inf", t -> t.mul(3.0));
    replacedState("Adamax", Map.of("lr", 0.1), "step", t -> Tensor.scalar(0.0));
    replacedState("Adadelta", Map.of(), "acc_delta", t -> t.add(1.0));
    replacedState("Adagrad", Map.of("lr", 0.1), "sum", t -> t.mul(0.5));
    replacedState("Adagrad", Map.of("lr", 0.1, "lr_decay", 0.5), "step", t -> Tensor.scalar(10.0));
    replacedState("RMSprop", Map.of("momentum", 0.9, "centered", true), "momentum_buffer", t -> t.mul(-1.0));
    replacedState("RMSprop", Map.of("centered", true), "grad_avg", t -> t.mul(0.0));
    replacedState("Rprop", Map.of(), "step_size", t -> t.mul(7.0));
    replacedState("Rprop", Map.of(), "prev", t -> t.mul(-1.0));
  }

  @Test
  void rpropReadsTheLearningRateOnlyWhenTheStateIsCreated() {
    Tensor p = Tensor.of(new double[] {1, 2}).requiresGrad_(true);
    Rprop rprop = new Rprop(List.of(p), Rprop.options().lr(0.25));
    p.setGrad(Tensor.of(new double[] {3, -4}));
    rprop.step();
    assertArrayEquals(new double[] {0.75, 2.25}, p.toDoubleArray(), 0, "the first step moves by lr against the sign");
    assertArrayEquals(new double[] {0.25, 0.25}, ((Tensor) rprop.state(p).get("step_size")).toDoubleArray(), 0);
    rprop.paramGroups().get(0).set("lr", 100.0);
    rprop.step();
    assertArrayEquals(new double[] {0.75 - 0.3, 2.25 + 0.3}, p.toDoubleArray(), 1e-15,
        "same signs: step sizes × 1.2, the group's lr is not read again");
    p.setGrad(Tensor.of(new double[] {-3, 4}));
    rprop.step();
    assertArrayEquals(new double[] {0.45, 2.55}, p.toDoubleArray(), 1e-15, "a sign change skips the update");
    assertArrayEquals(new double[] {0.15, 0.15}, ((Tensor) rprop.state(p).get("step_size")).toDoubleArray(), 1e-15);
    assertArrayEquals(new double[] {0, 0}, ((Tensor) rprop.state(p).get("prev")).toDoubleArray(), 0);
  }

  @Test
  void adagradHasStateBeforeTheFirstStepAndLaterGroupsGetItLazily() {
    Tensor w = Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true);
    Adagrad adagrad = new Adagrad(List.of(w), Adagrad.options().initialAccumulatorValue(0.5));
    assertEquals(0.0, ((Tensor) adagrad.state(w).get("step")).item());
    assertEquals(DType.FLOAT32, ((Tensor) adagrad.state(w).get("step")).dtype());
    assertArrayEquals(new double[] {0.5, 0.5}, ((Tensor) adagrad.state(w).get("sum")).toDoubleArray(), 0);
    Tensor q = Tensor.zeros(2).requiresGrad_(true);
    adagrad.addParamGroup(ParamGroup.of(q).with("initial_accumulator_value", 4.0));
    assertEquals(1, ((Map<?, ?>) adagrad.stateDict().get("state")).size());
    q.setGrad(Tensor.of(new float[] {1, 1}));
    adagrad.step();
    assertArrayEquals(new float[] {1.5f, 1.5f}, ((Tensor) adagrad.state(q).get("sum")).toFloatArray(),
        "the defaults' initial value, not the group's");
    assertEquals(0.0, ((Tensor) adagrad.state(w).get("step")).item(), "a parameter without a gradient is not stepped");
  }

  /** A [5, 2] sparse gradient with repeated rows, and its dense form. */
  private static Tensor sparseGrad(int t, boolean hybrid) {
    if (hybrid) {
      Tensor indices = Tensor.of(new long[] {t % 5, 3, t % 5, 0}, 1, 4);
      Tensor values = Tensor.of(new double[] {1, -2, 0.5, 3, -1.5, 0.25, 2, 2}, 4, 2).mul(t + 1.0);
      return Tensor.sparseCoo(indices, values, 5, 2);
    }
    Tensor indices = Tensor.of(new long[] {1, 4, 1, t % 5, 0, 1, 0, 1}, 2, 4);
    Tensor values = Tensor.of(new double[] {1, -2, 0.5, 3}).mul(t + 1.0);
    return Tensor.sparseCoo(indices, values, 5, 2);
  }

  @Test
  void adagradAppliesSparseGradientsLikeTheirDenseForm() {
    for (boolean hybrid : new boolean[] {true, false}) {
      for (Adagrad.Options options : List.of(Adagrad.options().lr(0.1),
          Adagrad.options().lr(0.1).lrDecay(0.2).maximize(true).initialAccumulatorValue(0.1))) {
        Tensor sparse = Tensor.randn(new Generator(7), DType.FLOAT64, 5, 2).requiresGrad_(true);
        Tensor dense = sparse.detach().clone().requiresGrad_(true);
        Adagrad a = new Adagrad(List.of(sparse), options);
        Adagrad b = new Adagrad(List.of(dense), options);
        for (int t = 0; t < 4; t++) {
          sparse.setGrad(sparseGrad(t, hybrid));
          dense.setGrad(sparseGrad(t, hybrid).toDense());
          a.step();
          b.step();
          assertArrayEquals(dense.toDoubleArray(), sparse.toDoubleArray(), 1e-14, "step " + t);
          assertArrayEquals(((Tensor) b.state(dense).get("sum")).toDoubleArray(),
              ((Tensor) a.state(sparse).get("sum")).toDoubleArray(), 1e-13, "sum at step " + t);
        }
        assertInstanceOf(Tensor.class, a.state(sparse).get("step"));
        assertEquals(4.0, ((Tensor) a.state(sparse).get("step")).item());
      }
    }
  }
}
