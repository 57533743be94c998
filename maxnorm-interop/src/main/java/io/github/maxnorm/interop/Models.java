package io.github.maxnorm.interop;

import io.github.maxnorm.interop.keras.KerasFormat;
import io.github.maxnorm.interop.keras.KerasModelFile;
import io.github.maxnorm.interop.keras.KerasModels;
import io.github.maxnorm.interop.keras.KerasNormalizer;
import io.github.maxnorm.interop.onnx.OnnxExport;
import io.github.maxnorm.io.ModelFormatException;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.ModelIO;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipFile;

/**
 * Model files of every supported kind in and out, for code that does not care which: maxnorm's own
 * archive ({@code .maxnorm}), Keras 3 {@code .keras} (zip or folder), Keras 1/2 {@code .h5},
 * TensorFlow.js {@code model.json}, and bare Keras model configs; ONNX out only.
 *
 * <pre>{@code
 * Model m = Models.load(Path.of("model.h5"));
 * Models.save(m, Path.of("model.onnx"), Models.Format.ONNX);
 * }</pre>
 */
public final class Models {
  private Models() {}

  /** The formats {@link #save} writes. */
  public enum Format {
    /** maxnorm's own archive ({@link ModelIO}): config, weights, optimizer state, counters. */
    MAXNORM,
    /** Keras 3 {@code .keras} zip. */
    KERAS,
    /** Keras 2 / tf.keras {@code .h5} full model. */
    H5,
    /** TensorFlow.js layers model: a folder with {@code model.json} and weight shards. */
    TFJS,
    /** ONNX inference graph (opset {@value OnnxExport#OPSET}). */
    ONNX;

    /** A format by its command-line name ({@code maxnorm}, {@code keras}, {@code h5}, ...). */
    public static Format parse(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown model format '" + name
            + "'; give maxnorm, keras, h5, tfjs or onnx");
      }
    }
  }

  /**
   * A model read from a file.
   *
   * @param model the built model (compiled when the file held a training config maxnorm can use)
   * @param kind what the file was: {@code maxnorm}, or the Keras container ({@link KerasFormat})
   *     and version it came in
   * @param weightsFromFile false for a bare config, whose weights are freshly initialized
   * @param notes what could not be carried over (see {@link KerasModels.Import})
   */
  public record Loaded(Model model, String kind, boolean weightsFromFile, List<String> notes) {
    /** Copies the notes. */
    public Loaded {
      notes = List.copyOf(notes);
    }
  }

  /** Loads a model with its weights from any supported file; a bare config is refused. */
  public static Model load(Path path) throws IOException {
    Loaded l = read(path, 0, false);
    return l.model();
  }

  /**
   * Reads any supported model file. With {@code allowConfigOnly}, a bare Keras model config (as
   * {@code model.to_json()} writes it) gives a model whose weights are drawn from {@code seed}.
   */
  public static Loaded read(Path path, long seed, boolean allowConfigOnly) throws IOException {
    return read(path, seed, allowConfigOnly, null);
  }

  /**
   * As {@link #read(Path, long, boolean)}; a non-null {@code kernelMaxNorm} adds max-norm with
   * that bound to every kernel of a Keras model, replacing the file's kernel constraints ({@link
   * KerasModels#withKernelMaxNorm}). It is refused for a {@code .maxnorm} file, whose layers are
   * already built with their constraints.
   */
  public static Loaded read(Path path, long seed, boolean allowConfigOnly, Double kernelMaxNorm)
      throws IOException {
    if (isMaxnormArchive(path)) {
      if (kernelMaxNorm != null) {
        throw new IllegalArgumentException(path + ": a maxnorm model keeps its own constraints;"
            + " max-norm is added to imported Keras models only");
      }
      return new Loaded(ModelIO.load(path), "maxnorm", true, List.of());
    }
    String source = path.toString();
    KerasModelFile file = KerasFiles.read(path);
    if (file.modelConfig() == null) {
      throw new ModelFormatException(source + ": a weights-only file; it needs a model config"
          + " (load the config and apply these weights)");
    }
    boolean configOnly = file.format() == KerasFormat.JSON_CONFIG;
    if (configOnly && !allowConfigOnly) {
      throw new ModelFormatException(source + ": a model config without weights; give a model"
          + " file with weights (.keras, .h5, model.json or .maxnorm)");
    }
    KerasModelFile canonical = KerasNormalizer.normalize(file, source);
    if (kernelMaxNorm != null) {
      canonical = KerasModels.withKernelMaxNorm(canonical, kernelMaxNorm);
    }
    KerasModels.Import im = KerasModels.toModel(canonical, source, !configOnly, seed);
    Model m = im.model();
    String version = file.kerasVersion() == null ? "" : " (Keras " + file.kerasVersion() + ")";
    return new Loaded(m, file.format().name().toLowerCase(Locale.ROOT) + version, !configOnly,
        im.notes());
  }

  /** Writes a built model to {@code path} in {@code format}, replacing the target atomically. */
  public static void save(Model m, Path path, Format format) throws IOException {
    switch (format) {
      case MAXNORM -> ModelIO.save(m, path);
      case ONNX -> OnnxExport.write(m, path);
      case KERAS -> KerasFiles.write(KerasModels.toKeras(m), path, KerasFormat.KERAS_ZIP);
      case H5 -> KerasFiles.write(KerasModels.toKeras(m), path, KerasFormat.H5);
      case TFJS -> KerasFiles.write(KerasModels.toKeras(m), path, KerasFormat.TFJS);
    }
  }

  /** Whether {@code path} is a zip holding maxnorm's {@code manifest.json}. */
  static boolean isMaxnormArchive(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(path)) {
      head = in.readNBytes(2);
    }
    if (head.length < 2 || head[0] != 'P' || head[1] != 'K') {
      return false;
    }
    try (ZipFile z = new ZipFile(path.toFile())) {
      return z.getEntry("manifest.json") != null;
    } catch (IOException e) {
      return false; // let the Keras reader say what is wrong with it
    }
  }
}
