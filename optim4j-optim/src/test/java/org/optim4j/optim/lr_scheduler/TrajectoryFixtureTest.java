package org.optim4j.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.optim4j.optim.lr_scheduler.SchedFixtures.assertClose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.tensor.testing.FixtureTensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * Every trajectory of fixtures/sched, replayed in Java: after construction and after every step, each
 * group's lr (and momentum or β₁ for CyclicLR/OneCycleLR), {@code getLastLr()} and {@code lastEpoch()} equal
 * PyTorch's under {@link SchedFixtures#RTOL}; the final state dict has PyTorch's keys, order and value
 * types; and a run saved at step k, loaded into a fresh optimizer and scheduler (directly, and through JSON
 * text for the scheduler) and continued, equals PyTorch's uninterrupted run. (The deprecation warnings of
 * the cases that step with an epoch are captured, not printed.)
 */
class TrajectoryFixtureTest {
  private static final List<String> FILES =
      List.of("sched/chainable.json", "sched/cyclic.json", "sched/composite.json", "sched/plateau.json");
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .build();

  @TestFactory
  Stream<DynamicTest> trajectories() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String file : FILES) {
      Fixtures f = Fixtures.load(file);
      for (String c : f.cases()) {
        tests.add(DynamicTest.dynamicTest(file + " / " + c, () -> ApiFixtureTest.Logged.during(() -> new Replay(f, c).check())));
      }
    }
    return tests.stream();
  }

  /** One case: the optimizer and scheduler of its config, driven as the generator drove PyTorch's. */
  private static final class Replay {
    final Fixtures f;
    final String name;
    final Map<String, Object> cfg;
    final Map<String, Object> optCfg;
    final Map<String, Object> schedCfg;
    final double[] baseLrs;
    final int steps;
    final FixtureTensor lr;
    final FixtureTensor momentum;
    final FixtureTensor lastEpoch;
    final double[] metrics;

    @SuppressWarnings("unchecked")
    Replay(Fixtures f, String name) {
      this.f = f;
      this.name = name;
      this.cfg = f.config(name);
      this.optCfg = (Map<String, Object>) cfg.get("optimizer");
      this.schedCfg = (Map<String, Object>) cfg.get("scheduler");
      this.baseLrs = SchedFixtures.baseLrs(optCfg);
      this.steps = (Integer) cfg.get("steps");
      this.lr = f.tensor(name, "lr");
      this.momentum = f.hasTensor(name, "momentum") ? f.tensor(name, "momentum") : null;
      this.lastEpoch = f.hasTensor(name, "last_epoch") ? f.tensor(name, "last_epoch") : null;
      this.metrics = f.hasTensor(name, "metrics") ? f.tensor(name, "metrics").data() : null;
    }

    void check() {
      Optimizer opt = SchedFixtures.optimizer(optCfg);
      LRScheduler s = SchedFixtures.scheduler(schedCfg, opt);
      compareRow(0, opt, s, lr, momentum, 0);
      for (int t = 1; t <= steps; t++) {
        step(opt, s, t);
        compareRow(t, opt, s, lr, momentum, t);
        setLr(opt, t);
      }
      assertEquals(cfg.get("state_dict"), SchedFixtures.layout(s.stateDict()), name + ": state_dict layout");
      if (cfg.containsKey("resume")) {
        resume(false);
        resume(true);
      }
    }

    @SuppressWarnings("unchecked")
    private void resume(boolean throughJson) {
      int at = (Integer) ((Map<String, Object>) cfg.get("resume")).get("at");
      Optimizer first = SchedFixtures.optimizer(optCfg);
      LRScheduler s1 = SchedFixtures.scheduler(schedCfg, first);
      for (int t = 1; t <= at; t++) {
        step(first, s1, t);
        setLr(first, t);
      }
      Map<String, Object> optState = first.stateDict();
      Map<String, Object> schedState = s1.stateDict();
      if (throughJson) {
        try {
          schedState = JSON.readValue(JSON.writeValueAsString(schedState),
              new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException(e);
        }
      }
      Optimizer second = SchedFixtures.optimizer(optCfg);
      LRScheduler s2 = SchedFixtures.scheduler(schedCfg, second);
      second.loadStateDict(optState);
      s2.loadStateDict(schedState);
      FixtureTensor resumedLr = f.tensor(name, "resume/lr");
      FixtureTensor resumedMomentum = f.hasTensor(name, "resume/momentum") ? f.tensor(name, "resume/momentum") : null;
      String via = throughJson ? " (resumed through JSON)" : " (resumed)";
      compareRow(at, second, s2, resumedLr, resumedMomentum, 0, via);
      for (int t = at + 1; t <= steps; t++) {
        step(second, s2, t);
        compareRow(t, second, s2, resumedLr, resumedMomentum, t - at, via);
        compareRow(t, second, s2, lr, momentum, t, via + " vs the uninterrupted run");
        setLr(second, t);
      }
    }

    @SuppressWarnings({"unchecked", "deprecation"})
    private void step(Optimizer opt, LRScheduler s, int t) {
      opt.step();
      if (metrics != null) {
        double m = metrics[t - 1];
        ReduceLROnPlateau p = (ReduceLROnPlateau) s;
        if (name.endsWith("_int_metrics")) {
          p.step((int) m);
        } else {
          p.step(m);
        }
        return;
      }
      Object arg = cfg.containsKey("step_args") ? ((List<Object>) cfg.get("step_args")).get(t - 1) : null;
      if (arg == null) {
        s.step();
      } else if (arg instanceof Double d) {
        ((CosineAnnealingWarmRestarts) s).step(d.doubleValue());
      } else {
        s.step((Integer) arg);
      }
    }

    @SuppressWarnings("unchecked")
    private void setLr(Optimizer opt, int t) {
      Map<String, Object> set = (Map<String, Object>) cfg.get("set_lr");
      if (set != null && (Integer) set.get("after") == t) {
        List<Object> lrs = (List<Object>) set.get("lrs");
        for (int i = 0; i < lrs.size(); i++) {
          opt.paramGroups().get(i).set("lr", ((Number) lrs.get(i)).doubleValue());
        }
      }
    }

    private void compareRow(int t, Optimizer opt, LRScheduler s, FixtureTensor lrs, FixtureTensor moms, int row) {
      compareRow(t, opt, s, lrs, moms, row, "");
    }

    private void compareRow(int t, Optimizer opt, LRScheduler s, FixtureTensor lrs, FixtureTensor moms, int row,
        String via) {
      List<ParamGroup> groups = opt.paramGroups();
      int g = groups.size();
      List<Double> last = s.getLastLr();
      for (int i = 0; i < g; i++) {
        String what = name + via + ": step " + t + " group " + i;
        double expected = lrs.data()[row * g + i];
        assertClose(what + " lr", groups.get(i).getDouble("lr"), expected, baseLrs[i]);
        assertClose(what + " getLastLr()", last.get(i), expected, baseLrs[i]);
        if (moms != null) {
          assertClose(what + " momentum", SchedFixtures.momentum(groups.get(i)), moms.data()[row * g + i], 1.0);
        }
      }
      if (lastEpoch != null && via.isEmpty()) {
        assertEquals((long) lastEpoch.data()[row], s.lastEpoch(), name + ": step " + t + " last_epoch");
      }
    }
  }
}
