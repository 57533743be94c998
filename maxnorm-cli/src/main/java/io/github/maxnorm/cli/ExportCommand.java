package io.github.maxnorm.cli;

import io.github.maxnorm.interop.Models;
import io.github.maxnorm.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maxnorm export}: a model to Keras, TensorFlow.js or ONNX. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a model (.maxnorm, .keras, .h5 or model.json) to another format:",
      "keras (Keras 3 .keras zip), h5 (Keras 2 full model), tfjs (a folder with model.json",
      "and weight shards) or onnx (an inference graph, opset 13)."
    })
final class ExportCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model file.")
  Path modelFile;

  @Option(names = "--format", paramLabel = "FORMAT", required = true,
      description = "keras, h5, tfjs or onnx (also maxnorm).")
  String format;

  @Option(names = "--out", paramLabel = "PATH", required = true,
      description = "The file (a folder for tfjs) to write.")
  Path out;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Override
  public Integer call() throws IOException {
    Models.Format f = Models.Format.parse(format);
    Model m = ModelLoader.load(modelFile, main.err);
    Models.save(m, out, f);
    main.out.printf(Locale.ROOT, "wrote %s (%s) from %s%n", out,
        f.name().toLowerCase(Locale.ROOT), modelFile);
    return Main.OK;
  }
}
