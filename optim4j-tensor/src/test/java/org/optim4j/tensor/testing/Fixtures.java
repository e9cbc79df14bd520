package org.optim4j.tensor.testing;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixture file written by real PyTorch ({@code tools/reference/gen_*.py}), read from the
 * repository's {@code fixtures/} directory.
 *
 * <p>A file holds named cases; each case has a free-form {@code config} (the PyTorch call and its
 * arguments) and named tensors (inputs, parameters, {@code grad_out}, outputs and gradients). The
 * format is described in {@code tools/reference/README.md}; compare values with {@link Tolerance}.
 *
 * <pre>{@code
 * Fixtures f = Fixtures.load("engine/linear.json");
 * for (String c : f.cases()) {
 *   FixtureTensor x = f.tensor(c, "x");
 *   ...
 *   Tolerance.assertClose(c + " out", out, f.tensor(c, "out"));
 * }
 * }</pre>
 *
 * <p>The {@code fixtures/} directory is found by walking up from the working directory (Maven runs
 * tests in the module directory), or given by the system property {@value #DIR_PROPERTY}. Loaded
 * files are cached; instances are immutable.
 */
public final class Fixtures {

  /** System property that overrides the location of the {@code fixtures/} directory. */
  public static final String DIR_PROPERTY = "optim4j.fixtures";

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final Map<String, Fixtures> CACHE = new ConcurrentHashMap<>();

  private final String path;
  private final Map<String, Map<String, Object>> configs;
  private final Map<String, Map<String, FixtureTensor>> tensors;

  private Fixtures(
      String path,
      Map<String, Map<String, Object>> configs,
      Map<String, Map<String, FixtureTensor>> tensors) {
    this.path = path;
    this.configs = configs;
    this.tensors = tensors;
  }

  /**
   * Loads a fixture file.
   *
   * @param relativePath the path below {@code fixtures/}, e.g. {@code "engine/linear.json"}
   * @throws AssertionError if the directory or the file cannot be found or read
   */
  public static Fixtures load(String relativePath) {
    return CACHE.computeIfAbsent(relativePath, Fixtures::read);
  }

  /** The repository's {@code fixtures/} directory. */
  public static Path directory() {
    String override = System.getProperty(DIR_PROPERTY);
    if (override != null) {
      Path dir = Path.of(override).toAbsolutePath();
      if (!Files.isDirectory(dir)) {
        throw new AssertionError(DIR_PROPERTY + "=" + override + " is not a directory");
      }
      return dir;
    }
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("fixtures");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("no fixtures/ directory in " + start + " or any parent");
  }

  /** The path of this file below {@code fixtures/}. */
  public String path() {
    return path;
  }

  /** The case names, in file order. */
  public List<String> cases() {
    return List.copyOf(configs.keySet());
  }

  /** The config of a case: JSON objects as maps, arrays as lists, numbers as Integer/Long/Double. */
  public Map<String, Object> config(String caseName) {
    return configs.get(requireCase(caseName));
  }

  /** The tensor names of a case, in file order. */
  public List<String> tensorNames(String caseName) {
    return List.copyOf(tensors.get(requireCase(caseName)).keySet());
  }

  /** Whether a case has a tensor of this name. */
  public boolean hasTensor(String caseName, String name) {
    return tensors.get(requireCase(caseName)).containsKey(name);
  }

  /**
   * A tensor of a case.
   *
   * @throws AssertionError naming the file, case and tensor if there is no such tensor
   */
  public FixtureTensor tensor(String caseName, String name) {
    FixtureTensor t = tensors.get(requireCase(caseName)).get(name);
    if (t == null) {
      throw new AssertionError(
          path
              + ": case '"
              + caseName
              + "' has no tensor '"
              + name
              + "' (it has "
              + tensors.get(caseName).keySet()
              + ")");
    }
    return t;
  }

  @Override
  public String toString() {
    return "Fixtures[" + path + ", " + configs.size() + " cases]";
  }

  private String requireCase(String caseName) {
    if (!configs.containsKey(caseName)) {
      throw new AssertionError(path + ": no case '" + caseName + "'");
    }
    return caseName;
  }

  private static Fixtures read(String relativePath) {
    Path file = directory().resolve(relativePath);
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("fixture file " + relativePath + " not found (looked for " + file + ")");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fixture file " + file, e);
    }
    JsonNode cases = root.get("cases");
    if (cases == null || !cases.isObject()) {
      throw new AssertionError(relativePath + ": no \"cases\" object");
    }
    Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
    Map<String, Map<String, FixtureTensor>> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> c : cases.properties()) {
      String where = relativePath + " / " + c.getKey();
      JsonNode config = c.getValue().get("config");
      configs.put(
          c.getKey(),
          config == null
              ? Map.of()
              : Collections.unmodifiableMap(
                  MAPPER.convertValue(config, new TypeReference<LinkedHashMap<String, Object>>() {})));
      Map<String, FixtureTensor> named = new LinkedHashMap<>();
      JsonNode tensorNodes = c.getValue().get("tensors");
      if (tensorNodes != null) {
        for (Map.Entry<String, JsonNode> t : tensorNodes.properties()) {
          named.put(t.getKey(), parseTensor(where + " / " + t.getKey(), t.getValue()));
        }
      }
      tensors.put(c.getKey(), Collections.unmodifiableMap(named));
    }
    return new Fixtures(
        relativePath, Collections.unmodifiableMap(configs), Collections.unmodifiableMap(tensors));
  }

  private static FixtureTensor parseTensor(String where, JsonNode node) {
    String dtype = node.path("dtype").asText();
    JsonNode shapeNode = node.path("shape");
    JsonNode dataNode = node.path("data");
    if (!shapeNode.isArray() || !dataNode.isArray()) {
      throw new AssertionError(where + ": a tensor needs a \"shape\" and a \"data\" array");
    }
    List<Integer> dims = new ArrayList<>();
    long numel = 1;
    for (JsonNode d : shapeNode) {
      dims.add(d.asInt());
      numel *= d.asInt();
    }
    int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
    if (dataNode.size() != numel) {
      throw new AssertionError(where + ": " + dataNode.size() + " values for shape " + dims);
    }
    int n = dataNode.size();
    double[] data = new double[n];
    long[] longData = null;
    switch (dtype) {
      case "float32", "float64" -> {
        for (int i = 0; i < n; i++) {
          data[i] = dataNode.get(i).asDouble();
        }
      }
      case "int64" -> {
        longData = new long[n];
        for (int i = 0; i < n; i++) {
          longData[i] = dataNode.get(i).asLong();
          data[i] = longData[i];
        }
      }
      case "bool" -> {
        longData = new long[n];
        for (int i = 0; i < n; i++) {
          longData[i] = dataNode.get(i).asBoolean() ? 1 : 0;
          data[i] = longData[i];
        }
      }
      default -> throw new AssertionError(where + ": unknown dtype '" + dtype + "'");
    }
    return new FixtureTensor(dtype, shape, data, longData);
  }
}
