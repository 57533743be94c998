package io.github.maxnorm.cli;

import io.github.maxnorm.interop.Models;
import io.github.maxnorm.model.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maxnorm import}: a Keras or TensorFlow.js model file to maxnorm's own model file. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import a Keras (.keras, .h5) or TensorFlow.js (model.json) model as model.maxnorm.",
      "Layers, weights, constraints and (where maxnorm has them) the optimizer, loss and",
      "metrics are kept; a layer maxnorm lacks is refused, naming it."
    })
final class ImportCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "FILE",
      description = "A .keras file or folder, a .h5 file, or a TensorFlow.js model.json.")
  Path file;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "model.maxnorm",
      description = "The maxnorm model file to write (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Override
  public Integer call() throws IOException {
    Models.Loaded l = ModelLoader.read(file, 0, false, main.err);
    Model m = l.model();
    Models.save(m, out, Models.Format.MAXNORM);
    PrintStream o = main.out;
    o.printf(Locale.ROOT, "imported %s (%s): %d layers, %d parameters, input %s, output %s%s%n",
        file, l.kind(), m.layers().size(), m.countParams(), m.inputShape(), m.outputShape(),
        m.compiled() ? ", compiled with " + m.optimizer().config().config().className() + " and "
            + m.loss().config().className() : ", no training config");
    o.printf(Locale.ROOT, "wrote %s%n", out);
    return Main.OK;
  }
}
