package io.github.maxnorm.io;

import io.github.maxnorm.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file: its tensors and its optional string metadata.
 *
 * @param tensors the tensors by name, in the order the file's header lists them; copied in,
 *     unmodifiable
 * @param metadata the {@code __metadata__} entries (empty when the file has none); copied in,
 *     unmodifiable
 */
public record SafeTensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
  public SafeTensorsFile {
    if (tensors == null) {
      throw new IllegalArgumentException("SafeTensorsFile: tensors must not be null");
    }
    if (metadata == null) {
      throw new IllegalArgumentException("SafeTensorsFile: metadata must not be null");
    }
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }
}
