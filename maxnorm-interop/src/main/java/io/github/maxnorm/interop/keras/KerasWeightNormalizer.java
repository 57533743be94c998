package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.io.ModelFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings weights as a file stores them to the layout tf.keras 2 uses on TensorFlow, so that later
 * code sees Dense kernels as {@code (in, out)}, Conv1D as {@code (k, in, out)}, Conv2D as {@code
 * (kh, kw, in, out)}, and every array under its tf.keras name ({@link KerasWeightNames}). The rules
 * are those of Keras 2's own loader ({@code preprocess_weights_for_loading}):
 *
 * <ul>
 *   <li>Keras 1 files: a {@code Conv2D} in {@code channels_first} ({@code th}) ordering stores
 *       {@code (out, in, kh, kw)} and is transposed by {@code (2, 3, 1, 0)}; {@code Conv1D} stores
 *       {@code (k, 1, in, out)} (or the {@code th} {@code (out, in, k, 1)}) and loses its unit axis;
 *       {@code Conv2DTranspose} and {@code Conv3D} are transposed likewise; an LSTM's twelve
 *       arrays (input, cell, forget, output gates, each W, U, b) become kernel, recurrent kernel
 *       and bias with the gates in Keras 2's order i, f, c, o; a GRU's nine become three (z, r, h);
 *       BatchNormalization's {@code running_mean}/{@code running_std} (which held the variance)
 *       become {@code moving_mean}/{@code moving_variance}.
 *   <li>Files written on the Theano backend (Keras 1 or 2): Theano's convolution flips its
 *       kernels, so the kernels of {@code Conv1D}, {@code Conv2D}, {@code Conv3D}, {@code
 *       Conv2DTranspose} and {@code ConvLSTM2D} are flipped along their spatial axes (Keras's
 *       {@code convert_kernel}): the TensorFlow model then computes what the Theano one computed.
 *   <li>{@code TimeDistributed} applies the rules of its inner layer, {@code Bidirectional} those
 *       of its inner layer to each half.
 * </ul>
 *
 * <p>Each layer's arrays are then checked against what its class and config need (count; the
 * kernel's shape for Dense and convolutions) and renamed. Weights of a nested model pass through
 * unchanged.
 */
public final class KerasWeightNormalizer {
  private static final Set<String> FLIPPED =
      Set.of("Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose", "ConvLSTM2D");

  private KerasWeightNormalizer() {}

  /**
   * The weights of {@code file} in tf.keras layout, against {@code canonical} (a config from
   * {@link KerasConfigNormalizer}). {@code kerasMajor} and {@code backend} describe who wrote the
   * weights. Layers the config lacks are refused if they hold weights.
   */
  public static List<LayerWeights> normalize(
      List<LayerWeights> layers, JsonNode canonical, int kerasMajor, String backend,
      String source) throws ModelFormatException {
    Map<String, JsonNode> byName = new HashMap<>();
    JsonNode cfg = canonical.path("config");
    for (JsonNode l : cfg.path("layers")) {
      String name = l.has("name") ? l.path("name").asText() : l.path("config").path("name").asText();
      byName.put(name, l);
    }
    boolean theano = "theano".equals(backend);
    List<LayerWeights> out = new ArrayList<>();
    for (LayerWeights lw : layers) {
      JsonNode layer = byName.get(lw.layerName());
      if (layer == null) {
        if (lw.size() == 0) {
          continue;
        }
        throw new ModelFormatException(source + ": the file holds weights for layer '"
            + lw.layerName() + "', which the model config does not have");
      }
      String cls = layer.path("class_name").asText();
      String where = source + ": layer '" + lw.layerName() + "' (" + cls + ")";
      out.add(new LayerWeights(lw.layerName(),
          layerWeights(cls, layer.path("config"), lw.weights(), kerasMajor, theano, where)));
    }
    return out;
  }

  private static List<KerasWeight> layerWeights(String cls, JsonNode cfg, List<KerasWeight> in,
      int major, boolean theano, String where) throws ModelFormatException {
    if (KerasNames.MODELS.contains(cls)) {
      return in;
    }
    if (cls.equals("TimeDistributed")) {
      JsonNode inner = cfg.path("layer");
      return layerWeights(inner.path("class_name").asText(), inner.path("config"), in, major,
          theano, where);
    }
    if (cls.equals("Bidirectional")) {
      if (in.size() % 2 != 0) {
        throw new ModelFormatException(where + ": an odd number of arrays (" + in.size() + ")");
      }
      JsonNode inner = cfg.path("layer");
      JsonNode backward = cfg.has("backward_layer") ? cfg.path("backward_layer") : inner;
      List<KerasWeight> f = layerWeights(inner.path("class_name").asText(), inner.path("config"),
          in.subList(0, in.size() / 2), major, theano, where);
      List<KerasWeight> b = layerWeights(backward.path("class_name").asText(),
          backward.path("config"), in.subList(in.size() / 2, in.size()), major, theano, where);
      List<KerasWeight> out = new ArrayList<>();
      f.forEach(w -> out.add(w.withName("forward_" + w.name())));
      b.forEach(w -> out.add(w.withName("backward_" + w.name())));
      return out;
    }
    List<KerasWeight> w = new ArrayList<>(in);
    if (major == 1) {
      w = keras1(cls, cfg, w, where);
    }
    if (theano && FLIPPED.contains(cls) && !w.isEmpty()) {
      w.set(0, flipSpatial(w.get(0)));
      if (cls.equals("ConvLSTM2D") && w.size() > 1) {
        w.set(1, flipSpatial(w.get(1)));
      }
    }
    List<String> names = KerasWeightNames.expected(cls, cfg);
    if (names == null) {
      List<KerasWeight> out = new ArrayList<>();
      for (KerasWeight x : w) {
        out.add(x.withName(KerasWeight.shortName(x.name())));
      }
      return out;
    }
    if (names.size() != w.size()) {
      throw new ModelFormatException(where + ": the file holds " + w.size()
          + " arrays, this layer needs " + names.size() + " " + names);
    }
    List<KerasWeight> out = new ArrayList<>();
    for (int i = 0; i < w.size(); i++) {
      out.add(w.get(i).withName(names.get(i)));
    }
    checkShapes(cls, cfg, out, where);
    return out;
  }

  private static List<KerasWeight> keras1(String cls, JsonNode cfg, List<KerasWeight> w,
      String where) throws ModelFormatException {
    boolean first = "channels_first".equals(cfg.path("data_format").asText());
    switch (cls) {
      case "Conv1D" -> {
        if (!w.isEmpty() && w.get(0).rank() == 4) {
          KerasWeight k = w.get(0);
          int[] s = k.shape();
          int filters = cfg.path("filters").asInt(-1);
          int size = cfg.path("kernel_size").path(0).asInt(-1);
          if (s[0] != size || s[1] != 1 || s[3] != filters) {
            k = transpose(k, 2, 3, 1, 0);
            s = k.shape();
          }
          if (s[1] != 1) {
            throw new ModelFormatException(where + ": a Keras 1 Conv1D kernel of shape "
                + Arrays.toString(w.get(0).shape()) + " has no unit axis");
          }
          w.set(0, new KerasWeight(k.name(), new int[] {s[0], s[2], s[3]}, k.values(), k.dtype()));
        }
      }
      case "Conv2D" -> {
        if (first && !w.isEmpty()) {
          w.set(0, transpose(w.get(0), 2, 3, 1, 0));
        }
      }
      case "Conv2DTranspose" -> {
        if (!w.isEmpty()) {
          w.set(0, first ? transpose(w.get(0), 2, 3, 0, 1) : transpose(w.get(0), 0, 1, 3, 2));
        }
      }
      case "Conv3D" -> {
        if (first && !w.isEmpty()) {
          w.set(0, transpose(w.get(0), 2, 3, 4, 1, 0));
        }
      }
      case "LSTM", "ConvLSTM2D" -> {
        if (w.size() == 12) {
          KerasWeight kernel = concatLast(w.get(0), w.get(6), w.get(3), w.get(9));
          KerasWeight recurrent = concatLast(w.get(1), w.get(7), w.get(4), w.get(10));
          KerasWeight bias = concatLast(w.get(2), w.get(8), w.get(5), w.get(11));
          if (cls.equals("ConvLSTM2D") && first) {
            kernel = transpose(kernel, 2, 3, 1, 0);
            recurrent = transpose(recurrent, 2, 3, 1, 0);
          }
          w = new ArrayList<>(List.of(kernel, recurrent, bias));
        }
      }
      case "GRU" -> {
        if (w.size() == 9) {
          w = new ArrayList<>(List.of(concatLast(w.get(0), w.get(3), w.get(6)),
              concatLast(w.get(1), w.get(4), w.get(7)), concatLast(w.get(2), w.get(5), w.get(8))));
        }
      }
      default -> { }
    }
    return w;
  }

  private static void checkShapes(String cls, JsonNode cfg, List<KerasWeight> w, String where)
      throws ModelFormatException {
    if (w.isEmpty()) {
      return;
    }
    int[] k = w.get(0).shape();
    if (cls.equals("Dense")) {
      int units = cfg.path("units").asInt(-1);
      if (k.length != 2 || units >= 0 && k[1] != units) {
        throw new ModelFormatException(where + ": kernel " + Arrays.toString(k)
            + " does not fit units=" + units + " (expected (in, " + units + "))");
      }
    }
    int rank = switch (cls) {
      case "Conv1D" -> 3;
      case "Conv2D", "Conv2DTranspose" -> 4;
      case "Conv3D" -> 5;
      default -> 0;
    };
    if (rank > 0) {
      int filters = cfg.path("filters").asInt(-1);
      JsonNode size = cfg.path("kernel_size");
      boolean ok = k.length == rank;
      for (int i = 0; ok && i < rank - 2 && size.has(i); i++) {
        ok = k[i] == size.get(i).asInt();
      }
      int outAxis = cls.equals("Conv2DTranspose") ? rank - 2 : rank - 1;
      ok = ok && (filters < 0 || k[outAxis] == filters);
      if (!ok) {
        throw new ModelFormatException(where + ": kernel " + Arrays.toString(k)
            + " does not fit kernel_size=" + size + ", filters=" + filters);
      }
    }
  }

  /** Keras's {@code conv_utils.convert_kernel}: reverse every axis but the last two. */
  static KerasWeight flipSpatial(KerasWeight k) {
    int[] s = k.shape();
    if (s.length < 3) {
      return k;
    }
    float[] in = k.values();
    float[] out = new float[in.length];
    int inner = s[s.length - 2] * s[s.length - 1];
    int spatial = in.length / Math.max(1, inner);
    int[] dims = Arrays.copyOf(s, s.length - 2);
    int[] idx = new int[dims.length];
    for (int p = 0; p < spatial; p++) {
      // p enumerates spatial positions in row-major order; the flipped position reverses each index
      int rem = p;
      for (int d = dims.length - 1; d >= 0; d--) {
        idx[d] = rem % dims[d];
        rem /= dims[d];
      }
      int q = 0;
      for (int d = 0; d < dims.length; d++) {
        q = q * dims[d] + (dims[d] - 1 - idx[d]);
      }
      System.arraycopy(in, p * inner, out, q * inner, inner);
    }
    return new KerasWeight(k.name(), s, out, k.dtype());
  }

  /** numpy's {@code np.transpose(k, perm)}: output axis i is input axis perm[i]. */
  static KerasWeight transpose(KerasWeight k, int... perm) throws ModelFormatException {
    int[] s = k.shape();
    if (s.length != perm.length) {
      throw new ModelFormatException("weight '" + k.name() + "' " + Arrays.toString(s)
          + " is not of rank " + perm.length);
    }
    int r = s.length;
    int[] outShape = new int[r];
    for (int i = 0; i < r; i++) {
      outShape[i] = s[perm[i]];
    }
    int[] inStride = new int[r];
    int acc = 1;
    for (int i = r - 1; i >= 0; i--) {
      inStride[i] = acc;
      acc *= s[i];
    }
    float[] in = k.values();
    float[] out = new float[in.length];
    int[] idx = new int[r];
    for (int o = 0; o < out.length; o++) {
      int src = 0;
      for (int i = 0; i < r; i++) {
        src += idx[i] * inStride[perm[i]];
      }
      out[o] = in[src];
      for (int i = r - 1; i >= 0; i--) {
        if (++idx[i] < outShape[i]) {
          break;
        }
        idx[i] = 0;
      }
    }
    return new KerasWeight(k.name(), outShape, out, k.dtype());
  }

  /** numpy's {@code np.concatenate(parts, axis=-1)}. */
  static KerasWeight concatLast(KerasWeight... parts) throws ModelFormatException {
    int[] s0 = parts[0].shape();
    int lead = 1;
    for (int i = 0; i < s0.length - 1; i++) {
      lead *= s0[i];
    }
    int total = 0;
    for (KerasWeight p : parts) {
      int[] s = p.shape();
      if (s.length != s0.length || !Arrays.equals(Arrays.copyOf(s, s.length - 1),
          Arrays.copyOf(s0, s0.length - 1))) {
        throw new ModelFormatException("cannot concatenate " + Arrays.toString(s0) + " and "
            + Arrays.toString(s));
      }
      total += s[s.length - 1];
    }
    float[] out = new float[lead * total];
    int col = 0;
    for (KerasWeight p : parts) {
      int[] s = p.shape();
      int w = s[s.length - 1];
      float[] v = p.values();
      for (int row = 0; row < lead; row++) {
        System.arraycopy(v, row * w, out, row * total + col, w);
      }
      col += w;
    }
    int[] shape = s0.clone();
    shape[shape.length - 1] = total;
    return new KerasWeight(parts[0].name(), shape, out, parts[0].dtype());
  }
}
