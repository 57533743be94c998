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

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (model.maxnorm).")
  Path modelFile;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Override
  public Integer call() throws IOException {
    Model m = EvaluateCommand.load(modelFile);
    PrintStream o = main.out;
    o.print(m.summary());
    o.printf(Locale.ROOT, "Input shape: %s, output shape: %s%n", m.inputShape(), m.outputShape());
    if (m.compiled()) {
      o.printf(Locale.ROOT, "Optimizer: %s%nEpochs completed: %d, steps: %d, seed: %d%n",
          m.optimizer().config(), m.epochsCompleted(), m.optimizer().iterations(), m.seed());
    }
    return Main.OK;
  }
}
