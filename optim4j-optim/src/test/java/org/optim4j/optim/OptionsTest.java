package org.optim4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * Construction: typed options and their defaults, the factory's keys and value types, tensor hyper-parameters
 * and the flags PyTorch checks. Messages are PyTorch's (checked against torch in {@link ApiFixtureTest}
 * wherever the arguments can be written as JSON) or ours where PyTorch has none.
 */
class OptionsTest {
  private static List<Tensor> params() {
    return List.of(Tensor.zeros(2).requiresGrad_(true));
  }

  @Test
  void typedOptionsGiveTheSameGroupsAsTheFactory() {
    SGD typed = new SGD(params(), SGD.options().lr(0.1).momentum(0.9).weightDecay(5e-4).nesterov(true));
    Optimizer generic = Optimizers.create("SGD", params(),
        Map.of("lr", 0.1, "momentum", 0.9, "weight_decay", 5e-4, "nesterov", true));
    assertEquals(typed.toString(), generic.toString());
    Adam adam = new Adam(params(), Adam.options().betas(0.8, 0.9).amsgrad(true).foreach(false));
    assertEquals(List.of(0.8, 0.9), adam.paramGroups().get(0).get("betas"));
    assertEquals(Boolean.FALSE, adam.paramGroups().get(0).get("foreach"));
    assertEquals(adam.toString(), Optimizers.create("Adam", params(),
        Map.of("betas", List.of(0.8, 0.9), "amsgrad", true, "foreach", false)).toString());
  }

  @Test
  void adamwIsAnAdamWithDecoupledWeightDecay() {
    AdamW adamw = new AdamW(params());
    assertInstanceOf(Adam.class, adamw);
    assertEquals(0.01, adamw.paramGroups().get(0).getDouble("weight_decay"));
    assertEquals(Boolean.TRUE, adamw.paramGroups().get(0).get("decoupled_weight_decay"));
    assertEquals(Boolean.FALSE, new Adam(params()).paramGroups().get(0).get("decoupled_weight_decay"));
    AdamW.Options options = AdamW.options().lr(0.1).weightDecay(0.5).amsgrad(true);
    assertEquals(0.5, new AdamW(params(), options).paramGroups().get(0).getDouble("weight_decay"));
    assertEquals("AdamW.__init__() got an unexpected keyword argument 'decoupled_weight_decay'",
        assertThrows(IllegalArgumentException.class, () -> AdamW.options().decoupledWeightDecay(true)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("AdamW", params(), Map.of("decoupled_weight_decay", true)));
  }

  @Test
  void theFactoryKnowsTheNamesAndKeysAndSaysWhichAreValid() {
    List<String> names = new ArrayList<>(Optimizers.names());
    assertEquals(List.of("SGD", "Adam", "AdamW"), names.subList(0, 3), "later additions follow the first three");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("Lion", params(), Map.of()));
    assertEquals("unknown optimizer 'Lion'; known optimizers: " + String.join(", ", names), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("SGD", params(), Map.of("betas", 1)));
    assertEquals("SGD.__init__() got an unexpected keyword argument 'betas'; valid keywords: lr, momentum, "
        + "dampening, weight_decay, nesterov, maximize, foreach, differentiable, fused; optim4j extensions: "
        + "state_dtype", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("Adam", params(), Map.of("lr", "0.1")));
    assertEquals("Adam option 'lr' must be a float (a Number) or a Tensor, got String 0.1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Optimizers.create("SGD", params(), Map.of("nesterov", 1)));
    assertThrows(IllegalArgumentException.class,
        () -> Optimizers.create("Adam", params(), Map.of("betas", List.of(0.9, 0.99, 0.999))));
    assertThrows(NullPointerException.class, () -> Optimizers.create(null, params(), Map.of()));
    Map<String, Object> withNone = new HashMap<>();
    withNone.put("foreach", null);
    withNone.put("momentum", 1);
    Optimizer sgd = Optimizers.create("SGD", params(), withNone);
    assertNull(sgd.paramGroups().get(0).get("foreach"));
    assertEquals(1, sgd.paramGroups().get(0).get("momentum"), "an int stays an int, as in Python");
  }

  @Test
  void differentiableIsNotSupported() {
    String message = "differentiable=True is not supported: optim4j does not differentiate through optimizer steps";
    assertEquals(message, assertThrows(UnsupportedOperationException.class,
        () -> new SGD(params(), SGD.options().differentiable(true))).getMessage());
    assertThrows(UnsupportedOperationException.class, () -> new Adam(params(), Adam.options().differentiable(true)));
    assertThrows(UnsupportedOperationException.class,
        () -> Optimizers.create("AdamW", params(), Map.of("differentiable", true)));
    Tensor p = Tensor.zeros(2).requiresGrad_(true);
    SGD sgd = new SGD(List.of(ParamGroup.of(p).with("differentiable", true)));
    p.setGrad(Tensor.ones(2));
    assertThrows(UnsupportedOperationException.class, sgd::step);
  }

  static Stream<Arguments> tensorHyperParameterErrors() {
    Tensor two = Tensor.of(new float[] {0.1f, 0.2f});
    Tensor b = Tensor.scalar(0.9);
    return Stream.of(
        Arguments.of("SGD", Map.of("lr", two), IllegalArgumentException.class, "Tensor lr must be 1-element"),
        Arguments.of("SGD", Map.of("lr", Tensor.scalar(-0.5)), IllegalArgumentException.class,
            "Invalid learning rate: -0.5"),
        Arguments.of("Adam", Map.of("lr", two), IllegalArgumentException.class, "Tensor lr must be 1-element"),
        Arguments.of("Adam", Map.of("lr", Tensor.scalar(0.1), "foreach", true), IllegalArgumentException.class,
            "lr as a Tensor is not supported for capturable=False and foreach=True"),
        Arguments.of("Adam", Map.of("betas", List.of(b, two)), IllegalStateException.class,
            "Boolean value of Tensor with more than one value is ambiguous"),
        Arguments.of("Adam", Map.of("betas", List.of(b, 0.99)), IllegalArgumentException.class,
            "betas must be either both floats or both Tensors"),
        Arguments.of("Adam", Map.of("betas", List.of(b, b), "foreach", true), IllegalArgumentException.class,
            "betas[0] as a Tensor is not supported for capturable=False and foreach=True"),
        Arguments.of("AdamW", Map.of("betas", List.of(b, Tensor.of(new float[] {0.9f}).reshape(1, 1))),
            null, null),
        Arguments.of("Adam", Map.of("fused", true, "foreach", true), IllegalStateException.class,
            "`fused` and `foreach` cannot be `True` together."));
  }

  @ParameterizedTest
  @MethodSource
  void tensorHyperParameterErrors(String name, Map<String, ?> kwargs, Class<? extends Throwable> kind,
      String message) {
    if (kind == null) {
      Optimizer opt = Optimizers.create(name, params(), kwargs);
      List<?> betas = (List<?>) opt.paramGroups().get(0).get("betas");
      assertEquals(0, ((Tensor) betas.get(1)).dim(), "a one-element tensor beta is squeezed to 0-dim");
      return;
    }
    assertEquals(message, assertThrows(kind, () -> Optimizers.create(name, params(), kwargs)).getMessage());
  }

  @Test
  void aTensorLearningRateReadsAsItsValue() {
    Tensor lr = Tensor.scalar(0.25, DType.FLOAT64);
    Tensor p = Tensor.of(new double[] {1}).requiresGrad_(true);
    SGD sgd = new SGD(List.of(p), SGD.options().lr(lr));
    assertEquals(0.25, sgd.paramGroups().get(0).getDouble("lr"));
    p.setGrad(Tensor.of(new double[] {2}));
    sgd.step();
    assertEquals(0.5, p.item());
    lr.fill_(0.5);
    sgd.step();
    assertEquals(-0.5, p.item(), "the group holds the tensor, so changing it in place changes the next step");
    assertTrue(sgd.toString().contains("lr: 0.5\n"));
  }
}
