package io.github.maxnorm.interop.keras;

import java.util.List;
import java.util.Objects;

/**
 * The weights of one layer in Keras's {@code get_weights()} order (kernel before bias; gamma, beta,
 * moving mean, moving variance).
 *
 * @param layerName the layer's name; for a Keras 3 weights-only file without a config, the
 *     layer's key in the file ({@code dense}, {@code dense_1}, ...): see {@link KerasStoreKeys}
 * @param weights the weights, possibly none
 */
public record LayerWeights(String layerName, List<KerasWeight> weights) {

  /** Validates and copies the list. */
  public LayerWeights {
    Objects.requireNonNull(layerName, "layerName");
    if (layerName.isEmpty()) {
      throw new IllegalArgumentException("LayerWeights: layer name must not be empty");
    }
    weights = List.copyOf(weights);
  }

  /** The weight at {@code index}. */
  public KerasWeight get(int index) {
    return weights.get(index);
  }

  /** The number of weights. */
  public int size() {
    return weights.size();
  }
}
