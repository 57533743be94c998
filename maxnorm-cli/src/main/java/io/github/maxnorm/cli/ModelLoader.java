package io.github.maxnorm.cli;

import io.github.maxnorm.interop.Models;
import io.github.maxnorm.model.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Model files for the commands: {@code .maxnorm}, {@code .keras} (zip or folder), {@code .h5},
 * TensorFlow.js {@code model.json} (or its folder) and, where a command allows it, a bare Keras
 * model config; through maxnorm-interop's {@link Models}.
 */
final class ModelLoader {
  private ModelLoader() {}

  /** A model with its weights; what the import left out is printed to {@code err}. */
  static Model load(Path file, PrintStream err) throws IOException {
    return read(file, 0, false, err).model();
  }

  /** Reads a model file; a bare config gets weights drawn from {@code seed} if allowed. */
  static Models.Loaded read(Path file, long seed, boolean allowConfig, PrintStream err)
      throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    Models.Loaded l = Models.read(file, seed, allowConfig);
    if (err != null) {
      for (String n : l.notes()) {
        err.println("maxnorm: " + file + ": " + n);
      }
    }
    return l;
  }
}
