package org.optim4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Resuming is bit-identical for optimizers and schedulers whose state has every shape of value: Adam's
 * 0-dim step tensors, LBFGS's integer counters and lists, a SequentialLR warm-up holding nested state dicts,
 * ReduceLROnPlateau's infinite {@code best}, a per-batch OneCycleLR, and per-layer groups.
 */
class ResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Adam   | {\"lr\": 0.001, \"amsgrad\": true} | CosineAnnealingLR | {}                 | epoch | 2 | []",
      "SGD    | {\"lr\": 0.1, \"momentum\": 0.9}   | OneCycleLR        | {\"max_lr\": 0.2}  | batch | 0 | []",
      "RMSprop| {}                                 | ReduceLROnPlateau | {\"patience\": 0}  | epoch | 0 | []",
      "AdamW  | {}                                 | StepLR            | {\"step_size\": 1} | epoch | 0 | [[0,6],[6,8]]",
      "LBFGS  | {\"max_iter\": 3, \"history_size\": 4} | none          | {}                 | epoch | 0 | []"})
  @SuppressWarnings("unchecked")
  void resumeIsBitIdentical(String optimizer, String opt, String scheduler, String schedOpt, String interval,
      int warmup, String groups) throws Exception {
    List<LayerGroup> layerGroups = ((List<List<Integer>>) JSON.readValue(groups, List.class)).stream()
        .map(g -> new LayerGroup(g.get(0), g.get(1), g.get(0) == 6 ? Map.of("weight_decay", 1e-3) : Map.of()))
        .toList();
    RunConfig four = new RunConfig("mlp", optimizer.trim(), JSON.readValue(opt, Map.class), layerGroups,
        scheduler.equals("none") ? null : scheduler, JSON.readValue(schedOpt, Map.class), interval, warmup, 0.1, 4,
        100, 3L, 2, 1.0, null, 300, 100);
    Trainer straight = Trainer.create(four, TestRuns.data(four), TestRuns.quiet());
    straight.run();
    Trainer first = Trainer.create(four, TestRuns.data(four), TestRuns.quiet());
    first.trainTo(2);
    Path file = dir.resolve("c.safetensors");
    first.checkpoint().save(file);
    Trainer resumed = Trainer.resume(Checkpoint.load(file), four, TestRuns.data(four), TestRuns.quiet());
    resumed.run();
    assertTrue(TestRuns.sameTensors(straight.model().stateDict(), resumed.model().stateDict()));
    for (int i = 0; i < 4; i++) {
      assertEquals(straight.history().get(i).lr(), resumed.history().get(i).lr(), "lr of epoch " + (i + 1));
      assertEquals(straight.history().get(i).trainLossTotal(), resumed.history().get(i).trainLossTotal());
    }
  }
}
