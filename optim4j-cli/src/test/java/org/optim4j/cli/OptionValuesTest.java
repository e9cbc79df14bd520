package org.optim4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --opt key=value}: the value keeps its JSON type. */
class OptionValuesTest {
  @Test
  void jsonValuesKeepTheirTypes() {
    Map<String, Object> o = OptionValues.parse(List.of("betas=[0.9,0.999]", "amsgrad=true", "max_iter=20",
        "lr=1e-3", "eps=1.0", "foreach=null", "line_search_fn=strong_wolfe", "milestones=[6, 11]",
        "history_size=100", "nesterov=True", "differentiable=False", "fused=None", "big=3000000000",
        "quoted=\"x\"", "weight_decay=0", "mode=triangular2"), "--opt");
    assertEquals(List.of(0.9, 0.999), o.get("betas"));
    assertInstanceOf(Double.class, ((List<?>) o.get("betas")).get(0));
    assertEquals(true, o.get("amsgrad"));
    assertEquals(Integer.valueOf(20), o.get("max_iter"));
    assertInstanceOf(Integer.class, o.get("max_iter"));
    assertEquals(1e-3, o.get("lr"));
    assertInstanceOf(Double.class, o.get("eps"));
    assertNull(o.get("foreach"));
    assertEquals(true, o.containsKey("foreach"));
    assertEquals("strong_wolfe", o.get("line_search_fn"));
    assertEquals(List.of(6, 11), o.get("milestones"));
    assertInstanceOf(Integer.class, ((List<?>) o.get("milestones")).get(0));
    assertEquals(true, o.get("nesterov"));
    assertEquals(false, o.get("differentiable"));
    assertNull(o.get("fused"));
    assertEquals(3000000000L, o.get("big"));
    assertEquals("x", o.get("quoted"));
    assertInstanceOf(Integer.class, o.get("weight_decay"));
    assertEquals("triangular2", o.get("mode"));
    assertEquals(List.of("betas", "amsgrad", "max_iter", "lr", "eps", "foreach", "line_search_fn", "milestones",
        "history_size", "nesterov", "differentiable", "fused", "big", "quoted", "weight_decay", "mode"),
        List.copyOf(o.keySet()), "the order of the command line is kept");
  }

  @Test
  void aValueMayContainEqualsSigns() {
    assertEquals("a=b", OptionValues.parse(List.of("k=a=b"), "--opt").get("k"));
  }

  @Test
  void anEntryWithoutAKeyIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> OptionValues.parse(List.of("lr"), "--opt"));
    assertThrows(IllegalArgumentException.class, () -> OptionValues.parse(List.of("=1"), "--opt"));
  }
}
