package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.interop.KerasFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every file of the shared corpus of real Keras files ({@code ../shared/keras}, see its README),
 * which CI places beside the repository. Skipped where the folder is absent; the test resources
 * hold the subset that the other tests need.
 */
public class SharedCorpusTest {
  static final Path SHARED = Path.of(System.getProperty("maxnorm.shared.keras", "../../shared/keras"));

  /**
   * The files under {@code folder} of the shared corpus ending in one of {@code suffixes}, sorted;
   * the calling test is skipped where the corpus is absent.
   */
  public static List<Path> files(String folder, String... suffixes) throws IOException {
    Path root = SHARED.resolve(folder);
    Assumptions.assumeTrue(Files.isDirectory(root), "no shared corpus at " + root.toAbsolutePath());
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> Stream.of(suffixes).anyMatch(x -> p.toString().endsWith(x)))
          .sorted().toList();
    }
  }

  @Test
  void everyHdf5FileReadsAndEveryModelNormalizes() throws IOException {
    Map<String, String> refused = new TreeMap<>();
    int read = 0;
    int withConfig = 0;
    int normalized = 0;
    for (String folder : List.of("weights", "tfkeras", "recorded")) {
      for (Path p : files(folder, ".h5", ".hdf5")) {
        if (p.getFileName().toString().endsWith("_inputs_and_outputs.h5")) {
          continue;
        }
        KerasModelFile f = KerasFiles.read(p);
        read++;
        assertTrue(f.layers().size() > 0, p + " lists no layers");
        if (f.modelConfig() != null) {
          withConfig++;
          try {
            KerasNormalizer.normalize(f, p.getFileName().toString());
            normalized++;
          } catch (io.github.maxnorm.io.ModelFormatException e) {
            refused.put(p.getFileName().toString(), e.getMessage());
          }
        }
      }
    }
    System.out.printf("shared corpus: %d files read, %d with a model config, %d normalized%n",
        read, withConfig, normalized);
    refused.values().forEach(System.out::println);
    // The only refusals are the three models with a Lambda layer.
    assertEquals(List.of("space_to_depth_graph_tensorflow_2.h5",
        "space_to_depth_simple_tensorflow_1.h5", "space_to_depth_simple_tensorflow_2.h5"),
        new ArrayList<>(refused.keySet()));
    refused.values().forEach(m -> assertTrue(m.endsWith(
        "layer 'space_to_depth_x2' (Lambda): Lambda layers hold Python code and are never imported"), m));
    assertEquals(withConfig - 3, normalized);
  }

  @Test
  void everyConfigNormalizes() throws IOException {
    List<String> refused = new ArrayList<>();
    int ok = 0;
    for (Path p : files("configs", ".json")) {
      KerasModelFile f = KerasFiles.read(p);
      try {
        KerasConfigNormalizer.normalize(f.modelConfig(), p.getFileName().toString());
        ok++;
      } catch (io.github.maxnorm.io.ModelFormatException e) {
        refused.add(e.getMessage());
      }
    }
    refused.forEach(System.out::println);
    System.out.println("configs normalized: " + ok);
    assertEquals(List.of("yolo9000_tf_keras_2.json: layer 'space_to_depth_x2' (Lambda): Lambda"
        + " layers hold Python code and are never imported"), refused);
    assertTrue(ok > 60, "normalized " + ok);
  }
}
