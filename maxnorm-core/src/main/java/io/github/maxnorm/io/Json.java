package io.github.maxnorm.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict JSON for file headers and archive entries: UTF-8 only (malformed bytes are errors),
 * duplicate keys are errors, and nothing but whitespace may follow the top-level value. Parsing
 * builds a plain tree; no Java types are bound, so a file cannot name a class to instantiate.
 */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** Parses {@code bytes} as one UTF-8 JSON value, or throws naming {@code source}. */
  static JsonNode parse(byte[] bytes, int length, String source) throws ModelFormatException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, 0, length))
              .toString();
    } catch (CharacterCodingException e) {
      throw ModelFormatException.of(source, "JSON is not valid UTF-8", e);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw ModelFormatException.of(source, "malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw ModelFormatException.of(source, "JSON is empty");
    }
    return node;
  }

  /** The compact UTF-8 encoding of {@code node}. */
  static byte[] toBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode JSON: " + e.getOriginalMessage(), e);
    }
  }
}
