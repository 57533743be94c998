package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/** Applies a named activation ({@link Activations}) to its input. */
public final class Activation extends BaseLayer<Activation> {
  private final String activation;

  public Activation(String activation) {
    super("Activation");
    this.activation = Activations.canonical(activation);
  }

  public String activation() {
    return activation;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    return Activations.apply(activation, x);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("activation", activation);
  }

  static Activation fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new Activation(c.string("activation", "linear")));
  }
}
