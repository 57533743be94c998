package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.maxnorm.io.ModelFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON as Keras and TensorFlow.js write it, parsed into plain trees within {@link KerasReadLimits}:
 * UTF-8 only, duplicate keys refused, nothing after the value, nesting bounded. Python's {@code
 * json} writes {@code NaN} and {@code Infinity} for non-finite floats, so those are accepted. No
 * Java type is ever bound, so a file cannot name a class to instantiate.
 */
public final class KerasJson {
  /** Compact writer for configs written into files (keys in insertion order). */
  static final ObjectMapper WRITER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private KerasJson() {}

  private static ObjectMapper reader(KerasReadLimits limits) {
    JsonFactory factory =
        JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxDepth())
                    .maxDocumentLength(limits.maxJsonBytes())
                    .build())
            .build();
    return JsonMapper.builder(factory)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /**
   * Parses one JSON value from UTF-8 {@code bytes}, or throws a {@link ModelFormatException} naming
   * {@code source}.
   */
  public static JsonNode parse(byte[] bytes, String source, KerasReadLimits limits)
      throws ModelFormatException {
    if (bytes.length > limits.maxJsonBytes()) {
      throw new ModelFormatException(
          source + ": JSON of " + bytes.length + " bytes exceeds the limit of "
              + limits.maxJsonBytes());
    }
    JsonNode node;
    try {
      // Jackson decodes the bytes as UTF-8 and reports malformed sequences as parse errors
      node = reader(limits).readTree(bytes);
    } catch (IOException | RuntimeException e) {
      throw malformed(source, e);
    }
    return present(node, source);
  }

  private static ModelFormatException malformed(String source, Exception e) {
    String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
        ? j.getOriginalMessage() : String.valueOf(e.getMessage());
    return new ModelFormatException(source + ": malformed JSON: " + firstLine(why), e);
  }

  private static JsonNode present(JsonNode node, String source) throws ModelFormatException {
    if (node == null || node.isMissingNode()) {
      throw new ModelFormatException(source + ": JSON is empty");
    }
    return node;
  }

  /** Parses one JSON value from {@code text}, or throws naming {@code source}. */
  public static JsonNode parse(String text, String source, KerasReadLimits limits)
      throws ModelFormatException {
    JsonNode node;
    try {
      node = reader(limits).readTree(text);
    } catch (IOException | RuntimeException e) {
      throw malformed(source, e);
    }
    return present(node, source);
  }

  /** The bytes of a JSON file, refusing one larger than the limit. */
  public static byte[] readFileBytes(java.nio.file.Path path, String source, KerasReadLimits limits)
      throws IOException {
    return KerasArchive.readCapped(path, source, limits.maxJsonBytes());
  }

  /** Compact UTF-8 JSON of {@code node}. */
  public static byte[] toBytes(JsonNode node) {
    try {
      return WRITER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode JSON: " + e.getMessage(), e);
    }
  }

  /** Compact JSON text of {@code node}. */
  public static String toText(JsonNode node) {
    return new String(toBytes(node), StandardCharsets.UTF_8);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl >= 0 ? s.substring(0, nl) : s;
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
