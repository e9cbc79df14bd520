package org.optim4j.optim.lr_scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.ParamGroup;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Fixtures;

/**
 * The table of fixtures/sched/api.json: every error PyTorch raises (at construction or while stepping) is
 * raised here with PyTorch's message and the mapped exception type, leaving {@code last_epoch} and the step
 * count where PyTorch leaves them; and each sequence of calls logs the warnings PyTorch emits (their
 * distinct texts, in order).
 */
class ApiFixtureTest {
  private static final Fixtures API = Fixtures.load("sched/api.json");

  @TestFactory
  Stream<DynamicTest> cases() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String c : API.cases()) {
      Map<String, Object> cfg = API.config(c);
      tests.add(DynamicTest.dynamicTest(c, "error".equals(cfg.get("kind"))
          ? () -> Logged.during(() -> error(c, cfg)) : () -> warning(c, cfg)));
    }
    return tests.stream();
  }

  /** PyTorch's exception type as optim4j maps it (API.md), ZeroDivisionError as ArithmeticException. */
  private static Class<? extends RuntimeException> javaType(String pythonType, String message) {
    return switch (pythonType) {
      case "ValueError" -> IllegalArgumentException.class;
      case "TypeError" -> message.contains("required positional argument") ? NullPointerException.class
          : IllegalArgumentException.class;
      case "KeyError", "RuntimeError" -> IllegalStateException.class;
      case "ZeroDivisionError" -> ArithmeticException.class;
      default -> throw new AssertionError("unmapped Python exception " + pythonType);
    };
  }

  @SuppressWarnings("unchecked")
  private static void error(String name, Map<String, Object> cfg) {
    Optimizer opt = SchedFixtures.optimizer((Map<String, Object>) cfg.get("optimizer"));
    Map<String, Object> spec = (Map<String, Object>) cfg.get("scheduler");
    int steps = (Integer) cfg.get("steps");
    List<Object> args = (List<Object>) cfg.get("step_args");
    LRScheduler s = null;
    RuntimeException thrown = null;
    try {
      if (cfg.containsKey("other_optimizer")) {
        int other = (Integer) cfg.get("other_optimizer");
        Optimizer otherOpt = SchedFixtures.optimizer((Map<String, Object>) cfg.get("optimizer"));
        List<LRScheduler> subs = new ArrayList<>();
        List<Object> specs = (List<Object>) spec.get("schedulers");
        for (int i = 0; i < specs.size(); i++) {
          subs.add(SchedFixtures.scheduler((Map<String, Object>) specs.get(i), i == other ? otherOpt : opt));
        }
        if (spec.get("name").equals("SequentialLR")) {
          new SequentialLR(opt, subs, (List<Integer>) spec.get("milestones"));
        } else {
          new ChainedScheduler(subs, opt);
        }
      } else {
        s = SchedFixtures.scheduler(spec, opt);
      }
      if (Boolean.TRUE.equals(cfg.get("add_group_before_step"))) {
        opt.addParamGroup(ParamGroup.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad_(true)));
      }
      for (int t = 1; t <= steps; t++) {
        opt.step();
        step(s, args == null ? null : args.get(t - 1));
      }
    } catch (RuntimeException e) {
      thrown = e;
    }
    String message = (String) cfg.get("message");
    assertNotNull(thrown, name + ": nothing thrown, expected " + cfg.get("type") + ": " + message);
    assertEquals(javaType((String) cfg.get("type"), message), thrown.getClass(), name + ": " + thrown);
    assertEquals(message, thrown.getMessage(), name);
    Map<String, Object> after = (Map<String, Object>) cfg.get("after");
    if (after != null) {
      assertEquals(after.get("last_epoch"), s.lastEpoch(), name + ": last_epoch after the error");
      if (after.get("_step_count") != null) {
        assertEquals(after.get("_step_count"), s.stepCount(), name + ": _step_count after the error");
      }
    }
  }

  @SuppressWarnings("deprecation")
  private static void step(LRScheduler s, Object arg) {
    if (s instanceof ReduceLROnPlateau p) {
      p.step(((Number) arg).doubleValue());
    } else if (arg == null) {
      s.step();
    } else if (arg instanceof Double d) {
      ((CosineAnnealingWarmRestarts) s).step(d.doubleValue());
    } else {
      s.step((Integer) arg);
    }
  }

  @SuppressWarnings("unchecked")
  private static void warning(String name, Map<String, Object> cfg) {
    List<String> logged = Logged.during(() -> {
      Optimizer opt = SchedFixtures.optimizer((Map<String, Object>) cfg.get("optimizer"));
      LRScheduler s = null;
      for (Object call : (List<Object>) cfg.get("calls")) {
        if ("opt".equals(call)) {
          opt.step();
        } else if ("build".equals(call)) {
          s = SchedFixtures.scheduler((Map<String, Object>) cfg.get("scheduler"), opt);
        } else if ("sched".equals(call)) {
          s.step();
        } else {
          stepWithArgument(s, ((List<Object>) call).get(1));
        }
      }
    });
    List<String> distinct = new ArrayList<>();
    for (String w : logged) {
      if (!distinct.contains(w)) {
        distinct.add(w);
      }
    }
    assertEquals(cfg.get("warnings"), distinct, name);
  }

  @SuppressWarnings("deprecation")
  private static void stepWithArgument(LRScheduler s, Object arg) {
    if (s instanceof ReduceLROnPlateau p && arg instanceof Double d) {
      p.step(d.doubleValue());
    } else if (s instanceof CosineAnnealingWarmRestarts w && arg instanceof Double d) {
      w.step(d.doubleValue());
    } else {
      s.step((Integer) arg);
    }
  }

  /** The warnings logged by the schedulers while some code runs. */
  static final class Logged {
    private Logged() {}

    static List<String> during(Runnable body) {
      List<String> messages = new ArrayList<>();
      Logger logger = Logger.getLogger(LRScheduler.class.getName());
      Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
          messages.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
      boolean parents = logger.getUseParentHandlers();
      logger.addHandler(handler);
      logger.setUseParentHandlers(false);
      try {
        body.run();
      } finally {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parents);
      }
      return messages;
    }
  }
}
