package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * The mean or maximum over all spatial positions of a sequence or image, one value per channel;
 * with {@code keepdims} the spatial axes stay, with size 1.
 *
 * @param <L> the concrete layer type
 */
public abstract class GlobalPooling<L extends GlobalPooling<L>> extends SpatialLayer<L> {
  private final int rank;
  private final boolean max;
  private boolean keepDims;

  GlobalPooling(String className, int rank, boolean max) {
    super(className);
    this.rank = rank;
    this.max = max;
  }

  /** Whether the pooled spatial axes stay, with size 1 (default false). */
  public L keepDims(boolean k) {
    requireUnbuilt();
    keepDims = k;
    return self();
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    Spatial.checkRank(className(), in, rank);
    int c = Spatial.channels(in, channelsFirst());
    return keepDims ? Spatial.shape(new int[] {1, 1}, c, rank, channelsFirst()) : Shape.of(c);
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = (channelsFirst() ? 2 : 1) + i;
    }
    if (keepDims) {
      return max ? x.maxKeepDims(axes) : x.meanKeepDims(axes);
    }
    return max ? x.max(axes) : x.mean(axes);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("data_format", dataFormat());
    m.put("keepdims", keepDims);
  }

  static <L extends GlobalPooling<L>> L read(Config config, L layer) {
    LayerConfig c = new LayerConfig(config);
    layer.dataFormat(c.string("data_format", "channels_last"));
    layer.keepDims(c.bool("keepdims", false));
    return c.finish(layer);
  }
}
