package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Layer normalization: each sample is normalized by its own mean and (biased) variance over the
 * feature {@code axis} (default -1; several axes may be given), then scaled by gamma and shifted by
 * beta, which have the sizes of those axes; epsilon 1e-3 as in Keras. The same in training and at
 * inference.
 */
public final class LayerNormalization extends Normalizing<LayerNormalization> {
  public LayerNormalization() {
    this(-1);
  }

  public LayerNormalization(int... axes) {
    super("LayerNormalization", axes.length == 0 ? new int[] {-1} : axes);
  }

  @Override
  protected void createWeights(List<Shape> in, WeightSink sink) {
    declareGammaBeta(sink, in.get(0));
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    Shape in = inputShapes().get(0);
    int[] feature = axes.batchAxes(in);
    Tensor centered = x.sub(x.meanKeepDims(feature));
    return normalize(centered, centered.square().meanKeepDims(feature), in);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    writeNormConfig(m);
  }

  static LayerNormalization fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    if (c.bool("rms_scaling", false)) {
      throw new IllegalArgumentException("LayerNormalization: rms_scaling is not supported");
    }
    return c.finish(new LayerNormalization(FeatureAxes.read(c)).readNormConfig(c));
  }
}
