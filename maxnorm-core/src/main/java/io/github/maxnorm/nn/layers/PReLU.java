package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Initializer;
import io.github.maxnorm.nn.Initializers;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A ReLU with a learned slope below zero: {@code max(x, 0) - alpha * max(-x, 0)}. The weight
 * {@code alpha} has the input's shape, except along {@code shared_axes} (numbered from 1, the batch
 * axis being 0), where one value is shared; e.g. {@code sharedAxes(1, 2)} learns one slope per
 * channel of an image. A constraint's default axes cover the whole of alpha.
 */
public final class PReLU extends BaseLayer<PReLU> {
  private final WeightOptions alpha = new WeightOptions("alpha", Initializers.zeros());
  private int[] sharedAxes = new int[0];
  private Parameter alphaWeight;

  public PReLU() {
    super("PReLU");
  }

  public PReLU sharedAxes(int... axes) {
    requireUnbuilt();
    for (int a : axes) {
      if (a < 1) {
        throw new IllegalArgumentException(
            "PReLU: shared_axes are numbered from 1, received " + java.util.Arrays.toString(axes));
      }
    }
    sharedAxes = axes.clone();
    return this;
  }

  public PReLU alphaInitializer(Initializer i) {
    requireUnbuilt();
    alpha.initializer(i);
    return this;
  }

  public PReLU alphaConstraint(Constraint c) {
    requireUnbuilt();
    alpha.constraint = c;
    return this;
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    for (int a : sharedAxes) {
      if (a > in.rank()) {
        throw new IllegalArgumentException(
            name() + ": shared axis " + a + " is out of range for input " + in);
      }
    }
    return in;
  }

  @Override
  protected void createWeights(List<Shape> in, WeightSink sink) {
    Shape s = in.get(0);
    for (int a : sharedAxes) {
      s = s.withDim(a - 1, 1);
    }
    int[] all = new int[s.rank()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    alphaWeight = alpha.declare(sink, "alpha", s, all);
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    return x.relu().sub(value(alphaWeight).mul(x.neg().relu()));
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    alpha.write(m);
    m.put("shared_axes", sharedAxes.length == 0 ? null : ConvLayer.list(sharedAxes));
  }

  static PReLU fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    PReLU p = new PReLU();
    int[] axes = c.intList("shared_axes");
    if (axes != null) {
      p.sharedAxes(axes);
    }
    p.alpha.read(c);
    return c.finish(p);
  }
}
