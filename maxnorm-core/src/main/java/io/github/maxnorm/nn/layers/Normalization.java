package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Initializers;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.GradMode;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Keras's preprocessing Normalization: {@code (x - mean) / max(sqrt(variance), 1e-7)} with a mean
 * and variance per position of the feature {@code axis} (default -1), stored as the non-trainable
 * weights {@code mean}, {@code variance} and {@code count} (Keras 2's adapt state) and saved with
 * the model. They come from {@link #adapt} on training data, from a loaded model file, or are
 * given ({@link #meanAndVariance}); a new layer normalizes nothing (mean 0, variance 1).
 */
public final class Normalization extends BaseLayer<Normalization> {
  private final FeatureAxes axes;
  private float[] givenMean;
  private float[] givenVariance;
  private Parameter mean;
  private Parameter variance;
  private Parameter count;

  public Normalization() {
    this(-1);
  }

  public Normalization(int... axis) {
    super("Normalization");
    this.axes = new FeatureAxes("Normalization", axis.length == 0 ? new int[] {-1} : axis);
  }

  /** Fixed statistics, one value per feature position (or one for all), as Keras's arguments. */
  public Normalization meanAndVariance(float[] mean, float[] variance) {
    requireUnbuilt();
    if (mean == null || variance == null || mean.length != variance.length || mean.length == 0) {
      throw new IllegalArgumentException(
          "Normalization: mean and variance need the same nonzero number of values");
    }
    givenMean = mean.clone();
    givenVariance = variance.clone();
    return this;
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    axes.sampleAxes(in);
    return in;
  }

  @Override
  protected void createWeights(List<Shape> in, WeightSink sink) {
    Shape p = axes.paramShape(in.get(0));
    int[] all = new int[p.rank()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    mean = sink.add("mean", p, Initializers.zeros(), null, null, all, false);
    variance = sink.add("variance", p, Initializers.ones(), null, null, all, false);
    count = sink.add("count", Shape.of(), Initializers.zeros(), null, null, new int[0], false);
    if (mean != null && givenMean != null) {
      fill(mean, givenMean);
      fill(variance, givenVariance);
    }
  }

  private static void fill(Parameter p, float[] values) {
    float[] d = p.variable().data();
    if (values.length != 1 && values.length != d.length) {
      throw new IllegalArgumentException(
          p.path() + ": " + values.length + " values given for " + d.length + " features");
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = values[values.length == 1 ? 0 : i];
    }
  }

  /**
   * Sets the mean and (biased) variance from a batch of samples {@code [n, ...inputShape]}, per
   * feature position, over every other axis; the layer must be built.
   */
  public Normalization adapt(Tensor data) {
    if (!built()) {
      throw new IllegalStateException(name() + ": build the model before adapt");
    }
    Shape in = inputShapes().get(0);
    int[] reduced = axes.reducedAxes(in, true);
    try (GradMode.Scope ignored = GradMode.off()) {
      Tensor m = data.meanKeepDims(reduced);
      Tensor v = data.sub(m).square().meanKeepDims(reduced);
      fill(mean, m.toArray());
      fill(variance, v.toArray());
    }
    count.variable().data()[0] = data.size() / (float) mean.shape().size();
    return this;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    Shape in = inputShapes().get(0);
    Tensor m = axes.broadcastable(mean.variable().constant(), in);
    Tensor sd = axes.broadcastable(variance.variable().constant(), in).sqrt()
        .maximum(Tensor.scalar(1e-7f));
    return x.sub(m).div(sd);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("axis", axes.config());
    m.put("mean", givenMean == null ? null : floats(givenMean));
    m.put("variance", givenVariance == null ? null : floats(givenVariance));
  }

  private static List<Double> floats(float[] v) {
    List<Double> l = new java.util.ArrayList<>();
    for (float f : v) {
      l.add((double) f);
    }
    return l;
  }

  static Normalization fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    Normalization n = new Normalization(FeatureAxes.read(c));
    float[] m = values(c, "mean");
    float[] v = values(c, "variance");
    if (m != null || v != null) {
      n.meanAndVariance(m, v);
    }
    if (c.bool("invert", false)) {
      throw new IllegalArgumentException("Normalization: invert is not supported");
    }
    return c.finish(n);
  }

  private static float[] values(LayerConfig c, String key) {
    Object v = c.raw(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number x) {
      return new float[] {x.floatValue()};
    }
    List<?> l = c.list(key);
    float[] r = new float[l.size()];
    for (int i = 0; i < r.length; i++) {
      if (!(l.get(i) instanceof Number x)) {
        throw new IllegalArgumentException("Normalization: " + key + " must hold numbers");
      }
      r[i] = x.floatValue();
    }
    return r;
  }
}
