package org.optim4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * Everything needed to continue a run exactly where it stopped, or to evaluate its model, in one
 * language-neutral file.
 *
 * <p><b>Format.</b> A checkpoint is a <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * file (see {@link SafeTensors}) whose {@code __metadata__} holds
 *
 * <ul>
 * <li>{@code "format": "optim4j.checkpoint"}, {@code "format_version": "1"},
 * <li>{@code "data_sha256"}: the SHA-256 of the tensor data, checked on load,
 * <li>{@code "checkpoint"}: a JSON document (a string inside the header):
 * <pre>
 * {"epoch": 3,                                  completed epochs
 *  "config": {...},                             the run's configuration ({@link RunConfig#toMap()})
 *  "model": {"1.weight": {"$tensor": "model.1.weight"}, ...},     Module.stateDict(), in order
 *  "optimizer": {"state": {"$int_keys": {"0": {"momentum_buffer": {"$tensor": "optimizer.state.0.momentum_buffer"}}}},
 *                "param_groups": [{"lr": 0.1, ..., "params": [0, 1, ...]}]},   Optimizer.stateDict()
 *  "scheduler": {"last_epoch": 3, ...} or null, LRScheduler.stateDict()
 *  "generators": {"init": {"$tensor": "generator.init"}, "dropout": ..., "default": ...},
 *  "data": {"order_state": {"$tensor": "data.order_state"}, "next_batch": 100},
 *  "metrics": [{"epoch": 1, "lr": 0.1, "train_loss": ..., ...}, ...]}
 * </pre>
 * </ul>
 *
 * <p>Tensors are stored in the safetensors data under the names the JSON refers to with {@code {"$tensor":
 * name}}; {@link StateJson} lists the other tagged values ({@code $int_keys} for the optimizer's integer
 * state keys, {@code $float} for infinities). Generator states and the data loader's order state are
 * int64 tensors, exact in every language. In Python: {@code safetensors.torch.load_file(path)} gives the
 * tensors, {@code json.loads(safe_open(path, "pt").metadata()["checkpoint"])} the rest.
 *
 * <p><b>Safety.</b> {@link #save} writes atomically ({@link AtomicFiles}); {@link #load} checks the whole file
 * (format, digest, every reference, every type) before returning, and reports a truncated, corrupt or
 * mismatched file with an {@link IllegalArgumentException} that names the file and the problem.
 *
 * @param epoch the number of completed epochs
 * @param config the run's configuration
 * @param model the model's state dict
 * @param optimizer the optimizer's state dict
 * @param scheduler the scheduler's state dict, or null when the run has none
 * @param generators the states of the run's generators by name
 * @param dataOrder the training loader's order state ({@code DataLoader.orderState()})
 * @param nextBatch the batch of the epoch of {@code dataOrder} to continue from
 * @param history the metrics of the epochs so far
 */
public record Checkpoint(int epoch, RunConfig config, LinkedHashMap<String, Tensor> model,
    Map<String, Object> optimizer, Map<String, Object> scheduler, Map<String, long[]> generators, long[] dataOrder,
    int nextBatch, List<EpochMetrics> history) {

  /** The value of the {@code format} metadata key. */
  public static final String FORMAT = "optim4j.checkpoint";
  /** The version this code writes and reads. */
  public static final String FORMAT_VERSION = "1";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The checkpoint as the bytes of a safetensors file. */
  public byte[] toBytes() {
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    StateJson.TensorSink sink = (name, t) -> {
      if (tensors.putIfAbsent(name, t) != null) {
        throw new IllegalArgumentException("two tensors of the checkpoint would both be named '" + name + "'");
      }
      return name;
    };
    ObjectNode doc = JSON.createObjectNode();
    doc.put("epoch", epoch);
    doc.set("config", StateJson.encode(config.toMap(), "config", (n, t) -> {
      throw new IllegalArgumentException("the configuration cannot hold tensors (" + n + ")");
    }));
    ObjectNode modelNode = doc.putObject("model");
    for (Map.Entry<String, Tensor> e : model.entrySet()) {
      modelNode.set(e.getKey(), StateJson.encode(e.getValue(), "model." + e.getKey(), sink));
    }
    doc.set("optimizer", StateJson.encode(optimizer, "optimizer", sink));
    doc.set("scheduler", StateJson.encode(scheduler, "scheduler", sink));
    Map<String, Object> gens = new LinkedHashMap<>();
    generators.forEach((k, v) -> gens.put(k, Tensor.of(v)));
    doc.set("generators", StateJson.encode(gens, "generator", sink));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("order_state", Tensor.of(dataOrder));
    data.put("next_batch", nextBatch);
    doc.set("data", StateJson.encode(data, "data", sink));
    List<Object> metrics = new ArrayList<>();
    for (EpochMetrics m : history) {
      metrics.add(m.toMap());
    }
    doc.set("metrics", StateJson.encode(metrics, "metrics", sink));
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", FORMAT);
    metadata.put("format_version", FORMAT_VERSION);
    try {
      metadata.put("checkpoint", JSON.writeValueAsString(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the checkpoint's JSON: " + e.getMessage(), e);
    }
    return SafeTensors.write(tensors, metadata);
  }

  /**
   * Writes the checkpoint to {@code path} atomically (temporary file, fsync, rename).
   *
   * @throws UncheckedIOException if writing fails; an existing file at {@code path} is then unchanged
   */
  public void save(Path path) {
    AtomicFiles.write(path, toBytes());
  }

  /** {@link #save} with a step between the flushed write and the rename, for tests. */
  void save(Path path, AtomicFiles.BeforeRename beforeRename) {
    AtomicFiles.write(path, toBytes(), beforeRename);
  }

  /**
   * Reads and checks a checkpoint.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException if it is truncated, corrupt, not a checkpoint, or of another version
   */
  public static Checkpoint load(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("checkpoint " + path + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + path + ": " + e.getMessage(), e);
    }
    return fromBytes(bytes, "checkpoint " + path);
  }

  /**
   * Parses and checks the bytes of a checkpoint file.
   *
   * @param source names the file in error messages
   * @throws IllegalArgumentException if the bytes are not a valid checkpoint
   */
  @SuppressWarnings("unchecked")
  public static Checkpoint fromBytes(byte[] bytes, String source) {
    SafeTensors.Contents contents = SafeTensors.read(bytes, source);
    Map<String, String> meta = contents.metadata();
    if (!FORMAT.equals(meta.get("format"))) {
      throw new IllegalArgumentException(source + " is a safetensors file but not an optim4j checkpoint (its"
          + " metadata has no \"format\": \"" + FORMAT + "\")");
    }
    if (!FORMAT_VERSION.equals(meta.get("format_version"))) {
      throw new IllegalArgumentException(source + " has checkpoint format version " + meta.get("format_version")
          + "; this optim4j reads version " + FORMAT_VERSION);
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(meta.getOrDefault("checkpoint", ""));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " is corrupt: its checkpoint JSON does not parse ("
          + e.getOriginalMessage() + ")", e);
    }
    if (doc == null || !doc.isObject()) {
      throw new IllegalArgumentException(source + " is corrupt: it has no checkpoint JSON object");
    }
    Map<String, Tensor> tensors = contents.tensors();
    Set<String> used = new HashSet<>();
    try {
      Object decoded = StateJson.decode(doc, "checkpoint", tensors, used);
      Map<String, Object> d = (Map<String, Object>) decoded;
      int epoch = requireType(d, "epoch", Integer.class);
      RunConfig config = RunConfig.fromMap(requireType(d, "config", Map.class));
      LinkedHashMap<String, Tensor> model = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) requireType(d, "model", Map.class)).entrySet()) {
        if (!(e.getValue() instanceof Tensor t)) {
          throw new IllegalArgumentException("model entry '" + e.getKey() + "' is not a tensor");
        }
        model.put(e.getKey(), t);
      }
      Map<String, Object> optimizer = requireType(d, "optimizer", Map.class);
      Object sched = d.get("scheduler");
      if (sched != null && !(sched instanceof Map)) {
        throw new IllegalArgumentException("scheduler must be an object or null");
      }
      Map<String, long[]> generators = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) requireType(d, "generators", Map.class))
          .entrySet()) {
        generators.put(e.getKey(), longs(e.getValue(), "generator " + e.getKey()));
      }
      Map<String, Object> data = requireType(d, "data", Map.class);
      long[] order = longs(data.get("order_state"), "data.order_state");
      int nextBatch = requireType(data, "next_batch", Integer.class);
      List<EpochMetrics> history = new ArrayList<>();
      for (Object m : (List<Object>) requireType(d, "metrics", List.class)) {
        if (!(m instanceof Map<?, ?> mm)) {
          throw new IllegalArgumentException("each metrics entry must be an object");
        }
        history.add(EpochMetrics.fromMap(mm));
      }
      Set<String> unused = new TreeSet<>(tensors.keySet());
      unused.removeAll(used);
      if (!unused.isEmpty()) {
        throw new IllegalArgumentException("the file holds tensors the checkpoint does not refer to: " + unused);
      }
      return new Checkpoint(epoch, config, model, optimizer, (Map<String, Object>) sched, generators, order,
          nextBatch, history);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException(source + " is corrupt or mismatched: " + e.getMessage(), e);
    }
  }

  private static <T> T requireType(Map<String, Object> m, String key, Class<T> type) {
    Object v = m.get(key);
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException("\"" + key + "\" must be " + type.getSimpleName().toLowerCase() + ", got "
          + (v == null ? "nothing" : v.getClass().getSimpleName()));
    }
    return type.cast(v);
  }

  private static long[] longs(Object v, String what) {
    if (!(v instanceof Tensor t) || t.dtype() != DType.INT64 || t.dim() != 1) {
      throw new IllegalArgumentException(what + " must be a 1-D int64 tensor");
    }
    return t.toLongArray();
  }
}
