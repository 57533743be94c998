package io.github.maxnorm.cli;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Regularizer;
import io.github.maxnorm.nn.Regularizers;
import io.github.maxnorm.nn.SymbolicTensor;
import io.github.maxnorm.nn.layers.Activation;
import io.github.maxnorm.nn.layers.Add;
import io.github.maxnorm.nn.layers.BatchNormalization;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.GlobalAveragePooling2D;
import io.github.maxnorm.nn.layers.Input;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.nn.layers.MaxPooling2D;
import io.github.maxnorm.optim.Adam;
import io.github.maxnorm.optim.OptimizerConfig;
import io.github.maxnorm.optim.RMSprop;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** The built-in model architectures of {@code train --model}, and JSON model specs. */
final class Models {
  static final String NAMES = "mlp, cnn, keras-cifar, resnet-mini";

  private Models() {}

  /** Whether {@code model} is a built-in name (otherwise a path to a JSON spec). */
  static boolean isName(String model) {
    return model.equals("mlp") || model.equals("cnn") || model.equals("keras-cifar")
        || model.equals("resnet-mini");
  }

  /**
   * A new model, built (initialized from {@code seed}) for the input shape a JSON spec declares,
   * or else for the data's shape {@code in}.
   *
   * @param in the per-sample input shape of the data
   * @param classes the number of classes
   */
  static Model create(RunConfig c, Shape in, int classes) throws IOException {
    Constraint maxNorm = c.maxNorm() == null ? null : Constraints.maxNorm(c.maxNorm());
    Regularizer l2 = c.l2() == null || c.l2() == 0 ? null : Regularizers.l2(c.l2());
    Model m;
    Shape shape = in;
    switch (c.model()) {
      case "mlp":
        m = mlp(in, classes, c.dropoutInput(), c.dropoutHidden(), maxNorm, l2);
        break;
      case "cnn":
        requireImages("cnn", in);
        m = cnn(classes, c.dropoutHidden(), maxNorm, l2);
        break;
      case "keras-cifar":
        requireImages("keras-cifar", in);
        m = kerasCifar(classes, maxNorm, l2);
        break;
      case "resnet-mini":
        requireImages("resnet-mini", in);
        m = resnetMini(in, classes, maxNorm, l2);
        break;
      default:
        Path spec = Path.of(c.model());
        if (!Files.isRegularFile(spec)) {
          throw new IllegalArgumentException(
              "--model " + spec + ": not a model name (" + NAMES + ") and no such file");
        }
        if (!isMaxnormSpec(spec)) {
          // a Keras or TensorFlow.js model file, or a config Keras wrote (Keras 1, 2 or 3)
          return io.github.maxnorm.interop.Models.read(spec, c.seed(), true, c.maxNorm())
              .model();
        }
        try {
          Config cfg = Config.fromJson(Files.readString(spec));
          m = ModelIO.fromConfig(cfg);
          Shape declared = specShape(cfg);
          int[] first = m.layers().get(0).declaredInputShape();
          shape = declared != null ? declared : first != null ? Shape.of(first) : in;
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(spec + ": " + e.getMessage(), e);
        }
    }
    if (m instanceof Sequential s) {
      return s.build(shape, new SplittableRandom(c.seed()));
    }
    return m.build(new SplittableRandom(c.seed()));
  }

  /**
   * Whether {@code file} is a JSON model spec in maxnorm's own form: JSON without the {@code
   * keras_version} that Keras's {@code to_json()} writes, which maxnorm's config reader takes.
   * Anything else goes through maxnorm-interop's Keras importer.
   */
  static boolean isMaxnormSpec(Path file) throws IOException {
    byte[] head;
    try (java.io.InputStream s = Files.newInputStream(file)) {
      head = s.readNBytes(1);
    }
    if (head.length == 0 || head[0] != '{') {
      return false;
    }
    try {
      Config cfg = Config.fromJson(Files.readString(file));
      ModelIO.fromConfig(cfg);
      return !Files.readString(file).contains("\"keras_version\"");
    } catch (IllegalArgumentException | IOException e) {
      return false;
    }
  }

  private static Shape specShape(Config c) {
    Object shape = c.config().get("batch_input_shape");
    if (!(shape instanceof List<?> l) || l.size() < 2) {
      return null;
    }
    int[] d = new int[l.size() - 1];
    for (int i = 1; i < l.size(); i++) {
      if (!(l.get(i) instanceof Number n) || n.intValue() < 1) {
        throw new IllegalArgumentException("bad batch_input_shape " + shape);
      }
      d[i - 1] = n.intValue();
    }
    return Shape.of(d);
  }

  static Sequential mlp(
      Shape in, int classes, double inRate, double hidRate, Constraint c, Regularizer r) {
    Sequential m = new Sequential("mlp");
    m.add(new Flatten());
    dropout(m, inRate);
    m.add(dense(512, "relu", c, r));
    dropout(m, hidRate);
    m.add(dense(512, "relu", c, r));
    dropout(m, hidRate);
    m.add(dense(classes, "softmax", c, r));
    return m;
  }

  static Sequential cnn(int classes, double hidRate, Constraint c, Regularizer r) {
    Sequential m = new Sequential("cnn");
    m.add(conv(32, c, r));
    m.add(new MaxPooling2D(2, 2));
    m.add(conv(64, c, r));
    m.add(new MaxPooling2D(2, 2));
    m.add(new Flatten());
    dropout(m, hidRate);
    m.add(dense(128, "relu", c, r));
    dropout(m, hidRate);
    m.add(dense(classes, "softmax", c, r));
    return m;
  }

  static Sequential kerasCifar(int classes, Constraint c, Regularizer r) {
    Sequential m = new Sequential("keras_cifar");
    m.add(conv(32, c, r));
    m.add(new Dropout(0.2));
    m.add(conv(32, c, r));
    m.add(new MaxPooling2D(2, 2));
    m.add(new Flatten());
    m.add(dense(512, "relu", c, r));
    m.add(new Dropout(0.5));
    m.add(dense(classes, "softmax", c, r));
    return m;
  }

  /**
   * A small residual network built with the functional API: a 3x3 convolution to 16 channels,
   * then three residual blocks (16 channels; 32 at stride 2; 64 at stride 2), each two 3x3
   * Conv2D-BatchNormalization pairs with a ReLU between and after, the skip path a 1x1 strided
   * convolution with BatchNormalization where the shape changes; global average pooling and a
   * softmax Dense. Convolutions have no bias (BatchNormalization follows); {@code c} constrains
   * every kernel, convolutions and Dense alike. BatchNormalization's momentum is 0.9 rather than
   * Keras's 0.99: with the sample's 63 steps per epoch, moving averages at 0.99 still hold a third
   * of their initial values after two epochs, and inference with them fails.
   */
  static Model resnetMini(Shape in, int classes, Constraint c, Regularizer r) {
    SymbolicTensor x = Input.of("image", in.dims());
    SymbolicTensor h = bnRelu(convNoBias(16, 3, 1, c, r).apply(x));
    h = residual(h, 16, 1, c, r);
    h = residual(h, 32, 2, c, r);
    h = residual(h, 64, 2, c, r);
    SymbolicTensor y = dense(classes, "softmax", c, r).apply(new GlobalAveragePooling2D().apply(h));
    return new Model("resnet_mini", List.of(x), List.of(y));
  }

  private static SymbolicTensor residual(SymbolicTensor x, int filters, int stride, Constraint c,
      Regularizer r) {
    SymbolicTensor h = bnRelu(convNoBias(filters, 3, stride, c, r).apply(x));
    h = bn().apply(convNoBias(filters, 3, 1, c, r).apply(h));
    SymbolicTensor skip = x;
    if (stride != 1 || x.shape().dim(-1) != filters) {
      skip = bn().apply(convNoBias(filters, 1, stride, c, r).apply(x));
    }
    return new Activation("relu").apply(new Add().apply(h, skip));
  }

  private static SymbolicTensor bnRelu(SymbolicTensor x) {
    return new Activation("relu").apply(bn().apply(x));
  }

  private static BatchNormalization bn() {
    return new BatchNormalization().momentum(0.9);
  }

  private static Conv2D convNoBias(int filters, int k, int stride, Constraint c, Regularizer r) {
    Conv2D d = new Conv2D(filters, k).strides(stride, stride).padding("same").useBias(false);
    if (c != null) {
      d.kernelConstraint(c);
    }
    if (r != null) {
      d.kernelRegularizer(r);
    }
    return d;
  }

  private static Dense dense(int units, String act, Constraint c, Regularizer r) {
    Dense d = new Dense(units).activation(act);
    if (c != null) {
      d.kernelConstraint(c);
    }
    if (r != null) {
      d.kernelRegularizer(r);
    }
    return d;
  }

  private static Conv2D conv(int filters, Constraint c, Regularizer r) {
    Conv2D d = new Conv2D(filters, 3, 3).padding("same").activation("relu");
    if (c != null) {
      d.kernelConstraint(c);
    }
    if (r != null) {
      d.kernelRegularizer(r);
    }
    return d;
  }

  private static void dropout(Sequential m, double rate) {
    if (rate > 0) {
      m.add(new Dropout(rate));
    }
  }

  private static void requireImages(String name, Shape in) {
    if (in.rank() != 3) {
      throw new IllegalArgumentException(
          "--model " + name + " needs image samples of shape [height, width, channels], the data"
              + " set has " + in);
    }
  }

  /** The optimizer of a run. */
  static OptimizerConfig optimizer(RunConfig c) {
    switch (c.optimizer()) {
      case "sgd":
        return SGD.of(c.lr()).withMomentum(c.momentum());
      case "adam":
        return Adam.of(c.lr());
      case "rmsprop":
        return RMSprop.of(c.lr());
      default:
        throw new IllegalArgumentException(
            "--optimizer must be sgd, adam or rmsprop, received " + c.optimizer());
    }
  }
}
