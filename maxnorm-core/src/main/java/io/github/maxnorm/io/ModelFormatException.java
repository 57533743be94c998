package io.github.maxnorm.io;

import java.io.IOException;

/**
 * A model or tensor file whose contents break the format: truncated or oversized data, malformed
 * JSON, unsupported dtypes, inconsistent offsets, unsafe or duplicate zip entries, missing entries
 * or an unknown format version. The message names the file (or stream) and the problem.
 *
 * <p>Failures of the underlying storage (a missing file, a permission error, a failing disk) are
 * reported as other {@link IOException}s, so callers can tell a bad file from a bad read.
 */
public final class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A format error described by {@code message}, which should name the source and the problem. */
  public ModelFormatException(String message) {
    super(message);
  }

  /** A format error detected through {@code cause} (e.g. a JSON or zip parser error). */
  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  static ModelFormatException of(String source, String problem) {
    return new ModelFormatException(source + ": " + problem);
  }

  static ModelFormatException of(String source, String problem, Throwable cause) {
    return new ModelFormatException(source + ": " + problem, cause);
  }
}
