package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Inverted dropout: in training each input is zeroed with probability {@code rate} and the rest are
 * scaled by {@code 1 / (1 - rate)}; at inference the layer is the identity. The mask of a step is
 * drawn from a generator seeded by the step's seed and this layer's name, so it is reproducible.
 * With a {@code noise_shape} (Keras's, batch axis included, 0 standing for Keras's {@code None}:
 * the input's size) one mask value is shared along every axis of size 1, e.g. {@code (0, 1, 1, 0)}
 * drops whole feature maps.
 */
public final class Dropout extends BaseLayer<Dropout> {
  private final double rate;
  private int[] noiseShape;

  /** @param rate the probability of dropping an input, in [0, 1) */
  public Dropout(double rate) {
    this("Dropout", rate);
  }

  Dropout(String className, double rate) {
    super(className);
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException(className + ": rate must be in [0, 1), received " + rate);
    }
    this.rate = rate;
  }

  public double rate() {
    return rate;
  }

  /** Keras's {@code noise_shape}, batch axis included; 0 means the input's size on that axis. */
  public Dropout noiseShape(int... shape) {
    requireUnbuilt();
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            className() + ": noise_shape sizes must be >= 0 (0 for the input's), received "
                + Arrays.toString(shape));
      }
    }
    noiseShape = shape.clone();
    return this;
  }

  /** The noise shape for a batch of shape {@code x}, or null for one value per element. */
  int[] noiseShapeFor(Tensor x) {
    if (noiseShape == null) {
      return null;
    }
    int[] d = x.shape().dims();
    if (noiseShape.length != d.length) {
      throw new IllegalArgumentException(
          name() + ": noise_shape " + Arrays.toString(noiseShape) + " does not fit input "
              + x.shape());
    }
    int[] s = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      s[i] = noiseShape[i] == 0 ? d[i] : noiseShape[i];
      if (s[i] != 1 && s[i] != d[i]) {
        throw new IllegalArgumentException(
            name() + ": noise_shape " + Arrays.toString(noiseShape) + " does not fit input "
                + x.shape());
      }
    }
    return s;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    if (!ctx.training() || rate == 0) {
      return x;
    }
    long seed = ctx.seedFor(name().hashCode());
    int[] s = noiseShapeFor(x);
    if (s == null || Arrays.equals(s, x.shape().dims())) {
      return x.dropout((float) rate, seed);
    }
    return x.mul(Tensor.ones(s).dropout((float) rate, seed));
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("rate", rate);
    if (className().equals("Dropout")) {
      List<Object> ns = null;
      if (noiseShape != null) {
        ns = new ArrayList<>();
        for (int d : noiseShape) {
          ns.add(d == 0 ? null : d);
        }
      }
      m.put("noise_shape", ns);
    }
    m.put("seed", null);
  }

  static Dropout fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    if (!c.has("rate")) {
      throw new IllegalArgumentException("Dropout: rate is required");
    }
    Dropout d = new Dropout(c.number("rate", 0));
    if (c.has("noise_shape")) {
      List<?> l = c.list("noise_shape");
      int[] s = new int[l.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = l.get(i) == null ? 0 : ((Number) l.get(i)).intValue();
      }
      d.noiseShape(s);
    }
    c.raw("seed");
    return c.finish(d);
  }
}
