package org.optim4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optim4j.tensor.Tensor;

/** Checkpoints: round trip, bit-identical resume, atomic replacement, and clear errors for bad files. */
class CheckpointTest {
  @TempDir
  Path dir;

  @Test
  void roundTripsEverything() {
    RunConfig config = TestRuns.mlp(2);
    Trainer t = Trainer.create(config, TestRuns.data(config), TestRuns.quiet());
    t.run();
    Checkpoint c = t.checkpoint();
    Path file = dir.resolve("c.safetensors");
    c.save(file);
    Checkpoint back = Checkpoint.load(file);
    assertEquals(2, back.epoch());
    assertEquals(config, back.config());
    assertTrue(TestRuns.sameTensors(c.model(), back.model()));
    assertEquals(c.history(), back.history());
    assertArrayEquals(c.dataOrder(), back.dataOrder());
    assertEquals(c.nextBatch(), back.nextBatch());
    assertEquals(c.generators().keySet(), back.generators().keySet());
    for (String g : c.generators().keySet()) {
      assertArrayEquals(c.generators().get(g), back.generators().get(g), g);
    }
    assertEquals(c.scheduler(), back.scheduler());
    assertEquals(c.optimizer().get("param_groups"), back.optimizer().get("param_groups"));
    Map<?, ?> state = (Map<?, ?>) c.optimizer().get("state");
    Map<?, ?> backState = (Map<?, ?>) back.optimizer().get("state");
    assertEquals(state.keySet(), backState.keySet());
    for (Object id : state.keySet()) {
      Tensor a = (Tensor) ((Map<?, ?>) state.get(id)).get("momentum_buffer");
      Tensor b = (Tensor) ((Map<?, ?>) backState.get(id)).get("momentum_buffer");
      assertArrayEquals(TestRuns.bits(a), TestRuns.bits(b), "momentum_buffer of " + id);
    }
  }

  @Test
  void resumingGivesBitIdenticalParameters() {
    RunConfig four = TestRuns.mlp(4);
    Trainer straight = Trainer.create(four, TestRuns.data(four), TestRuns.quiet());
    straight.run();

    RunConfig two = TestRuns.mlp(2);
    Trainer first = Trainer.create(two, TestRuns.data(two), TestRuns.quiet());
    first.run();
    Path file = dir.resolve("epoch2.safetensors");
    first.checkpoint().save(file);
    Trainer resumed = Trainer.resume(Checkpoint.load(file), four, TestRuns.data(four), TestRuns.quiet());
    assertEquals(2, resumed.completedEpochs());
    resumed.run();

    assertTrue(TestRuns.sameTensors(straight.model().stateDict(), resumed.model().stateDict()),
        "parameters after 2 + 2 epochs differ from 4 straight epochs");
    assertEquals(withoutTimes(straight.history()), withoutTimes(resumed.history()));
    assertEquals(straight.optimizer().paramGroups().get(0).getDouble("lr"),
        resumed.optimizer().paramGroups().get(0).getDouble("lr"));
  }

  private static List<List<Double>> withoutTimes(List<EpochMetrics> h) {
    return h.stream().map(m -> List.of((double) m.epoch(), m.lr(), m.trainLossTotal(), m.trainPerformance(),
        m.testLossTotal(), m.testPerformance())).toList();
  }

  @Test
  void aSaveThatFailsBeforeTheRenameLeavesThePreviousCheckpoint() throws IOException {
    RunConfig config = TestRuns.mlp(1);
    Trainer t = Trainer.create(config, TestRuns.data(config), TestRuns.quiet());
    t.run();
    Path file = dir.resolve(Trainer.CHECKPOINT);
    t.checkpoint().save(file);
    byte[] before = Files.readAllBytes(file);

    Trainer other = Trainer.create(TestRuns.mlp(2), TestRuns.data(config), TestRuns.quiet());
    other.run();
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> other.checkpoint().save(file, tmp -> {
      assertTrue(Files.size(tmp) > before.length / 2, "the new checkpoint was written before the failure");
      throw new IOException("disk full (simulated)");
    }));
    assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(1, Checkpoint.load(file).epoch());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void truncatedAndCorruptFilesGetClearErrors() throws IOException {
    RunConfig config = TestRuns.mlp(1);
    Trainer t = Trainer.create(config, TestRuns.data(config), TestRuns.quiet());
    t.run();
    byte[] good = t.checkpoint().toBytes();

    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, Arrays.copyOf(good, good.length - 1000));
    assertError(truncated, "is truncated");
    Files.write(truncated, Arrays.copyOf(good, 100));
    assertError(truncated, "is truncated");

    Path flipped = dir.resolve("flipped.safetensors");
    byte[] bad = good.clone();
    bad[bad.length - 12345] ^= 1;
    Files.write(flipped, bad);
    assertError(flipped, "SHA-256");

    Path notCheckpoint = dir.resolve("plain.safetensors");
    Files.write(notCheckpoint, SafeTensors.write(Map.of("w", Tensor.ones(2)), Map.of()));
    assertError(notCheckpoint, "not an optim4j checkpoint");

    Path missingTensor = dir.resolve("missing.safetensors");
    Files.write(missingTensor, withoutTensor(good, "model.1.weight"));
    assertError(missingTensor, "model.1.weight");

    assertThrows(UncheckedIOException.class, () -> Checkpoint.load(dir.resolve("absent.safetensors")));
  }

  private static void assertError(Path file, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), "the message names the file: " + e.getMessage());
  }

  /** The checkpoint with one tensor dropped from the file but still referenced by its JSON. */
  private static byte[] withoutTensor(byte[] file, String name) {
    SafeTensors.Contents c = SafeTensors.read(file, "good");
    Map<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
    tensors.remove(name);
    Map<String, String> meta = new LinkedHashMap<>(c.metadata());
    meta.remove(SafeTensors.DATA_SHA256);
    return SafeTensors.write(tensors, meta);
  }

  @Test
  void aMismatchedCheckpointIsRejectedBeforeAnythingChanges() {
    RunConfig config = TestRuns.mlp(1);
    Trainer t = Trainer.create(config, TestRuns.data(config), TestRuns.quiet());
    t.run();
    Checkpoint c = t.checkpoint();
    LinkedHashMap<String, Tensor> wrongShape = new LinkedHashMap<>(c.model());
    wrongShape.put("1.weight", Tensor.zeros(512, 783));
    Checkpoint bad = new Checkpoint(c.epoch(), c.config(), wrongShape, c.optimizer(), c.scheduler(), c.generators(),
        c.dataOrder(), c.nextBatch(), c.history());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.resume(bad, TestRuns.mlp(2), TestRuns.data(config), TestRuns.quiet()));
    assertTrue(e.getMessage().contains("1.weight"), e.getMessage());

    Map<String, Object> optimizer = new LinkedHashMap<>(c.optimizer());
    optimizer.put("param_groups", List.of());
    Checkpoint badOptimizer = new Checkpoint(c.epoch(), c.config(), c.model(), optimizer, c.scheduler(),
        c.generators(), c.dataOrder(), c.nextBatch(), c.history());
    assertThrows(IllegalArgumentException.class,
        () -> Trainer.resume(badOptimizer, TestRuns.mlp(2), TestRuns.data(config), TestRuns.quiet()));
  }

  @Test
  void theFileIsPlainSafetensorsWithAJsonDocument() {
    RunConfig config = TestRuns.mlp(1);
    Trainer t = Trainer.create(config, TestRuns.data(config), TestRuns.quiet());
    t.run();
    byte[] bytes = t.checkpoint().toBytes();
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertTrue(header.contains("\"format\":\"optim4j.checkpoint\""), header.substring(0, 200));
    SafeTensors.Contents c = SafeTensors.read(bytes, "c");
    assertTrue(c.tensors().containsKey("model.1.weight"));
    assertTrue(c.tensors().containsKey("optimizer.state.0.momentum_buffer"));
    assertTrue(c.tensors().containsKey("generator.dropout"));
    assertTrue(c.metadata().get("checkpoint").contains("\"$tensor\" : \"model.1.weight\""));
    assertFalse(c.metadata().get("checkpoint").contains("NaN"));
  }
}
