package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Padding;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * Max or average pooling of rank 1 or 2, as Keras: strides default to the pool size, padding to
 * {@code valid}; average pooling with {@code same} padding averages only the cells inside the
 * input.
 *
 * @param <L> the concrete layer type
 */
public abstract class Pooling<L extends Pooling<L>> extends SpatialLayer<L> {
  private final int rank;
  private final boolean max;
  final int[] poolSize;
  private int[] strides;
  private String padding = "valid";

  /** @param poolSize the window, one size per spatial axis; none for Keras's default of 2 */
  Pooling(String className, int rank, boolean max, int[] poolSize) {
    super(className);
    this.rank = rank;
    this.max = max;
    int[] p = poolSize.length == 0 ? (rank == 1 ? new int[] {2} : new int[] {2, 2}) : poolSize;
    this.poolSize = Spatial.positive(className, "pool_size", p, rank);
    this.strides = this.poolSize.clone();
  }

  public L strides(int... s) {
    requireUnbuilt();
    strides = Spatial.positive(className(), "strides", s, rank);
    return self();
  }

  /** {@code "valid"} (default) or {@code "same"}. */
  public L padding(String p) {
    requireUnbuilt();
    padding = Spatial.padding(className(), p, false);
    return self();
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    Spatial.checkRank(className(), in, rank);
    int[] hw = Spatial.sizes(in, rank, channelsFirst());
    int[] k = Spatial.hw(poolSize, rank);
    int[] s = Spatial.hw(strides, rank);
    int[] out = {Spatial.outSize(name(), hw[0], k[0], s[0], 1, padding),
        Spatial.outSize(name(), hw[1], k[1], s[1], 1, padding)};
    return Spatial.shape(out, Spatial.channels(in, channelsFirst()), rank, channelsFirst());
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    Tensor nhwc = Spatial.toNhwc(x, rank, channelsFirst());
    int[] k = Spatial.hw(poolSize, rank);
    int[] s = Spatial.hw(strides, rank);
    Padding p = Spatial.mode(padding);
    Tensor y = max ? nhwc.maxPool2d(k[0], k[1], s[0], s[1], p)
        : nhwc.avgPool2d(k[0], k[1], s[0], s[1], p);
    return Spatial.fromNhwc(y, rank, channelsFirst());
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("pool_size", ConvLayer.list(poolSize));
    m.put("padding", padding);
    m.put("strides", ConvLayer.list(strides));
    m.put("data_format", dataFormat());
  }

  /** Reads a pooling config into the layer {@code make} builds from the pool size. */
  static <L extends Pooling<L>> L read(Config config, int rank,
      java.util.function.Function<int[], L> make) {
    LayerConfig c = new LayerConfig(config);
    int[] pool = c.ints("pool_size", rank, new int[0]);
    L l = make.apply(pool);
    pool = l.poolSize;
    l.strides(c.ints("strides", rank, pool));
    l.padding(c.string("padding", "valid"));
    l.dataFormat(c.string("data_format", "channels_last"));
    return c.finish(l);
  }
}
