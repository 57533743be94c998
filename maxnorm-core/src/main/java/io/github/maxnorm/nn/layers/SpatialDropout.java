package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * Dropout of whole feature maps (SpatialDropout1D and SpatialDropout2D): one mask value per
 * sample and channel, shared by every position of the sequence or image.
 */
public abstract class SpatialDropout<L extends SpatialDropout<L>> extends SpatialLayer<L> {
  final int rank;
  private final Dropout dropout;

  /**
   * @param rank 1 for SpatialDropout1D (sequences), 2 for SpatialDropout2D (images)
   * @param rate the probability of dropping a feature map, in [0, 1)
   */
  SpatialDropout(int rank, double rate) {
    super("SpatialDropout" + rank + "D");
    if (rank != 1 && rank != 2) {
      throw new IllegalArgumentException("SpatialDropout: rank must be 1 or 2, received " + rank);
    }
    this.rank = rank;
    this.dropout = new Dropout(className(), rate);
  }

  @Override
  protected io.github.maxnorm.tensor.Shape computeOutputShape(io.github.maxnorm.tensor.Shape in) {
    Spatial.checkRank(className(), in, rank);
    return in;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    if (!ctx.training() || dropout.rate() == 0) {
      return x;
    }
    int[] s = x.shape().dims().clone();
    int from = channelsFirst() ? 2 : 1;
    for (int i = from; i < from + rank; i++) {
      s[i] = 1;
    }
    return x.mul(Tensor.ones(s).dropout((float) dropout.rate(), ctx.seedFor(name().hashCode())));
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("rate", dropout.rate());
    if (rank == 2) {
      m.put("data_format", dataFormat());
    }
  }

  static <L extends SpatialDropout<L>> L fromConfig(Config config,
      java.util.function.DoubleFunction<L> make) {
    LayerConfig c = new LayerConfig(config);
    L d = make.apply(c.number("rate", 0));
    if (d.rank == 2) {
      d.dataFormat(c.string("data_format", "channels_last"));
    }
    c.raw("noise_shape");
    c.raw("seed");
    return c.finish(d);
  }
}
