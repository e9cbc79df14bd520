package org.optim4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The safetensors format, written and read here (it is a tiny specification):
 *
 * <pre>
 * bytes 0–7   N, the header length, unsigned 64-bit little-endian
 * bytes 8–8+N the header, UTF-8 JSON, padded with spaces to a multiple of 8:
 *             {"__metadata__": {"key": "string value", ...},
 *              "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
 * the rest    the data buffer: each tensor's elements in row-major order, little-endian, at
 *             [begin, end) counted from the start of the buffer
 * </pre>
 *
 * <p>dtypes: {@code F32}, {@code F64}, {@code I64}, {@code BOOL} (one byte, 0 or 1) and {@code BF16}
 * (the raw 16 bits), the ones optim4j's tensors have. The writer adds the SHA-256 of the data buffer to
 * the metadata as {@code data_sha256} (lower-case hex), and the reader checks it when present, so a
 * damaged byte anywhere in the tensors is reported rather than loaded. Reading checks what the format requires: a header
 * that fits in the file, a JSON object, a known dtype, non-negative shapes whose element count matches
 * the byte range, and byte ranges that cover the buffer exactly, in order, without overlaps or holes; any
 * failure is an {@link IllegalArgumentException} that says what is wrong and where.
 */
public final class SafeTensors {
  /** The metadata key of the data buffer's SHA-256. */
  public static final String DATA_SHA256 = "data_sha256";
  /** Headers above this size are rejected as corrupt (the reference implementation's limit). */
  static final long MAX_HEADER = 100_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A parsed file: the tensors in header order and the {@code __metadata__} strings. */
  public record Contents(LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, String> metadata) {}

  private SafeTensors() {}

  /** The file holding {@code tensors} (in map order) and {@code metadata}, as bytes. */
  public static byte[] write(Map<String, Tensor> tensors, Map<String, String> metadata) {
    ObjectNode header = JSON.createObjectNode();
    ObjectNode meta = header.putObject("__metadata__");
    metadata.forEach(meta::put);
    MessageDigest digest = sha256();
    long offset = 0;
    List<byte[]> blobs = new ArrayList<>(tensors.size());
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        throw new IllegalArgumentException("a tensor cannot be named __metadata__");
      }
      Tensor t = e.getValue();
      if (t.isSparse()) {
        throw new IllegalArgumentException("tensor '" + e.getKey() + "' is sparse; safetensors holds dense tensors");
      }
      byte[] blob = bytesOf(t);
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", code(t.dtype()));
      ArrayNode shape = entry.putArray("shape");
      for (int d : t.shape()) {
        shape.add(d);
      }
      entry.putArray("data_offsets").add(offset).add(offset + blob.length);
      offset += blob.length;
      blobs.add(blob);
      digest.update(blob);
    }
    meta.put(DATA_SHA256, HexFormat.of().formatHex(digest.digest()));
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(header);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a safetensors header: " + e.getMessage(), e);
    }
    int padded = (json.length + 7) / 8 * 8;
    long total = 8L + padded + offset;
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a safetensors file above 2 GiB is not supported (" + total + " bytes)");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded);
    out.put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    for (byte[] blob : blobs) {
      out.put(blob);
    }
    return out.array();
  }

  /**
   * Parses a whole file.
   *
   * @param source names the file in error messages
   * @throws IllegalArgumentException if the bytes are not a valid safetensors file
   */
  public static Contents read(byte[] file, String source) {
    if (file.length < 8) {
      throw bad(source, "is truncated: " + file.length + " bytes, less than the 8-byte header length");
    }
    long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > MAX_HEADER) {
      throw bad(source, "is corrupt: header length " + Long.toUnsignedString(n) + " is not a plausible size");
    }
    if (8 + n > file.length) {
      throw bad(source, "is truncated: the header needs " + n + " bytes after the first 8 but the file has "
          + file.length + " bytes in all");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw bad(source, "is corrupt: its header is not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (header == null || !header.isObject()) {
      throw bad(source, "is corrupt: its header is not a JSON object");
    }
    long dataStart = 8 + n;
    long dataLength = file.length - dataStart;
    LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("__metadata__")) {
        if (!f.getValue().isObject()) {
          throw bad(source, "is corrupt: __metadata__ is not an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> m = f.getValue().fields(); m.hasNext(); ) {
          Map.Entry<String, JsonNode> kv = m.next();
          if (!kv.getValue().isTextual()) {
            throw bad(source, "is corrupt: __metadata__ value '" + kv.getKey() + "' is not a string");
          }
          metadata.put(kv.getKey(), kv.getValue().asText());
        }
      } else {
        entries.add(entry(f.getKey(), f.getValue(), source));
      }
    }
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort((a, b) -> Long.compare(a.begin, b.begin));
    long expected = 0;
    for (Entry e : byOffset) {
      if (e.begin != expected) {
        throw bad(source, "is corrupt: tensor '" + e.name + "' starts at byte " + e.begin + " of the data buffer"
            + " where " + expected + " was expected (overlap or hole)");
      }
      expected = e.end;
    }
    if (expected > dataLength) {
      throw bad(source, "is truncated: the header describes " + expected + " bytes of tensor data but only "
          + dataLength + " follow it");
    }
    if (expected < dataLength) {
      throw bad(source, "is corrupt: " + (dataLength - expected) + " bytes after the last tensor are not"
          + " described by the header");
    }
    String recorded = metadata.get(DATA_SHA256);
    if (recorded != null) {
      MessageDigest digest = sha256();
      digest.update(file, (int) dataStart, (int) dataLength);
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(recorded)) {
        throw bad(source, "is corrupt: the SHA-256 of its tensor data is " + actual + " but the header records "
            + recorded);
      }
    }
    LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry e : entries) {
      tensors.put(e.name, tensorOf(e, ByteBuffer.wrap(file, (int) (dataStart + e.begin), (int) (e.end - e.begin))
          .slice().order(ByteOrder.LITTLE_ENDIAN)));
    }
    return new Contents(tensors, metadata);
  }

  private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

  private static Entry entry(String name, JsonNode node, String source) {
    String where = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw bad(source, "is corrupt: " + where + " is not described by an object");
    }
    JsonNode dtype = node.get("dtype");
    JsonNode shape = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
        || !offsets.isArray() || offsets.size() != 2) {
      throw bad(source, "is corrupt: " + where + " needs \"dtype\", \"shape\" and \"data_offsets\" [begin, end]");
    }
    DType dt = dtypeOf(dtype.asText());
    if (dt == null) {
      throw bad(source, "has " + where + " of dtype " + dtype.asText() + "; optim4j reads F32, F64, I64, BOOL and"
          + " BF16");
    }
    int[] dims = new int[shape.size()];
    long numel = 1;
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = shape.get(i);
      if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0) {
        throw bad(source, "is corrupt: " + where + " has an invalid shape " + shape);
      }
      dims[i] = d.asInt();
      numel *= dims[i];
      if (numel > Integer.MAX_VALUE) {
        throw bad(source, "is corrupt: " + where + " has more than 2^31 elements");
      }
    }
    JsonNode b = offsets.get(0);
    JsonNode e = offsets.get(1);
    if (!b.isIntegralNumber() || !e.isIntegralNumber() || b.asLong() < 0 || e.asLong() < b.asLong()) {
      throw bad(source, "is corrupt: " + where + " has invalid data_offsets " + offsets);
    }
    if (e.asLong() - b.asLong() != numel * width(dt)) {
      throw bad(source, "is corrupt: " + where + " of shape " + Arrays.toString(dims) + " and dtype " + dtype.asText()
          + " needs " + numel * width(dt) + " bytes but data_offsets " + offsets + " span " + (e.asLong() - b.asLong()));
    }
    return new Entry(name, dt, dims, b.asLong(), e.asLong());
  }

  private static Tensor tensorOf(Entry e, ByteBuffer data) {
    int n = data.remaining() / width(e.dtype);
    int[] flatShape = {n};
    Tensor flat;
    switch (e.dtype) {
      case FLOAT32 -> {
        float[] a = new float[n];
        data.asFloatBuffer().get(a);
        flat = Tensor.of(a, flatShape);
      }
      case FLOAT64 -> {
        double[] a = new double[n];
        data.asDoubleBuffer().get(a);
        flat = Tensor.of(a, flatShape);
      }
      case INT64 -> {
        long[] a = new long[n];
        data.asLongBuffer().get(a);
        flat = Tensor.of(a, flatShape);
      }
      case BOOL -> {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          a[i] = data.get(i) != 0;
        }
        flat = Tensor.of(a, flatShape);
      }
      default -> {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
          a[i] = Float.intBitsToFloat((data.getShort(2 * i) & 0xFFFF) << 16);
        }
        flat = Tensor.of(a, flatShape).to(DType.BFLOAT16);   // exact: every value is a bfloat16
      }
    }
    return flat.reshape(e.shape).contiguous();
  }

  private static byte[] bytesOf(Tensor t) {
    int n = (int) t.numel();
    ByteBuffer b = ByteBuffer.allocate(n * width(t.dtype())).order(ByteOrder.LITTLE_ENDIAN);
    switch (t.dtype()) {
      case FLOAT32 -> b.asFloatBuffer().put(t.toFloatArray());
      case FLOAT64 -> b.asDoubleBuffer().put(t.toDoubleArray());
      case INT64 -> b.asLongBuffer().put(t.toLongArray());
      case BOOL -> {
        boolean[] a = t.toBooleanArray();
        for (int i = 0; i < n; i++) {
          b.put(i, (byte) (a[i] ? 1 : 0));
        }
      }
      default -> b.asShortBuffer().put(t.toBFloat16Bits());
    }
    return b.array();
  }

  /** The safetensors dtype code of {@code d}. */
  static String code(DType d) {
    return switch (d) {
      case FLOAT32 -> "F32";
      case FLOAT64 -> "F64";
      case INT64 -> "I64";
      case BOOL -> "BOOL";
      case BFLOAT16 -> "BF16";
    };
  }

  private static DType dtypeOf(String code) {
    return switch (code) {
      case "F32" -> DType.FLOAT32;
      case "F64" -> DType.FLOAT64;
      case "I64" -> DType.INT64;
      case "BOOL" -> DType.BOOL;
      case "BF16" -> DType.BFLOAT16;
      default -> null;
    };
  }

  private static int width(DType d) {
    return switch (d) {
      case FLOAT32 -> 4;
      case FLOAT64, INT64 -> 8;
      case BOOL -> 1;
      case BFLOAT16 -> 2;
    };
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static IllegalArgumentException bad(String source, String what) {
    return new IllegalArgumentException(source + " " + what);
  }
}
