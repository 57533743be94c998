package io.github.maxnorm.cli;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Sequential;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maxnorm summary}: the layer table of a saved model, with its constraints. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = {
      "Print the layer table of a saved model, with constraints.",
      "Shows output shapes, parameter counts, constraints and the training state."
    })
final class SummaryCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "A model file (.maxnorm, .keras, .h5, model.json) or a bare Keras model"
          + " config (model.to_json() of Keras 1, 2 or 3).")
  Path modelFile;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Override
  public Integer call() throws IOException {
    io.github.maxnorm.interop.Models.Loaded l = ModelLoader.read(modelFile, 0, true, main.err);
    Model m = l.model();
    PrintStream o = main.out;
    if (!l.kind().equals("maxnorm")) {
      o.printf(Locale.ROOT, "Read %s as %s%s%n", modelFile, l.kind(),
          l.weightsFromFile() ? "" : "; a config without weights (weights freshly initialized)");
    }
    o.print(m.summary());
    o.printf(Locale.ROOT, "Input shape: %s, output shape: %s%n", m.inputShape(), m.outputShape());
    if (m.compiled()) {
      o.printf(Locale.ROOT, "Optimizer: %s%nEpochs completed: %d, steps: %d, seed: %d%n",
          m.optimizer().config(), m.epochsCompleted(), m.optimizer().iterations(), m.seed());
    }
    return Main.OK;
  }
}
