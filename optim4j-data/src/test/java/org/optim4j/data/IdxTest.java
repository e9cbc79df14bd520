package org.optim4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;

class IdxTest {
  @TempDir Path dir;

  /** The bytes of an unsigned-byte IDX file, built by hand from the format's definition. */
  private static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.putInt(0x800 | dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.put(data).array();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] ramp(int n) {
    byte[] data = new byte[n];
    for (int i = 0; i < n; i++) {
      data[i] = (byte) (i * 37 % 256);
    }
    return data;
  }

  private Path file(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private IllegalArgumentException badContent(byte[] content) throws IOException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Idx.read(file("bad", content)));
    assertTrue(e.getMessage().contains("scripts/fetch-data.sh"), e.getMessage());
    return e;
  }

  @Test
  void readsHandWrittenImagesAsFloatAndLabelsAsInt64() throws IOException {
    byte[] pixels = ramp(2 * 3 * 4);
    Tensor images = Idx.read(file("images", idx(new int[] {2, 3, 4}, pixels)));
    assertEquals(DType.FLOAT32, images.dtype());
    assertArrayEquals(new int[] {2, 3, 4}, images.shape());
    float[] values = images.toFloatArray();
    for (int i = 0; i < pixels.length; i++) {
      assertEquals(pixels[i] & 0xFF, values[i]);
    }
    Tensor labels = Idx.read(file("labels", idx(new int[] {3}, new byte[] {9, 0, (byte) 255})));
    assertEquals(DType.INT64, labels.dtype());
    assertArrayEquals(new long[] {9, 0, 255}, labels.toLongArray());
  }

  @Test
  void gzipIsDetectedByItsMagicBytesNotItsName() throws IOException {
    byte[] raw = idx(new int[] {4, 2, 2}, ramp(16));
    Tensor fromRaw = Idx.read(file("plain.gz", raw));
    Tensor fromGzip = Idx.read(file("compressed", gzip(raw)));
    assertArrayEquals(fromRaw.toFloatArray(), fromGzip.toFloatArray());
    assertArrayEquals(new int[] {4, 2, 2}, fromGzip.shape());
  }

  @Test
  void roundTripsRawAndGzip() {
    Tensor images = Tensor.of(new float[] {0, 1, 2, 253, 254, 255, 17, 128}, 2, 2, 2);
    Tensor labels = Tensor.of(new long[] {3, 1, 4, 1, 5});
    for (String suffix : new String[] {"", ".gz"}) {
      Path imagesPath = dir.resolve("images" + suffix);
      Path labelsPath = dir.resolve("labels" + suffix);
      Idx.writeUnsignedBytes(imagesPath, images);
      Idx.writeUnsignedBytes(labelsPath, labels);
      Tensor readImages = Idx.read(imagesPath);
      assertArrayEquals(images.shape(), readImages.shape());
      assertArrayEquals(images.toFloatArray(), readImages.toFloatArray());
      assertArrayEquals(labels.toLongArray(), Idx.read(labelsPath).toLongArray());
    }
  }

  @Test
  void writtenFileMatchesTheFormat() throws IOException {
    Path path = dir.resolve("labels");
    Idx.writeUnsignedBytes(path, Tensor.of(new long[] {7, 200}));
    assertArrayEquals(idx(new int[] {2}, new byte[] {7, (byte) 200}), Files.readAllBytes(path));
    Idx.writeUnsignedBytes(dir.resolve("labels.gz"), Tensor.of(new long[] {7, 200}));
    byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve("labels.gz")), 2);
    assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, head);
  }

  @Test
  void writeRejectsValuesThatAreNotUnsignedBytes() {
    Path path = dir.resolve("x");
    assertThrows(IllegalArgumentException.class, () -> Idx.writeUnsignedBytes(path, Tensor.of(new float[] {256})));
    assertThrows(IllegalArgumentException.class, () -> Idx.writeUnsignedBytes(path, Tensor.of(new float[] {-1})));
    assertThrows(IllegalArgumentException.class, () -> Idx.writeUnsignedBytes(path, Tensor.of(new float[] {0.5f})));
    assertThrows(IllegalArgumentException.class, () -> Idx.writeUnsignedBytes(path, Tensor.scalar(1)));
  }

  @Test
  void truncatedDataIsReported() throws IOException {
    byte[] whole = idx(new int[] {3, 2, 2}, ramp(12));
    IllegalArgumentException e = badContent(Arrays.copyOf(whole, whole.length - 5));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("only 7 bytes follow"), e.getMessage());
  }

  @Test
  void truncatedHeaderIsReported() throws IOException {
    byte[] whole = idx(new int[] {3, 2, 2}, ramp(12));
    assertTrue(badContent(Arrays.copyOf(whole, 9)).getMessage().contains("truncated"));
    assertTrue(badContent(Arrays.copyOf(whole, 2)).getMessage().contains("truncated"));
    assertTrue(badContent(new byte[0]).getMessage().contains("truncated"));
  }

  @Test
  void truncatedGzipIsReported() throws IOException {
    byte[] whole = gzip(idx(new int[] {50, 10, 10}, ramp(5000)));
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);
    assertTrue(badContent(cut).getMessage().contains("truncated"));
    byte[] uncompressedCut = gzip(Arrays.copyOf(idx(new int[] {50, 10, 10}, ramp(5000)), 3000));
    assertTrue(badContent(uncompressedCut).getMessage().contains("truncated"));
  }

  @Test
  void wrongMagicNumberIsReported() throws IOException {
    byte[] html = "<html><body>Not Found</body></html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    IllegalArgumentException e = badContent(html);
    assertTrue(e.getMessage().contains("wrong magic number 0x3C68746D"), e.getMessage());
    byte[] rankZero = {0, 0, 8, 0};
    assertTrue(badContent(rankZero).getMessage().contains("wrong magic number 0x00000800"));
    byte[] floats = idx(new int[] {1}, new byte[4]);
    floats[2] = 0x0D;
    assertTrue(badContent(floats).getMessage().contains("element type 0x0D"));
  }

  @Test
  void moreDataThanTheHeaderDeclaresIsACountMismatch() throws IOException {
    byte[] labels = idx(new int[] {10}, ramp(12));
    IllegalArgumentException e = badContent(labels);
    assertTrue(e.getMessage().contains("count mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("2 more bytes"), e.getMessage());
    assertTrue(badContent(gzip(labels)).getMessage().contains("count mismatch"));
  }

  @Test
  void corruptGzipIsBadContent() throws IOException {
    byte[] whole = gzip(idx(new int[] {100}, ramp(100)));
    for (int i = 12; i < whole.length - 8; i++) {
      whole[i] ^= 0x5A;
    }
    badContent(whole);
  }

  @Test
  void missingFileIsAnIoError() {
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Idx.read(dir.resolve("nope")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void readsFromAStream() {
    byte[] bytes = idx(new int[] {2}, new byte[] {4, 2});
    Tensor t = Idx.read(new ByteArrayInputStream(bytes), "stream");
    assertArrayEquals(new long[] {4, 2}, t.toLongArray());
  }
}
