package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * Enlarges an image by whole factors: {@code nearest} repeats each row and column, {@code
 * bilinear} interpolates with half-pixel centres (TensorFlow's {@code resize} and PyTorch's
 * {@code align_corners=False}: output pixel {@code i} samples input position {@code (i + 0.5) /
 * factor - 0.5}, clamped to the image).
 */
public final class UpSampling2D extends SpatialLayer<UpSampling2D> {
  private final int[] size;
  private String interpolation = "nearest";

  public UpSampling2D(int... size) {
    super("UpSampling2D");
    this.size = Spatial.positive("UpSampling2D", "size",
        size.length == 0 ? new int[] {2, 2} : size.length == 1 ? new int[] {size[0], size[0]}
            : size, 2);
  }

  /** {@code "nearest"} (default) or {@code "bilinear"}. */
  public UpSampling2D interpolation(String i) {
    requireUnbuilt();
    if (!"nearest".equals(i) && !"bilinear".equals(i)) {
      throw new IllegalArgumentException(
          "UpSampling2D: interpolation must be nearest or bilinear, received '" + i + "'");
    }
    interpolation = i;
    return this;
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    Spatial.checkRank("UpSampling2D", in, 2);
    int[] hw = Spatial.sizes(in, 2, channelsFirst());
    return Spatial.shape(new int[] {hw[0] * size[0], hw[1] * size[1]},
        Spatial.channels(in, channelsFirst()), 2, channelsFirst());
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    Tensor t = Spatial.toNhwc(x, 2, channelsFirst());
    int[] d = t.shape().dims();
    Tensor y;
    if (interpolation.equals("nearest")) {
      y = t.reshape(d[0], d[1], 1, d[2], 1, d[3]).add(Tensor.zeros(1, 1, size[0], 1, size[1], 1))
          .reshape(d[0], d[1] * size[0], d[2] * size[1], d[3]);
    } else {
      // interpolate along H (as the last axis), then along W
      Tensor h = t.permute(0, 2, 3, 1).matmul(weights(d[1], size[0]));
      y = h.permute(0, 3, 2, 1).matmul(weights(d[2], size[1])).permute(0, 1, 3, 2);
    }
    return Spatial.fromNhwc(y, 2, channelsFirst());
  }

  /** The {@code [in, in * factor]} matrix of bilinear weights along one axis. */
  static Tensor weights(int in, int factor) {
    int out = in * factor;
    float[] w = new float[in * out];
    for (int i = 0; i < out; i++) {
      double src = Math.max((i + 0.5) / factor - 0.5, 0.0);
      int lo = Math.min((int) Math.floor(src), in - 1);
      int hi = Math.min(lo + 1, in - 1);
      double frac = src - lo;
      w[lo * out + i] += (float) (1 - frac);
      w[hi * out + i] += (float) frac;
    }
    return Tensor.of(w, in, out);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("size", ConvLayer.list(size));
    m.put("data_format", dataFormat());
    m.put("interpolation", interpolation);
  }

  static UpSampling2D fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new UpSampling2D(c.ints("size", 2, new int[] {2, 2}))
        .interpolation(c.string("interpolation", "nearest"))
        .dataFormat(c.string("data_format", "channels_last")));
  }
}
