package org.optim4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

/**
 * The safetensors reader and writer against the format's specification: files built here byte by byte are
 * read, written files are decoded here by hand, and every malformation is reported.
 */
class SafeTensorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A file of {@code header} (padded) followed by {@code data}, built by hand. */
  private static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return b.array();
  }

  private static byte[] littleEndianFloats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  @Test
  void readsAHandMadeFile() {
    ByteBuffer data = ByteBuffer.allocate(6 * 4 + 8 + 2 + 2 * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      data.putFloat(i * 0.5f);
    }
    data.putLong(-7L);
    data.put((byte) 1).put((byte) 0);
    data.putShort((short) 0x3F80).putShort((short) 0xC040);   // bfloat16 1.0 and -3.0
    String header = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
        + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[24,32]},"
        + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[32,34]},"
        + "\"h\":{\"dtype\":\"BF16\",\"shape\":[2,1],\"data_offsets\":[34,38]}}";
    SafeTensors.Contents c = SafeTensors.read(file(header, data.array()), "test");
    assertEquals("pt", c.metadata().get("format"));
    Tensor w = c.tensors().get("w");
    assertArrayEquals(new int[] {2, 3}, w.shape());
    assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f}, w.toFloatArray());
    Tensor n = c.tensors().get("n");
    assertEquals(0, n.dim());
    assertEquals(DType.INT64, n.dtype());
    assertArrayEquals(new long[] {-7}, n.toLongArray());
    assertArrayEquals(new boolean[] {true, false}, c.tensors().get("m").toBooleanArray());
    Tensor h = c.tensors().get("h");
    assertEquals(DType.BFLOAT16, h.dtype());
    assertArrayEquals(new short[] {0x3F80, (short) 0xC040}, h.toBFloat16Bits());
  }

  @Test
  void writesTheSpecifiedLayout() throws Exception {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", Tensor.of(new float[] {1.5f, -2f}, 2));
    tensors.put("b", Tensor.of(new double[] {Math.PI}, 1, 1));
    tensors.put("empty", Tensor.zeros(0, 3));
    byte[] bytes = SafeTensors.write(tensors, Map.of("k", "v"));
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = b.getLong();
    assertEquals(0, n % 8, "the header is padded to a multiple of 8");
    JsonNode header = JSON.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
    assertEquals("v", header.get("__metadata__").get("k").asText());
    assertEquals("F32", header.get("a").get("dtype").asText());
    assertEquals("[0,8]", header.get("a").get("data_offsets").toString());
    assertEquals("F64", header.get("b").get("dtype").asText());
    assertEquals("[1,1]", header.get("b").get("shape").toString());
    assertEquals("[8,16]", header.get("b").get("data_offsets").toString());
    assertEquals("[16,16]", header.get("empty").get("data_offsets").toString());
    ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) n, 16).slice().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1.5f, data.getFloat(0));
    assertEquals(-2f, data.getFloat(4));
    assertEquals(Math.PI, data.getDouble(8));
    assertEquals(bytes.length, 8 + n + 16);
  }

  @Test
  void roundTripsEveryDtypeBitForBit() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("f32", Tensor.of(new float[] {Float.NaN, -0f, Float.MIN_VALUE, 3e38f}, 2, 2));
    tensors.put("f64", Tensor.of(new double[] {Double.NEGATIVE_INFINITY, 1e-310, 0.1}, 3));
    tensors.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, 2));
    tensors.put("bool", Tensor.of(new boolean[] {true, false, true}, 3));
    tensors.put("bf16", Tensor.of(new float[] {1f, -2.5f, 1e30f}, 3).to(DType.BFLOAT16));
    tensors.put("scalar", Tensor.scalar(2.5));
    tensors.put("strided", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1));
    SafeTensors.Contents back = SafeTensors.read(SafeTensors.write(tensors, Map.of()), "test");
    assertEquals(tensors.keySet(), back.tensors().keySet());
    for (String k : tensors.keySet()) {
      Tensor a = tensors.get(k);
      Tensor b = back.tensors().get(k);
      assertEquals(a.dtype(), b.dtype(), k);
      assertArrayEquals(a.shape(), b.shape(), k);
      switch (a.dtype()) {
        case FLOAT32 -> assertArrayEquals(bits(a.toFloatArray()), bits(b.toFloatArray()), k);
        case FLOAT64 -> assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), k);
        case INT64 -> assertArrayEquals(a.toLongArray(), b.toLongArray(), k);
        case BOOL -> assertArrayEquals(a.toBooleanArray(), b.toBooleanArray(), k);
        default -> assertArrayEquals(a.toBFloat16Bits(), b.toBFloat16Bits(), k);
      }
    }
  }

  private static int[] bits(float[] f) {
    int[] out = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = Float.floatToRawIntBits(f[i]);
    }
    return out;
  }

  @Test
  void reportsMalformedFiles() {
    byte[] good = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", littleEndianFloats(1, 2));
    assertMessage(Arrays.copyOf(good, 5), "is truncated");
    assertMessage(Arrays.copyOf(good, 20), "is truncated");
    assertMessage(Arrays.copyOf(good, good.length - 1), "is truncated");
    assertMessage(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", littleEndianFloats(1, 2, 3)),
        "not described by the header");
    assertMessage(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", littleEndianFloats(1, 2)),
        "needs 12 bytes");
    assertMessage(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", littleEndianFloats(1, 2)), "overlap");
    assertMessage(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", littleEndianFloats(1)),
        "dtype F16");
    assertMessage(file("{\"w\": [1, 2", new byte[0]), "not valid JSON");
    byte[] huge = good.clone();
    ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
    assertMessage(huge, "not a plausible size");
  }

  @Test
  void reportsADamagedTensorByte() {
    byte[] bytes = SafeTensors.write(Map.of("w", Tensor.ones(4)), Map.of());
    bytes[bytes.length - 2] ^= 0x10;
    assertMessage(bytes, "SHA-256");
  }

  private static void assertMessage(byte[] bytes, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(bytes, "f"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
