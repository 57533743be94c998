package io.github.maxnorm.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole-file replacement that a concurrent reader or a crash never observes half done: the content
 * goes to a temporary file in the target's directory, is forced to storage, and is then renamed
 * over the target in one atomic step; finally the directory itself is forced where the platform
 * allows it, so the rename survives a power loss. Public so that writers of other formats (Keras,
 * TensorFlow.js) replace files the same way.
 */
public final class AtomicFiles {
  private static final AtomicLong COUNTER = new AtomicLong();

  private AtomicFiles() {}

  /** Writes the content of a file to a stream; the stream must not be closed by the writer. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Replaces {@code target} with the bytes {@code content} writes. On failure the target is left as
   * it was and the temporary file is removed.
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null) {
      throw new IllegalArgumentException("cannot write to a file system root: " + target);
    }
    Path tmp = createTemp(dir, absolute.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        content.writeTo(out);
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      forceDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** A new, empty file next to the target, created with the default permissions. */
  private static Path createTemp(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String unique =
          Long.toHexString(ProcessHandle.current().pid()) + "-"
              + Long.toHexString(System.nanoTime()) + "-"
              + Long.toHexString(COUNTER.incrementAndGet());
      Path tmp = dir.resolve("." + name + "." + unique + ".tmp");
      try {
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  /** Forces the directory entry to storage; not every platform can open a directory for this. */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows and some file systems refuse; the rename itself is still atomic there.
    }
  }
}
