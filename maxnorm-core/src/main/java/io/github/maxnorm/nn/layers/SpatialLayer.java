package io.github.maxnorm.nn.layers;

/**
 * A layer without weights that acts on sequences or images and takes Keras's {@code data_format}:
 * {@code channels_last} (the default) or {@code channels_first}.
 *
 * @param <L> the concrete layer type
 */
public abstract class SpatialLayer<L extends SpatialLayer<L>> extends BaseLayer<L> {
  private String dataFormat = "channels_last";

  SpatialLayer(String className) {
    super(className);
  }

  /** {@code "channels_last"} (default) or {@code "channels_first"}. */
  public L dataFormat(String f) {
    requireUnbuilt();
    dataFormat = Spatial.dataFormat(className(), f);
    return self();
  }

  public String dataFormat() {
    return dataFormat;
  }

  final boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }
}
