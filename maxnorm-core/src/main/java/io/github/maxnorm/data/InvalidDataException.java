package io.github.maxnorm.data;

import java.io.IOException;

/**
 * Thrown when a data file or stream is malformed: a wrong magic number, a header that does not
 * match the bytes present, a truncated or corrupt gzip stream, trailing bytes, a label out of range,
 * a ragged or non-numeric CSV row, or a file that is missing where one is expected.
 *
 * <p>The message names the file (or other source) and says what is wrong, with the values found.
 * It is the one exception the readers of this package document for malformed input.
 */
public class InvalidDataException extends IOException {

  private static final long serialVersionUID = 1L;

  /** An exception with the given message, which should name the source. */
  public InvalidDataException(String message) {
    super(message);
  }

  /** An exception with the given message and the lower-level cause. */
  public InvalidDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
