package org.optim4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sequential on the seed's MLP: names, slices sharing the layer objects, indexing. */
class SequentialTest {

  @Test
  void childrenAreNamedByPosition() {
    Sequential model = TestModels.mlp();
    assertEquals(8, model.size());
    // PyTorch: [n for n, _ in model.named_parameters()]
    assertEquals(List.of("1.weight", "1.bias", "4.weight", "4.bias", "7.weight", "7.bias"),
        new ArrayList<>(model.namedParameters().keySet()));
  }

  @Test
  void layersSliceSharesTheSameModulesAndParameters() {
    Sequential model = TestModels.mlp();
    List<Parameter> all = model.parameters();
    Sequential head = model.layers(0, 6);
    assertEquals(6, head.size());
    for (int i = 0; i < 6; i++) {
      assertSame(model.get(i), head.get(i));
    }
    List<Parameter> first = head.parameters();
    assertEquals(4, first.size());
    for (int i = 0; i < 4; i++) {
      assertSame(all.get(i), first.get(i));
    }
    Sequential tail = model.layers(6, 8);
    assertEquals(List.of(all.get(4), all.get(5)), tail.parameters());
    // PyTorch: model[:6] and model[6:] keep the layers' names
    assertEquals(List.of("1.weight", "1.bias", "4.weight", "4.bias"), new ArrayList<>(head.namedParameters().keySet()));
    assertEquals(List.of("7.weight", "7.bias"), new ArrayList<>(tail.namedParameters().keySet()));
    assertEquals("Sequential(\n  (6): Dropout(p=0.2, inplace=False)\n  (7): Linear(in_features=256, out_features=10, "
        + "bias=True)\n)", tail.toString());
  }

  @Test
  void slicesAndIndicesFollowPython() {
    Sequential model = TestModels.mlp();
    // PyTorch: repr(model[-3:-1])
    assertEquals("Sequential(\n  (5): ReLU()\n  (6): Dropout(p=0.2, inplace=False)\n)", model.layers(-3, -1).toString());
    assertEquals(8, model.layers(-100, 100).size());
    assertEquals(0, model.layers(5, 2).size());
    assertSame(model.get(7), model.get(-1));
    assertEquals("index 8 is out of range",
        assertThrows(IndexOutOfBoundsException.class, () -> model.get(8)).getMessage());
    assertEquals("index -9 is out of range",
        assertThrows(IndexOutOfBoundsException.class, () -> model.get(-9)).getMessage());
  }

  @Test
  void addAppendsAndIterationIsInOrder() {
    Sequential s = new Sequential();
    ReLU r = new ReLU();
    Linear l = new Linear(2, 2);
    s.add(l).add(r);
    List<Module> seen = new ArrayList<>();
    s.forEach(seen::add);
    assertEquals(List.of(l, r), seen);
    assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(s.namedParameters().keySet()));
  }
}
