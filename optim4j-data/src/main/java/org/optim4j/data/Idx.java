package org.optim4j.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.optim4j.tensor.Tensor;

/**
 * Reads and writes IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST.
 *
 * <p>An IDX file is a big-endian header — the magic number {@code 0x0000TTRR} (two zero bytes, the element
 * type {@code TT}, the rank {@code RR}), then one 32-bit size per dimension — followed by the elements in
 * row-major order. Only the unsigned-byte type ({@code 0x08}) is read: MNIST's images ({@code 0x00000803},
 * {@code [N, 28, 28]}) and labels ({@code 0x00000801}, {@code [N]}). A gzip file is recognised by its
 * magic bytes {@code 1f 8b}, whatever its name, and decompressed on the fly.
 *
 * <p>Since optim4j has no uint8 dtype, {@link #read(Path)} returns a rank-1 file (labels) as an int64
 * tensor and a file of higher rank (images) as a float32 tensor holding the byte values 0–255 unscaled.
 *
 * <p>Errors: an I/O failure (such as a missing file) is an {@link UncheckedIOException}; bad content — a
 * wrong magic number, an unsupported element type, a truncated file, more data than the header declares,
 * a corrupt gzip stream — is an {@link IllegalArgumentException} whose message names the file, says what
 * is wrong and how to fetch a fresh copy.
 */
public final class Idx {
  /** How to get the data; appended to every content error. */
  static final String FETCH_HINT =
      "run scripts/fetch-data.sh [DIR] to download MNIST and Fashion-MNIST into DIR (default data/)";

  private static final int UNSIGNED_BYTE = 0x08;
  private static final int MAX_RANK = 8;

  private Idx() {}

  /** The content of an unsigned-byte IDX file: its dimensions and its elements in row-major order. */
  record UnsignedBytes(String source, int[] dims, byte[] data) {}

  /**
   * Reads an IDX file of unsigned bytes, raw or gzip.
   *
   * @return an int64 tensor for a rank-1 file, a float32 tensor of the byte values 0–255 otherwise
   * @throws UncheckedIOException if the file cannot be read (for example, it does not exist)
   * @throws IllegalArgumentException if the content is not a valid unsigned-byte IDX file
   */
  public static Tensor read(Path path) {
    return toTensor(readUnsignedBytes(path));
  }

  /**
   * Reads an IDX file of unsigned bytes, raw or gzip, from {@code in} to its end; the stream is not
   * closed.
   *
   * @param source the name used in error messages, such as a file or resource name
   * @return an int64 tensor for a rank-1 file, a float32 tensor of the byte values 0–255 otherwise
   * @throws UncheckedIOException if the stream cannot be read
   * @throws IllegalArgumentException if the content is not a valid unsigned-byte IDX file
   */
  public static Tensor read(InputStream in, String source) {
    return toTensor(readUnsignedBytes(in, source));
  }

  /**
   * Writes {@code t} as an IDX file of unsigned bytes, gzip-compressed when the file name ends with
   * {@code .gz}; {@link #read(Path)} reads it back.
   *
   * @throws IllegalArgumentException if {@code t} is 0-dim, has more than 8 dimensions, or holds a value
   *     that is not an integer in [0, 255]
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writeUnsignedBytes(Path path, Tensor t) {
    Objects.requireNonNull(path, "path must not be null");
    Objects.requireNonNull(t, "tensor must not be null");
    if (t.dim() < 1 || t.dim() > MAX_RANK) {
      throw new IllegalArgumentException("IDX needs 1 to " + MAX_RANK + " dimensions, got " + t.dim());
    }
    double[] values = t.toDoubleArray();
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
        throw new IllegalArgumentException(
            "an unsigned-byte IDX file holds integers in [0, 255], but element " + i + " is " + v);
      }
      bytes[i] = (byte) v;
    }
    boolean gzip = path.getFileName().toString().endsWith(".gz");
    try (OutputStream file = Files.newOutputStream(path);
        OutputStream body = gzip ? new GZIPOutputStream(file) : file;
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(body))) {
      out.writeInt(UNSIGNED_BYTE << 8 | t.dim());
      for (int d : t.shape()) {
        out.writeInt(d);
      }
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  static UnsignedBytes readUnsignedBytes(Path path) {
    Objects.requireNonNull(path, "path must not be null");
    try (InputStream in = Files.newInputStream(path)) {
      return readUnsignedBytes(in, path.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e, e);
    }
  }

  static UnsignedBytes readUnsignedBytes(InputStream raw, String source) {
    Objects.requireNonNull(raw, "input stream must not be null");
    try {
      InputStream in = new BufferedInputStream(raw, 1 << 16);
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      if (gzip) {
        in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
      }
      try {
        return parse(in, source);
      } catch (EOFException e) {
        throw bad(source, "truncated: the gzip stream ends before the data its header declares");
      } catch (ZipException e) {
        throw bad(source, "corrupt gzip stream (" + e.getMessage() + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source + ": " + e, e);
    }
  }

  private static UnsignedBytes parse(InputStream in, String source) throws IOException {
    byte[] magic = new byte[4];
    int got = in.readNBytes(magic, 0, 4);
    if (got < 4) {
      throw bad(source, "truncated: the file ends after " + got + " bytes, inside the 4-byte magic number");
    }
    int magicNumber = (magic[0] & 0xFF) << 24 | (magic[1] & 0xFF) << 16 | (magic[2] & 0xFF) << 8
        | magic[3] & 0xFF;
    int type = magic[2] & 0xFF;
    int rank = magic[3] & 0xFF;
    if (magic[0] != 0 || magic[1] != 0 || rank < 1 || rank > MAX_RANK) {
      throw bad(source, String.format("wrong magic number 0x%08X: an IDX file starts with two zero bytes,"
          + " the element type and a rank of 1 to %d (MNIST images 0x00000803, labels 0x00000801)",
          magicNumber, MAX_RANK));
    }
    if (type != UNSIGNED_BYTE) {
      throw bad(source, String.format("magic number 0x%08X declares element type 0x%02X, but only unsigned"
          + " bytes (0x08) are supported", magicNumber, type));
    }
    byte[] header = new byte[4 * rank];
    got = in.readNBytes(header, 0, header.length);
    if (got < header.length) {
      throw bad(source, "truncated: the header declares " + rank + " dimensions but the file ends after "
          + (4 + got) + " of its " + (4 + header.length) + " header bytes");
    }
    int[] dims = new int[rank];
    long total = 1;
    for (int d = 0; d < rank; d++) {
      long size = (header[4 * d] & 0xFFL) << 24 | (header[4 * d + 1] & 0xFF) << 16
          | (header[4 * d + 2] & 0xFF) << 8 | header[4 * d + 3] & 0xFF;
      total *= size;
      if (size > Integer.MAX_VALUE || total > Integer.MAX_VALUE - 8) {
        throw bad(source, "the header declares more than 2^31 elements, more than one tensor can hold");
      }
      dims[d] = (int) size;
    }
    // Reads in growing chunks, so a corrupt header cannot make us allocate more than the file holds.
    byte[] data = in.readNBytes((int) total);
    if (data.length < total) {
      throw bad(source, "truncated: the header declares " + Arrays.toString(dims) + " (" + total
          + " bytes of data) but only " + data.length + " bytes follow");
    }
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw bad(source, "count mismatch: the header declares " + Arrays.toString(dims) + " (" + total
          + " bytes of data) but " + extra + " more bytes follow");
    }
    return new UnsignedBytes(source, dims, data);
  }

  private static Tensor toTensor(UnsignedBytes idx) {
    byte[] data = idx.data();
    if (idx.dims().length == 1) {
      long[] labels = new long[data.length];
      for (int i = 0; i < data.length; i++) {
        labels[i] = data[i] & 0xFF;
      }
      return Tensor.of(labels, idx.dims());
    }
    float[] values = new float[data.length];
    for (int i = 0; i < data.length; i++) {
      values[i] = data[i] & 0xFF;
    }
    return Tensor.of(values, idx.dims());
  }

  /** An error about the content of {@code source}: what is wrong, then how to get the data. */
  static IllegalArgumentException bad(String source, String what) {
    return new IllegalArgumentException(source + ": " + what + "; " + FETCH_HINT);
  }
}
