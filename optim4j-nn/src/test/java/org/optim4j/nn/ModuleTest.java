package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.Tensor;

/** Registration, dotted names, iteration, modes and gradients, against PyTorch 2.13's behaviour. */
class ModuleTest {

  @Test
  void dottedNamesFollowPyTorchOrder() {
    TestModels.M m = new TestModels.M();
    // list(n for n, _ in M().named_parameters()) etc. in PyTorch
    assertEquals(List.of("scale", "layers.0.weight", "layers.0.bias", "layers.2.0.weight", "layers.2.0.bias",
        "layers.2.1.weight", "layers.2.1.bias", "layers.3.weight", "layers.3.bias", "head.weight", "head.bias"),
        new ArrayList<>(m.namedParameters().keySet()));
    assertEquals(List.of("step", "tmp", "layers.2.1.running_mean", "layers.2.1.running_var",
        "layers.2.1.num_batches_tracked"), new ArrayList<>(m.namedBuffers().keySet()));
    assertEquals(List.of("", "layers", "layers.0", "layers.1", "layers.2", "layers.2.0", "layers.2.1", "layers.3",
        "head"), new ArrayList<>(m.namedModules().keySet()));
    assertEquals(List.of("layers", "head"), new ArrayList<>(m.namedChildren().keySet()));
    assertEquals(List.of("scale", "step", "layers.0.weight", "layers.0.bias", "layers.2.0.weight", "layers.2.0.bias",
        "layers.2.1.weight", "layers.2.1.bias", "layers.2.1.running_mean", "layers.2.1.running_var",
        "layers.2.1.num_batches_tracked", "layers.3.weight", "layers.3.bias", "head.weight", "head.bias",
        "shared.weight", "shared.bias"), new ArrayList<>(m.stateDict().keySet()));
  }

  @Test
  void parametersHaveNoDuplicatesAndAreTheRegisteredObjects() {
    TestModels.M m = new TestModels.M();
    List<Parameter> ps = m.parameters();
    assertEquals(11, ps.size());
    assertSame(m.scale, ps.get(0));
    assertSame(m.head.weight(), m.getParameter("shared.weight"));
    assertSame(m.head.weight(), ps.get(9));
    assertEquals(List.of(m.scale), m.parameters(false));
    assertEquals(2, m.buffers(false).size());
    assertEquals(9, m.modules().size());
    assertSame(m.layers, m.children().get(0));
  }

  @Test
  void lookupByDottedName() {
    TestModels.M m = new TestModels.M();
    assertSame(m, m.getSubmodule(""));
    assertSame(m.layers.get(2), m.getSubmodule("layers.2"));
    assertSame(((Sequential) m.layers.get(2)).get(1), m.getSubmodule("layers.2.1"));
    assertSame(m.getSubmodule("layers.3").namedParameters().get("bias"), m.getParameter("layers.3.bias"));
    assertSame(((BatchNorm) m.getSubmodule("layers.2.1")).runningVar(), m.getBuffer("layers.2.1.running_var"));
    assertEquals("M has no attribute `fc3`",
        assertThrows(IllegalArgumentException.class, () -> m.getSubmodule("fc3")).getMessage());
    assertEquals("Linear has no attribute `foo`",
        assertThrows(IllegalArgumentException.class, () -> m.getParameter("head.foo")).getMessage());
    assertEquals("`weight` is not an nn.Module",
        assertThrows(IllegalArgumentException.class, () -> m.getSubmodule("head.weight")).getMessage());
    assertEquals("`bias` is not an nn.Parameter", assertThrows(IllegalArgumentException.class,
        () -> new Linear(2, 2, false).getParameter("bias")).getMessage());
    assertEquals("`weight` is not a buffer",
        assertThrows(IllegalArgumentException.class, () -> m.getBuffer("head.weight")).getMessage());
  }

  @Test
  void registrationErrorsArePyTorchs() {
    Module m = new TestModels.Empty();
    m.registerBuffer("b", Tensor.zeros(1));
    assertEquals("attribute 'b' already exists",
        assertThrows(IllegalStateException.class, () -> m.registerParameter("b", null)).getMessage());
    assertEquals("parameter name can't contain \".\"",
        assertThrows(IllegalStateException.class, () -> m.registerParameter("a.b", null)).getMessage());
    assertEquals("parameter name can't be empty string \"\"",
        assertThrows(IllegalStateException.class, () -> m.registerParameter("", null)).getMessage());
    assertEquals("module name can't contain \".\", got: a.b",
        assertThrows(IllegalStateException.class, () -> m.registerModule("a.b", null)).getMessage());
    assertEquals("attribute 'b' already exists",
        assertThrows(IllegalStateException.class, () -> m.registerModule("b", null)).getMessage());
    assertEquals("buffer name can't contain \".\"",
        assertThrows(IllegalStateException.class, () -> m.registerBuffer("a.b", null)).getMessage());
  }

  @Test
  void nullMembersHoldTheirNamesButAreSkipped() {
    Linear l = new Linear(3, 2, false);
    assertNull(l.bias());
    assertEquals(List.of("weight"), new ArrayList<>(l.namedParameters().keySet()));
    assertEquals(List.of("weight"), new ArrayList<>(l.stateDict().keySet()));
    Module m = new TestModels.Empty();
    m.registerModule("gone", null);
    assertEquals("Empty(\n  (gone): None\n)", m.toString());
    assertTrue(m.children().isEmpty());
  }

  @Test
  void reRegisteringKeepsThePlace() {
    Module m = new TestModels.Empty();
    m.registerParameter("a", new Parameter(Tensor.zeros(1)));
    m.registerParameter("b", new Parameter(Tensor.zeros(1)));
    Parameter replacement = new Parameter(Tensor.ones(2));
    m.registerParameter("a", replacement);
    assertEquals(List.of("a", "b"), new ArrayList<>(m.namedParameters().keySet()));
    assertSame(replacement, m.getParameter("a"));
  }

  @Test
  void forwardMissingAndNotCallable() {
    assertEquals("Module [Empty] is missing the required \"forward\" function", assertThrows(
        UnsupportedOperationException.class, () -> new TestModels.Empty().apply(Tensor.zeros(1))).getMessage());
    assertEquals("Module [ModuleList] is missing the required \"forward\" function",
        assertThrows(UnsupportedOperationException.class, () -> new ModuleList().apply(Tensor.zeros(1))).getMessage());
    assertEquals("ParameterList should not be called.",
        assertThrows(IllegalStateException.class, () -> new ParameterList().apply(Tensor.zeros(1))).getMessage());
  }

  @Test
  void trainAndEvalSwitchTheWholeTree() {
    TestModels.M m = new TestModels.M();
    assertTrue(m.modules().stream().allMatch(Module::isTraining));
    assertSame(m, m.eval());
    assertTrue(m.modules().stream().noneMatch(Module::isTraining));
    m.layers.train();
    assertFalse(m.isTraining());
    assertTrue(m.getSubmodule("layers.2.1").isTraining());
    m.train(true);
    assertTrue(m.modules().stream().allMatch(Module::isTraining));
  }

  @Test
  void applyVisitsChildrenBeforeTheirParent() {
    List<String> order = new ArrayList<>();
    new Sequential(new Linear(1, 1), new Sequential(new ReLU(), new Tanh())).apply(m -> order.add(m.typeName()));
    // PyTorch: ['Linear', 'ReLU', 'Tanh', 'Sequential', 'Sequential']
    assertEquals(List.of("Linear", "ReLU", "Tanh", "Sequential", "Sequential"), order);
  }

  @Test
  void zeroGradSetsToNoneOrZeroesInPlace() {
    Linear l = new Linear(3, 2);
    l.weight().setGrad(Tensor.ones(2, 3));
    l.bias().setGrad(Tensor.ones(2));
    l.zeroGrad();
    assertNull(l.weight().grad());
    assertNull(l.bias().grad());
    Tensor g = Tensor.ones(2, 3);
    l.weight().setGrad(g);
    l.zeroGrad(false);
    assertSame(g, l.weight().grad());
    assertEquals(0.0, g.abs().sum().item());
    assertNull(l.bias().grad());
  }

  @Test
  void requiresGradFreezesEveryParameter() {
    TestModels.M m = new TestModels.M();
    m.layers.requiresGrad_(false);
    assertFalse(m.getParameter("layers.0.weight").requiresGrad());
    assertTrue(m.getParameter("head.weight").requiresGrad());
  }

  @Test
  void parameterAliasesItsDataAndPrintsLikePyTorch() {
    Tensor data = Tensor.of(new float[] {1, 2});
    Parameter p = new Parameter(data);
    assertTrue(p.requiresGrad());
    assertTrue(p.isLeaf());
    assertTrue(p.sharesStorageWith(data));
    assertEquals("Parameter containing:\ntensor([1., 2.], requires_grad=True)", p.toString());
    assertEquals("Parameter containing:\ntensor([1., 2.])", new Parameter(data, false).toString());
    assertEquals("Parameter containing:\ntensor(3., requires_grad=True)", new Parameter(Tensor.scalar(3)).toString());
  }

  @Test
  void containersNameTheirMembersByPosition() {
    ParameterList pl = new ParameterList(List.of(Tensor.zeros(2, 3), new Parameter(Tensor.zeros(4))));
    pl.add(new Parameter(Tensor.scalar(1.0)));
    assertEquals(List.of("0", "1", "2"), new ArrayList<>(pl.namedParameters().keySet()));
    assertTrue(pl.get(0).requiresGrad());
    assertSame(pl.get(2), pl.get(-1));
    int n = 0;
    for (Parameter p : pl) {
      assertSame(pl.get(n++), p);
    }
    assertEquals("index 3 is out of range", assertThrows(IndexOutOfBoundsException.class, () -> pl.get(3)).getMessage());
    ModuleList ml = new ModuleList(List.of(new Linear(2, 2), new ReLU()));
    ml.add(new Tanh());
    assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(ml.namedParameters().keySet()));
    assertEquals("Tanh", ml.get(-1).typeName());
    assertEquals(3, ml.size());
  }
}
