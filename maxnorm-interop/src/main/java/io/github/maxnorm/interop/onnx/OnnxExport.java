package io.github.maxnorm.interop.onnx;

import com.google.protobuf.ByteString;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.AttributeProto;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.GraphProto;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.ModelProto;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.NodeProto;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.TensorProto;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.TensorShapeProto;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.TypeProto;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.ValueInfoProto;
import io.github.maxnorm.io.AtomicFiles;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.SymbolicTensor;
import io.github.maxnorm.tensor.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built maxnorm {@link Model} as an ONNX inference graph (opset {@value #OPSET}, IR version
 * {@value #IR_VERSION}), through the Java classes protoc generates from ONNX's own schema
 * ({@code src/main/protobuf/onnx.proto}).
 *
 * <p>Inference only: dropout and noise layers are identities, BatchNormalization uses its moving
 * statistics (folded into one multiplication and one addition). Tensors keep maxnorm's (Keras's)
 * layout: a {@code channels_last} convolution or pooling is wrapped in two Transposes (to NCHW for
 * ONNX's operator and back); {@code same} padding becomes the explicit pads TensorFlow computes
 * (the extra pixel after, not before). The batch axis is symbolic ({@code batch}); the other axes
 * are the model's fixed sizes. A layer or option without an ONNX translation here is refused
 * before anything is written, naming the layer and its class.
 */
public final class OnnxExport {
  /** The operator set the graphs use (ai.onnx). */
  public static final int OPSET = 13;
  /** The IR version written: 7 is the one that introduced opset 13's era (ONNX 1.8). */
  public static final int IR_VERSION = 7;

  private final GraphProto.Builder g = GraphProto.newBuilder();
  private final Map<SymbolicTensor, String> names = new IdentityHashMap<>();
  private int counter;

  private OnnxExport() {}

  /** Writes {@code m} to {@code target} atomically. */
  public static void write(Model m, Path target) throws IOException {
    byte[] bytes = toModel(m).toByteArray();
    AtomicFiles.write(target, out -> out.write(bytes));
  }

  /**
   * The ONNX model of {@code m}: one graph input per model input (named after its input layer)
   * and one output per model output (named after the layer that computes it).
   *
   * @throws IllegalArgumentException when the model is not built or holds a layer or option
   *     without an ONNX translation here
   */
  public static ModelProto toModel(Model m) {
    if (!m.built()) {
      throw new IllegalArgumentException("ONNX export: the model is not built");
    }
    OnnxExport e = new OnnxExport();
    e.g.setName(m.name());
    for (SymbolicTensor in : m.inputs()) {
      String name = in.layer().name();
      e.names.put(in, name);
      e.g.addInput(valueInfo(name, in.shape()));
    }
    for (SymbolicTensor t : m.nodes()) {
      List<String> ins = new ArrayList<>();
      List<Shape> shapes = new ArrayList<>();
      for (SymbolicTensor i : t.inputs()) {
        ins.add(e.names.get(i));
        shapes.add(i.shape());
      }
      String out;
      try {
        out = e.layer(t.layer(), ins, shapes, t.shape());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("ONNX export: layer '" + t.layer().name() + "' ("
            + t.layer().className() + "): " + ex.getMessage(), ex);
      }
      e.names.put(t, out);
    }
    List<String> outNames = new ArrayList<>();
    for (SymbolicTensor o : m.outputs()) {
      String produced = e.names.get(o);
      String name = o.layer().name();
      if (outNames.contains(name) || e.isGraphInput(name)) {
        name = name + "_output_" + outNames.size();
      }
      e.node("Identity", List.of(produced), List.of(), name);
      outNames.add(name);
      e.g.addOutput(valueInfo(name, o.shape()));
    }
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("maxnorm")
        .setProducerVersion("0.1.0")
        .setGraph(e.g)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .build();
  }

  private boolean isGraphInput(String name) {
    return g.getInputList().stream().anyMatch(v -> v.getName().equals(name));
  }

  private static ValueInfoProto valueInfo(String name, Shape sample) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (int d : sample.dims()) {
      s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s)))
        .build();
  }

  // ------------------------------------------------------------------------------- layers

  private String layer(Layer l, List<String> in, List<Shape> inShapes, Shape out) {
    Config c = l.config();
    String x = in.isEmpty() ? null : in.get(0);
    Shape xs = inShapes.isEmpty() ? null : inShapes.get(0);
    String base = l.name();
    switch (l.className()) {
      case "Dense": {
        String y = node("MatMul", List.of(x, weight(l, "kernel")), List.of(), base + "/MatMul");
        if (bool(c, "use_bias")) {
          y = node("Add", List.of(y, weight(l, "bias")), List.of(), base + "/BiasAdd");
        }
        return activation(c.getString("activation", "linear"), y, base);
      }
      case "Activation":
        return activation(c.getString("activation", "linear"), x, base);
      case "Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise",
          "GaussianDropout", "ActivityRegularization":
        return node("Identity", List.of(x), List.of(), base);
      case "Flatten":
        requireChannelsLast(c, xs);
        return node("Flatten", List.of(x), List.of(intAttr("axis", 1)), base);
      case "Reshape":
        return reshape(x, out, base);
      case "Permute": {
        List<Long> perm = new ArrayList<>(List.of(0L));
        for (Object d : (List<?>) c.get("dims")) {
          perm.add(((Number) d).longValue());
        }
        return node("Transpose", List.of(x), List.of(intsAttr("perm", perm)), base);
      }
      case "Conv2D", "Conv1D", "DepthwiseConv2D", "SeparableConv2D":
        return conv(l, c, x, xs, base);
      case "MaxPooling2D", "AveragePooling2D", "MaxPooling1D", "AveragePooling1D":
        return pool(l.className(), c, x, xs, base);
      case "GlobalAveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling1D",
          "GlobalMaxPooling1D": {
        boolean first = "channels_first".equals(c.getString("data_format", "channels_last"));
        List<Long> axes = new ArrayList<>();
        for (int a = 1; a < xs.rank(); a++) {
          axes.add((long) (first ? a + 1 : a));
        }
        String op = l.className().contains("Average") ? "ReduceMean" : "ReduceMax";
        return node(op, List.of(x), List.of(intsAttr("axes", axes),
            intAttr("keepdims", bool(c, "keepdims") ? 1 : 0)), base);
      }
      case "BatchNormalization":
        return batchNorm(l, c, x, xs, base);
      case "Add", "Multiply", "Maximum", "Minimum": {
        String op = switch (l.className()) {
          case "Add" -> "Add";
          case "Multiply" -> "Mul";
          case "Maximum" -> "Max";
          default -> "Min";
        };
        if (op.equals("Max") || op.equals("Min")) {
          return node(op, in, List.of(), base);
        }
        String y = in.get(0);
        for (int i = 1; i < in.size(); i++) {
          y = node(op, List.of(y, in.get(i)), List.of(), i == in.size() - 1 ? base : base + "/" + i);
        }
        return y;
      }
      case "Subtract":
        return node("Sub", in, List.of(), base);
      case "Average": {
        String s = node("Sum", in, List.of(), base + "/Sum");
        return node("Mul", List.of(s, scalar(base + "/inverse_count", 1f / in.size())),
            List.of(), base);
      }
      case "Concatenate": {
        int axis = (int) c.getDouble("axis", -1);
        return node("Concat", in, List.of(intAttr("axis", axis < 0 ? axis : axis)), base);
      }
      case "ReLU": {
        double slope = c.getDouble("negative_slope", 0);
        double threshold = c.getDouble("threshold", 0);
        if (slope != 0 || threshold != 0) {
          throw new IllegalArgumentException("negative_slope and threshold other than 0 have no"
              + " ONNX translation here");
        }
        Object max = c.get("max_value");
        if (max == null) {
          return node("Relu", List.of(x), List.of(), base);
        }
        return node("Clip", List.of(x, scalar(base + "/min", 0f),
            scalar(base + "/max", ((Number) max).floatValue())), List.of(), base);
      }
      case "LeakyReLU":
        return node("LeakyRelu", List.of(x), List.of(floatAttr("alpha",
            c.getDouble(c.get("alpha") != null ? "alpha" : "negative_slope", 0.3))), base);
      case "ELU":
        return node("Elu", List.of(x), List.of(floatAttr("alpha", c.getDouble("alpha", 1.0))),
            base);
      case "ThresholdedReLU":
        return node("ThresholdedRelu", List.of(x),
            List.of(floatAttr("alpha", c.getDouble("theta", 1.0))), base);
      case "Softmax":
        return node("Softmax", List.of(x), List.of(intAttr("axis", (int) c.getDouble("axis", -1))), base);
      case "PReLU": {
        Parameter alpha = param(l, "alpha");
        // alpha has the sample's shape (shared axes of size 1): it broadcasts over the batch
        return node("PRelu", List.of(x, initializer(base + "/alpha", alpha)), List.of(), base);
      }
      case "Rescaling": {
        String y = node("Mul", List.of(x, scalar(base + "/scale",
            (float) c.getDouble("scale", 1))), List.of(), base + "/Mul");
        return node("Add", List.of(y, scalar(base + "/offset",
            (float) c.getDouble("offset", 0))), List.of(), base);
      }
      case "UpSampling2D": {
        if (!"nearest".equals(c.getString("interpolation", "nearest"))) {
          throw new IllegalArgumentException("interpolation " + c.get("interpolation")
              + " has no ONNX translation here");
        }
        boolean first = "channels_first".equals(c.getString("data_format", "channels_last"));
        int[] size = ints(c, "size");
        float[] scales = first ? new float[] {1, 1, size[0], size[1]}
            : new float[] {1, size[0], size[1], 1};
        // nearest neighbour on integer scales: each pixel repeated, as Keras repeats it
        return node("Resize", List.of(x, "", constant(base + "/scales", scales, 4)),
            List.of(stringAttr("mode", "nearest"), stringAttr("nearest_mode", "floor"),
                stringAttr("coordinate_transformation_mode", "asymmetric")), base);
      }
      case "ZeroPadding2D", "Cropping2D":
        return border(l.className(), c, x, xs, base);
      default:
        throw new IllegalArgumentException("has no ONNX translation here");
    }
  }

  private String reshape(String x, Shape out, String base) {
    List<Long> shape = new ArrayList<>(List.of(-1L));
    for (int d : out.dims()) {
      shape.add((long) d);
    }
    return node("Reshape", List.of(x, int64s(base + "/shape", shape)), List.of(), base);
  }

  private static void requireChannelsLast(Config c, Shape xs) {
    if ("channels_first".equals(c.getString("data_format", "channels_last")) && xs.rank() > 1) {
      throw new IllegalArgumentException("data_format channels_first has no ONNX translation here");
    }
  }

  /** Conv1D/Conv2D/DepthwiseConv2D/SeparableConv2D, with bias and activation. */
  private String conv(Layer l, Config c, String x, Shape xs, String base) {
    boolean first = "channels_first".equals(c.getString("data_format", "channels_last"));
    int spatial = xs.rank() - 1;
    int[] k = ints(c, "kernel_size");
    int[] strides = ints(c, "strides");
    int[] dilation = ints(c, "dilation_rate");
    String padding = c.getString("padding", "valid");
    int[] size = new int[spatial];
    for (int i = 0; i < spatial; i++) {
      size[i] = xs.dim(first ? i + 1 : i);
    }
    List<Long> pads = pads(padding, size, k, strides, dilation);
    String y = first ? x : toChannelsFirst(x, spatial + 2, base);
    String cls = l.className();
    List<AttributeProto> attrs = new ArrayList<>(List.of(intsAttr("strides", longs(strides)),
        intsAttr("dilations", longs(dilation)), intsAttr("pads", pads),
        intsAttr("kernel_shape", longs(k))));
    if (cls.equals("Conv2D") || cls.equals("Conv1D")) {
      int groups = (int) c.getDouble("groups", 1);
      attrs.add(intAttr("group", groups));
      y = node("Conv", List.of(y, kernel(l, "kernel", spatial, false)), attrs, base + "/Conv");
    } else {
      Parameter dw = param(l, "depthwise_kernel");
      int channels = dw.shape().dim(2);
      attrs.add(intAttr("group", channels));
      y = node("Conv", List.of(y, kernel(l, "depthwise_kernel", spatial, true)), attrs,
          base + "/DepthwiseConv");
      if (cls.equals("SeparableConv2D")) {
        y = node("Conv", List.of(y, kernel(l, "pointwise_kernel", spatial, false)),
            List.of(intsAttr("kernel_shape", List.of(1L, 1L))), base + "/PointwiseConv");
      }
    }
    if (bool(c, "use_bias")) {
      Parameter b = param(l, "bias");
      long[] dims = new long[spatial + 1];
      java.util.Arrays.fill(dims, 1);
      dims[0] = b.shape().size();
      y = node("Add", List.of(y, constant(base + "/bias", b.variable().snapshot().toArray(),
          dims)), List.of(), base + "/BiasAdd");
    }
    if (!first) {
      y = toChannelsLast(y, spatial + 2, base);
    }
    return activation(c.getString("activation", "linear"), y, base);
  }

  /**
   * A kernel in ONNX's {@code (out, in / group, spatial...)} layout from Keras's {@code
   * (spatial..., in, out)}; a depthwise kernel {@code (spatial..., C, M)} becomes {@code (C * M, 1,
   * spatial...)} with output channel {@code c * M + m}, as Keras orders them.
   */
  private String kernel(Layer l, String name, int spatial, boolean depthwise) {
    Parameter p = param(l, name);
    int[] d = p.shape().dims();
    float[] v = p.variable().snapshot().toArray();
    int window = 1;
    for (int i = 0; i < spatial; i++) {
      window *= d[i];
    }
    int in = d[spatial];
    int out = d[spatial + 1];
    float[] r = new float[v.length];
    // Keras index (w, i, o) -> ONNX index (o, i, w), or depthwise (w, c, m) -> (c*M + m, 0, w)
    for (int w = 0; w < window; w++) {
      for (int i = 0; i < in; i++) {
        for (int o = 0; o < out; o++) {
          float value = v[(w * in + i) * out + o];
          int at = depthwise ? (i * out + o) * window + w : (o * in + i) * window + w;
          r[at] = value;
        }
      }
    }
    long[] dims = new long[spatial + 2];
    dims[0] = depthwise ? (long) in * out : out;
    dims[1] = depthwise ? 1 : in;
    for (int i = 0; i < spatial; i++) {
      dims[i + 2] = d[i];
    }
    return constant(l.name() + "/" + name, r, dims);
  }

  /**
   * ONNX pads {@code [begin..., end...]}: none for {@code valid}; for {@code same} TensorFlow's
   * rule (total {@code max((ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)}, the odd pixel at the
   * end); for {@code causal} (1-D) everything before.
   */
  static List<Long> pads(String padding, int[] size, int[] k, int[] s, int[] dilation) {
    int n = size.length;
    long[] begin = new long[n];
    long[] end = new long[n];
    for (int i = 0; i < n; i++) {
      int d = dilation == null ? 1 : dilation[i];
      int effective = (k[i] - 1) * d + 1;
      switch (padding) {
        case "valid" -> { }
        case "same" -> {
          int outSize = (size[i] + s[i] - 1) / s[i];
          int total = Math.max((outSize - 1) * s[i] + effective - size[i], 0);
          begin[i] = total / 2;
          end[i] = total - total / 2;
        }
        case "causal" -> begin[i] = effective - 1;
        default -> throw new IllegalArgumentException("padding " + padding
            + " has no ONNX translation here");
      }
    }
    List<Long> r = new ArrayList<>();
    for (long b : begin) {
      r.add(b);
    }
    for (long e : end) {
      r.add(e);
    }
    return r;
  }

  private String pool(String cls, Config c, String x, Shape xs, String base) {
    boolean first = "channels_first".equals(c.getString("data_format", "channels_last"));
    int spatial = xs.rank() - 1;
    int[] k = ints(c, "pool_size");
    int[] strides = ints(c, "strides");
    int[] size = new int[spatial];
    for (int i = 0; i < spatial; i++) {
      size[i] = xs.dim(first ? i + 1 : i);
    }
    List<Long> pads = pads(c.getString("padding", "valid"), size, k, strides, null);
    String y = first ? x : toChannelsFirst(x, spatial + 2, base);
    List<AttributeProto> attrs = new ArrayList<>(List.of(intsAttr("kernel_shape", longs(k)),
        intsAttr("strides", longs(strides)), intsAttr("pads", pads)));
    boolean max = cls.startsWith("Max");
    if (!max) {
      // Keras averages over the pixels inside the input only
      attrs.add(intAttr("count_include_pad", 0));
    }
    y = node(max ? "MaxPool" : "AveragePool", List.of(y), attrs, base + "/Pool");
    return first ? node("Identity", List.of(y), List.of(), base)
        : toChannelsLast(y, spatial + 2, base);
  }

  private String batchNorm(Layer l, Config c, String x, Shape xs, String base) {
    Object axisValue = c.get("axis");
    int axis = axisValue instanceof List<?> list && list.size() == 1
        ? ((Number) list.get(0)).intValue()
        : axisValue instanceof Number n ? n.intValue() : Integer.MIN_VALUE;
    int rank = xs.rank() + 1;
    if (axis == Integer.MIN_VALUE) {
      throw new IllegalArgumentException("axis " + axisValue + " has no ONNX translation here");
    }
    int a = axis < 0 ? axis + rank : axis;
    int channels = xs.dim(a - 1);
    float eps = (float) c.getDouble("epsilon", 1e-3);
    float[] mean = param(l, "moving_mean").variable().snapshot().toArray();
    float[] var = param(l, "moving_variance").variable().snapshot().toArray();
    float[] gamma = hasParam(l, "gamma") ? param(l, "gamma").variable().snapshot().toArray() : null;
    float[] beta = hasParam(l, "beta") ? param(l, "beta").variable().snapshot().toArray() : null;
    float[] scale = new float[channels];
    float[] shift = new float[channels];
    for (int i = 0; i < channels; i++) {
      double s = (gamma == null ? 1.0 : gamma[i]) / Math.sqrt((double) var[i] + eps);
      scale[i] = (float) s;
      shift[i] = (float) ((beta == null ? 0.0 : beta[i]) - mean[i] * s);
    }
    long[] dims = new long[rank - 1];
    java.util.Arrays.fill(dims, 1);
    dims[a - 1] = channels;
    String y = node("Mul", List.of(x, constant(base + "/scale", scale, dims)), List.of(),
        base + "/Mul");
    return node("Add", List.of(y, constant(base + "/shift", shift, dims)), List.of(), base);
  }

  private String border(String cls, Config c, String x, Shape xs, String base) {
    boolean first = "channels_first".equals(c.getString("data_format", "channels_last"));
    List<?> amounts = (List<?>) c.get(cls.equals("ZeroPadding2D") ? "padding" : "cropping");
    long top = num(((List<?>) amounts.get(0)).get(0));
    long bottom = num(((List<?>) amounts.get(0)).get(1));
    long left = num(((List<?>) amounts.get(1)).get(0));
    long right = num(((List<?>) amounts.get(1)).get(1));
    int h = first ? 2 : 1;
    if (cls.equals("ZeroPadding2D")) {
      long[] begin = new long[4];
      long[] end = new long[4];
      begin[h] = top;
      begin[h + 1] = left;
      end[h] = bottom;
      end[h + 1] = right;
      List<Long> pads = new ArrayList<>();
      for (long b : begin) {
        pads.add(b);
      }
      for (long e : end) {
        pads.add(e);
      }
      return node("Pad", List.of(x, int64s(base + "/pads", pads)), List.of(), base);
    }
    int height = xs.dim(h - 1);
    int width = xs.dim(h);
    return node("Slice", List.of(x, int64s(base + "/starts", List.of(top, left)),
        int64s(base + "/ends", List.of(height - bottom, width - right)),
        int64s(base + "/axes", List.of((long) h, (long) h + 1))), List.of(), base);
  }

  private String activation(String name, String x, String base) {
    String out = base;
    return switch (name) {
      case "linear" -> x;
      case "relu" -> node("Relu", List.of(x), List.of(), out);
      case "relu6" -> node("Clip", List.of(x, scalar(base + "/zero", 0f),
          scalar(base + "/six", 6f)), List.of(), out);
      case "sigmoid" -> node("Sigmoid", List.of(x), List.of(), out);
      case "tanh" -> node("Tanh", List.of(x), List.of(), out);
      case "softmax" -> node("Softmax", List.of(x), List.of(intAttr("axis", -1)), out);
      case "log_softmax" -> node("LogSoftmax", List.of(x), List.of(intAttr("axis", -1)), out);
      case "elu" -> node("Elu", List.of(x), List.of(floatAttr("alpha", 1.0)), out);
      case "selu" -> node("Selu", List.of(x), List.of(
          floatAttr("alpha", 1.6732632423543772848170429916717),
          floatAttr("gamma", 1.0507009873554804934193349852946)), out);
      case "softplus" -> node("Softplus", List.of(x), List.of(), out);
      case "softsign" -> node("Softsign", List.of(x), List.of(), out);
      case "exponential" -> node("Exp", List.of(x), List.of(), out);
      case "hard_sigmoid_keras2" -> node("HardSigmoid", List.of(x),
          List.of(floatAttr("alpha", 0.2), floatAttr("beta", 0.5)), out);
      case "hard_sigmoid" -> node("HardSigmoid", List.of(x),
          List.of(floatAttr("alpha", 1.0 / 6.0), floatAttr("beta", 0.5)), out);
      case "swish", "silu" -> node("Mul", List.of(x,
          node("Sigmoid", List.of(x), List.of(), base + "/Sigmoid")), List.of(), out);
      case "leaky_relu" -> node("LeakyRelu", List.of(x), List.of(floatAttr("alpha", 0.2)), out);
      case "gelu" -> {
        // 0.5 x (1 + erf(x / sqrt(2)))
        String e = node("Erf", List.of(node("Mul", List.of(x,
            scalar(base + "/inv_sqrt2", (float) (1 / Math.sqrt(2)))), List.of(), base + "/Scale")),
            List.of(), base + "/Erf");
        String one = node("Add", List.of(e, scalar(base + "/one", 1f)), List.of(), base + "/Add");
        String half = node("Mul", List.of(x, scalar(base + "/half", 0.5f)), List.of(),
            base + "/Half");
        yield node("Mul", List.of(half, one), List.of(), out);
      }
      default -> throw new IllegalArgumentException("the activation " + name
          + " has no ONNX translation here");
    };
  }

  // ------------------------------------------------------------------------------- helpers

  private String toChannelsFirst(String x, int rank, String base) {
    List<Long> perm = new ArrayList<>(List.of(0L, (long) rank - 1));
    for (int i = 1; i < rank - 1; i++) {
      perm.add((long) i);
    }
    return node("Transpose", List.of(x), List.of(intsAttr("perm", perm)),
        base + "/ToChannelsFirst");
  }

  private String toChannelsLast(String x, int rank, String base) {
    List<Long> perm = new ArrayList<>(List.of(0L));
    for (int i = 2; i < rank; i++) {
      perm.add((long) i);
    }
    perm.add(1L);
    return node("Transpose", List.of(x), List.of(intsAttr("perm", perm)),
        base + "/ToChannelsLast");
  }

  /** Adds a node with one output named {@code out} (made unique) and returns that name. */
  private String node(String op, List<String> inputs, List<AttributeProto> attrs, String out) {
    String name = unique(out);
    g.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
        .addOutput(name).addAllAttribute(attrs));
    return name;
  }

  private String unique(String name) {
    boolean taken = g.getNodeList().stream().anyMatch(n -> n.getName().equals(name))
        || g.getInitializerList().stream().anyMatch(t -> t.getName().equals(name))
        || isGraphInput(name);
    return taken ? name + "_" + (++counter) : name;
  }

  private String weight(Layer l, String name) {
    return initializer(l.name() + "/" + name, param(l, name));
  }

  private String initializer(String name, Parameter p) {
    int[] d = p.shape().dims();
    return constant(name, p.variable().snapshot().toArray(), longs(d).stream()
        .mapToLong(Long::longValue).toArray());
  }

  private static Parameter param(Layer l, String name) {
    for (Parameter p : l.weights()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("has no weight " + name);
  }

  private static boolean hasParam(Layer l, String name) {
    return l.weights().stream().anyMatch(p -> p.name().equals(name));
  }

  private String constant(String name, float[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    String n = unique(name);
    TensorProto.Builder t = TensorProto.newBuilder().setName(n)
        .setDataType(TensorProto.DataType.FLOAT.getNumber())
        .setRawData(ByteString.copyFrom(b.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    g.addInitializer(t);
    return n;
  }

  private String scalar(String name, float v) {
    return constant(name, new float[] {v});
  }

  private String int64s(String name, List<Long> values) {
    ByteBuffer b = ByteBuffer.allocate(values.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    String n = unique(name);
    g.addInitializer(TensorProto.newBuilder().setName(n)
        .setDataType(TensorProto.DataType.INT64.getNumber()).addDims(values.size())
        .setRawData(ByteString.copyFrom(b.array())));
    return n;
  }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(v).build();
  }

  private static AttributeProto intsAttr(String name, List<Long> v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
        .addAllInts(v).build();
  }

  private static AttributeProto stringAttr(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(v)).build();
  }

  private static AttributeProto floatAttr(String name, double v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
        .setF((float) v).build();
  }

  private static boolean bool(Config c, String key) {
    return Boolean.TRUE.equals(c.get(key));
  }

  private static int[] ints(Config c, String key) {
    List<?> l = (List<?>) c.get(key);
    int[] r = new int[l.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = ((Number) l.get(i)).intValue();
    }
    return r;
  }

  private static long num(Object o) {
    return ((Number) o).longValue();
  }

  private static List<Long> longs(int[] v) {
    List<Long> r = new ArrayList<>();
    for (int x : v) {
      r.add((long) x);
    }
    return r;
  }
}
