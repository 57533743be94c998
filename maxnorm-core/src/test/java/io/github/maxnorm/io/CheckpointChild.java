package io.github.maxnorm.io;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The writer process of {@link CrashSafetyTest}: saves checkpoints with increasing counters to one
 * path, forever, printing each counter on its own line after its save has returned.
 *
 * <p>Arguments: the target path and the first counter.
 */
final class CheckpointChild {
  static final int VALUES = 1 << 15;

  private CheckpointChild() {}

  static ModelArchive checkpoint(long counter) {
    float[] w = new float[VALUES];
    java.util.Arrays.fill(w, counter);
    ObjectNode state = JsonNodeFactory.instance.objectNode().put("counter", counter);
    ObjectNode config = JsonNodeFactory.instance.objectNode().put("class_name", "Checkpoint");
    return new ModelArchive(
        config,
        Map.of("w", Tensor.of(w, VALUES)),
        Map.of("w/momentum", Tensor.of(w, 128, VALUES / 128)),
        state);
  }

  public static void main(String[] args) throws IOException {
    Path target = Path.of(args[0]);
    for (long counter = Long.parseLong(args[1]); ; counter++) {
      ModelFiles.save(target, checkpoint(counter));
      System.out.println(counter);
      System.out.flush();
    }
  }
}
