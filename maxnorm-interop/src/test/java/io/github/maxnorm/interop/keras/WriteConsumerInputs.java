package io.github.maxnorm.interop.keras;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Not a check: the first step of {@code maxnorm-interop/consumers/run.sh}, which runs it with
 * {@code -Dmaxnorm.consumers.out=DIR} to write the files the consumers then check. Without the
 * property it does nothing.
 */
class WriteConsumerInputs {
  @Test
  void write() throws IOException {
    String out = System.getProperty("maxnorm.consumers.out");
    Assumptions.assumeTrue(out != null, "only run by consumers/run.sh");
    Path dir = Path.of(out);
    Files.createDirectories(dir);
    byte[] manifest = KerasJson.toBytes(ConsumerInputs.write(dir));
    Files.write(dir.resolve("manifest.json"), manifest);
  }
}
