package org.optim4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file all at once: the bytes go to a temporary file in the same directory, which is flushed
 * to the disk ({@code fsync}) and then renamed over the target, and the directory is flushed too. A reader
 * sees the old file or the new one, never a mixture, and a crash or failure before the rename leaves the
 * old file as it was.
 */
public final class AtomicFiles {
  /** Runs between the flushed write and the rename; tests use it to fail there. */
  @FunctionalInterface
  interface BeforeRename {
    void run(Path temporary) throws IOException;
  }

  private AtomicFiles() {}

  /** Writes {@code text} (UTF-8) to {@code target} atomically. */
  public static void write(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code bytes} to {@code target} atomically, creating its directory if needed.
   *
   * @throws UncheckedIOException if the write fails; the previous file, if any, is then unchanged
   */
  public static void write(Path target, byte[] bytes) {
    write(target, bytes, t -> {});
  }

  static void write(Path target, byte[] bytes, BeforeRename beforeRename) {
    Path dir = target.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      Files.createDirectories(dir);
      temporary = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      setPermissions(temporary, target);
      try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      beforeRename.run(temporary);
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
      syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // the temporary file is hidden and named as such; leaving it behind is harmless
        }
      }
    }
  }

  /** Gives the new file the old one's permissions, or rw-r--r-- (a temporary file starts as rw-------). */
  private static void setPermissions(Path temporary, Path target) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.exists(target) ? Files.getPosixFilePermissions(target)
          : PosixFilePermissions.fromString("rw-r--r--");
      Files.setPosixFilePermissions(temporary, perms);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the platform's defaults apply
    }
  }

  /** Flushes a directory entry (the rename) to the disk where the platform allows opening a directory. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every platform can fsync a directory; the file itself is already on the disk
    }
  }
}
