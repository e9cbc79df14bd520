package org.optim4j.optim.swa_utils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.SGD;
import org.optim4j.optim.lr_scheduler.CosineAnnealingLR;
import org.optim4j.optim.lr_scheduler.LRScheduler;
import org.optim4j.optim.lr_scheduler.MultiplicativeLR;
import org.optim4j.optim.lr_scheduler.StepLR;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * Replays fixtures/swa/swalr.json: SWALR on an SGD optimizer with two groups (lr 0.5 and 0.02), alone or
 * after another scheduler (PyTorch's docs example), with hand-set learning rates, resumed from state dicts and
 * from last_epoch; every group's lr and SWALR's last_epoch after construction and after every step, and the
 * state dicts, compared with PyTorch's.
 */
class SwalrFixtureTest {
  private static final Fixtures FIX = SwaFixtures.load("swalr.json");
  private static final double[] GROUP_LRS = {0.5, 0.02};

  static Stream<String> cases() {
    return FIX.cases().stream();
  }

  static Optimizer sgdTwoGroups() {
    List<ParamGroup> groups = new ArrayList<>();
    for (double lr : GROUP_LRS) {
      groups.add(ParamGroup.of(List.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true))).with("lr", lr));
    }
    return new SGD(groups, SGD.options().lr(0.1));
  }

  /** SWALR from PyTorch's keywords. */
  static SWALR swalr(Optimizer opt, Map<?, ?> kwargs) {
    Object swaLr = kwargs.get("swa_lr");
    int epochs = kwargs.containsKey("anneal_epochs") ? (Integer) kwargs.get("anneal_epochs") : 10;
    String strategy = kwargs.containsKey("anneal_strategy") ? (String) kwargs.get("anneal_strategy") : "cos";
    int lastEpoch = kwargs.containsKey("last_epoch") ? (Integer) kwargs.get("last_epoch") : -1;
    if (swaLr instanceof List<?> list) {
      List<Number> lrs = new ArrayList<>();
      list.forEach(v -> lrs.add((Number) v));
      return new SWALR(opt, lrs, epochs, strategy, lastEpoch);
    }
    return new SWALR(opt, ((Number) swaLr).doubleValue(), epochs, strategy, lastEpoch);
  }

  static LRScheduler before(Optimizer opt, Map<?, ?> spec) {
    Map<?, ?> kw = (Map<?, ?>) spec.get("kwargs");
    return switch ((String) spec.get("name")) {
      case "MultiplicativeLR" -> {
        assertEquals("const09", kw.get("lr_lambda"));
        yield new MultiplicativeLR(opt, epoch -> 0.9);
      }
      case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, (Integer) kw.get("T_max"));
      case "StepLR" -> new StepLR(opt, (Integer) kw.get("step_size"), ((Number) kw.get("gamma")).doubleValue());
      default -> throw new AssertionError("unknown scheduler " + spec.get("name"));
    };
  }

  static double[] lrs(Optimizer opt) {
    return opt.paramGroups().stream().mapToDouble(g -> g.getDouble("lr")).toArray();
  }

  static void assertLrRow(String what, double[] actual, FixtureTensor expected, int row) {
    double[] e = SwaFixtures.row(expected, row);
    assertEquals(e.length, actual.length, what);
    for (int g = 0; g < e.length; g++) {
      SwaFixtures.assertLr(what + " group " + g, actual[g], e[g], GROUP_LRS[g]);
    }
  }

  /** Same keys in the same order; lists of numbers under the lr rule, other values equal. */
  static void assertStateDict(String what, Map<?, ?> expected, Map<String, Object> actual) {
    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), what + " keys");
    for (Map.Entry<?, ?> e : expected.entrySet()) {
      Object exp = e.getValue();
      Object act = actual.get((String) e.getKey());
      String where = what + " " + e.getKey();
      if (exp instanceof List<?> list) {
        List<?> got = (List<?>) act;
        assertEquals(list.size(), got.size(), where);
        for (int i = 0; i < list.size(); i++) {
          SwaFixtures.assertLr(where + "[" + i + "]", ((Number) got.get(i)).doubleValue(),
              ((Number) list.get(i)).doubleValue(), GROUP_LRS[i]);
        }
      } else if (exp instanceof Number n) {
        if (!(act instanceof Number m) || m.doubleValue() != n.doubleValue()) {
          fail(where + ": " + act + ", expected " + exp);
        }
      } else {
        assertEquals(exp, act, where);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void lrSequenceMatchesPyTorch(String c) {
    Map<String, Object> cfg = FIX.config(c);
    FixtureTensor lr = FIX.tensor(c, "lr");
    FixtureTensor lastEpoch = FIX.tensor(c, "last_epoch");
    Optimizer opt = sgdTwoGroups();
    LRScheduler before = cfg.containsKey("before") ? before(opt, (Map<?, ?>) cfg.get("before")) : null;
    if (cfg.containsKey("initial_lr")) {
      double[] initial = SwaFixtures.doubles(cfg.get("initial_lr"));
      for (int g = 0; g < initial.length; g++) {
        opt.paramGroups().get(g).set("initial_lr", initial[g]);
      }
    }
    SWALR s = swalr(opt, (Map<?, ?>) cfg.get("swalr"));
    assertStateDict(c + " state_dict", (Map<?, ?>) cfg.get("state_dict"), s.stateDict());
    assertLrRow(c + " construction", lrs(opt), lr, 0);
    assertEquals((long) lastEpoch.data()[0], s.lastEpoch(), c + " last_epoch at construction");
    int steps = (Integer) cfg.get("steps");
    Map<?, ?> setLr = (Map<?, ?>) cfg.get("set_lr");
    Map<?, ?> resume = (Map<?, ?>) cfg.get("resume");
    Optimizer opt2 = null;
    SWALR s2 = null;
    for (int t = 1; t <= steps; t++) {
      opt.step();
      if (before != null && t <= (Integer) cfg.get("swa_start")) {
        before.step();
      } else {
        s.step();
        assertEquals(List.of(lrs(opt)[0], lrs(opt)[1]), s.getLastLr(), c + " getLastLr at step " + t);
      }
      assertLrRow(c + " step " + t, lrs(opt), lr, t);
      assertEquals((long) lastEpoch.data()[t], s.lastEpoch(), c + " last_epoch at step " + t);
      if (setLr != null && (Integer) setLr.get("after") == t) {
        double[] v = SwaFixtures.doubles(setLr.get("lrs"));
        for (int g = 0; g < v.length; g++) {
          opt.paramGroups().get(g).set("lr", v[g]);
        }
      }
      if (resume != null && (Integer) resume.get("at") == t) {
        Map<String, Object> optSd = opt.stateDict();
        Map<String, Object> schedSd = s.stateDict();
        opt2 = sgdTwoGroups();
        s2 = swalr(opt2, (Map<?, ?>) resume.get("swalr"));
        opt2.loadStateDict(optSd);
        s2.loadStateDict(schedSd);
      }
    }
    assertStateDict(c + " final_state_dict", (Map<?, ?>) cfg.get("final_state_dict"), s.stateDict());
    List<?> swaLr = (List<?>) cfg.get("swa_lr");
    for (int g = 0; g < swaLr.size(); g++) {
      assertEquals(((Number) swaLr.get(g)).doubleValue(), opt.paramGroups().get(g).getDouble("swa_lr"), c);
    }
    if (resume != null) {
      FixtureTensor resumed = FIX.tensor(c, "resume/lr");
      int at = (Integer) resume.get("at");
      assertLrRow(c + " resumed at " + at, lrs(opt2), resumed, 0);
      for (int t = at + 1; t <= steps; t++) {
        opt2.step();
        s2.step();
        assertLrRow(c + " resumed step " + t, lrs(opt2), resumed, t - at);
      }
    }
  }

  /** A state dict written by PyTorch (the JSON values) loads into a Java SWALR and comes back unchanged. */
  @ParameterizedTest
  @MethodSource("cases")
  void loadsPyTorchStateDict(String c) {
    Map<?, ?> pytorchSd = (Map<?, ?>) FIX.config(c).get("final_state_dict");
    Map<String, Object> sd = new LinkedHashMap<>();
    pytorchSd.forEach((k, v) -> sd.put((String) k, v));
    SWALR s = new SWALR(sgdTwoGroups(), 0.3);
    s.loadStateDict(sd);
    assertStateDict(c + " reloaded", pytorchSd, s.stateDict());
    assertEquals(pytorchSd.get("_anneal_strategy"), s.annealStrategy());
    assertEquals(pytorchSd.get("anneal_epochs"), s.annealEpochs());
  }
}
