package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Padding;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/** 2-D max pooling; strides default to the pool size, padding to {@code valid}, as in Keras. */
public final class MaxPooling2D implements Layer {
  private final LayerSupport s = new LayerSupport("max_pooling2d");
  private final int poolH;
  private final int poolW;
  private int strideH;
  private int strideW;
  private Padding padding = Padding.VALID;
  private String dataFormat = "channels_last";
  private int[] inputShape;

  public MaxPooling2D(int poolH, int poolW) {
    this.poolH = Layers.positive("MaxPooling2D", "pool height", poolH);
    this.poolW = Layers.positive("MaxPooling2D", "pool width", poolW);
    this.strideH = poolH;
    this.strideW = poolW;
  }

  public MaxPooling2D() {
    this(2, 2);
  }

  public MaxPooling2D name(String name) {
    s.requireUnbuilt();
    s.name(name);
    return this;
  }

  public MaxPooling2D strides(int sh, int sw) {
    s.requireUnbuilt();
    strideH = Layers.positive("MaxPooling2D", "stride", sh);
    strideW = Layers.positive("MaxPooling2D", "stride", sw);
    return this;
  }

  public MaxPooling2D padding(String p) {
    s.requireUnbuilt();
    padding = Layers.padding("MaxPooling2D", p);
    return this;
  }

  public MaxPooling2D dataFormat(String f) {
    s.requireUnbuilt();
    dataFormat = Layers.dataFormat("MaxPooling2D", f);
    return this;
  }

  public MaxPooling2D inputShape(int... shape) {
    s.requireUnbuilt();
    inputShape = Layers.checkInputShape("MaxPooling2D", shape);
    return this;
  }

  public int[] declaredInputShape() {
    return inputShape == null ? null : inputShape.clone();
  }

  @Override
  public String name() {
    return s.name();
  }

  @Override
  public boolean built() {
    return s.built();
  }

  private boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }

  @Override
  public Shape outputShape(Shape in) {
    if (in.rank() != 3) {
      throw new IllegalArgumentException(
          "MaxPooling2D expects rank 4 input, received shape [batch, "
              + LayerSupport.join(in.dims()) + "]");
    }
    int h = channelsFirst() ? in.dim(1) : in.dim(0);
    int w = channelsFirst() ? in.dim(2) : in.dim(1);
    int c = channelsFirst() ? in.dim(0) : in.dim(2);
    int oh = Layers.outSize(s.name(), h, poolH, strideH, padding);
    int ow = Layers.outSize(s.name(), w, poolW, strideW, padding);
    return channelsFirst() ? Shape.of(c, oh, ow) : Shape.of(oh, ow, c);
  }

  @Override
  public Shape build(Shape in, SplittableRandom rng) {
    s.requireUnbuilt();
    Shape out = outputShape(in);
    s.built(in, out);
    return out;
  }

  @Override
  public Tensor forward(Tensor x, ForwardContext ctx) {
    s.requireBuilt();
    s.checkInput(x);
    Tensor nhwc = channelsFirst() ? x.permute(0, 2, 3, 1) : x;
    Tensor y = nhwc.maxPool2d(poolH, poolW, strideH, strideW, padding);
    return channelsFirst() ? y.permute(0, 3, 1, 2) : y;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of();
  }

  @Override
  public Config config() {
    return LayerConfigs.maxPooling2d(this, poolH, poolW, strideH, strideW, padding, dataFormat,
        inputShape);
  }

}
