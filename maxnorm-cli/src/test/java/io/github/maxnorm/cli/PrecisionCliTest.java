package io.github.maxnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maxnorm.kernel.Precision;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.nn.DTypePolicy;
import io.github.maxnorm.nn.Layer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --precision}: a mixed run, bad values, and the refusal on a CPU without bf16. */
class PrecisionCliTest {
  @TempDir Path tmp;

  @Test
  void mixedBfloat16TrainsAndIsRecorded() throws IOException {
    Assumptions.assumeTrue(Precision.BFLOAT16.supported(), Precision.bfloat16Unsupported());
    Path run = tmp.resolve("mixed");
    MainTest.Result r = MainTest.cli("train", "--limit", "512", "--epochs", "2", "--batch-size",
        "64", "--precision", "mixed_bfloat16", "--out", run.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    assertEquals("mixed_bfloat16", summary.get("precision").asText());
    assertTrue(summary.get("test_accuracy").asDouble() > 0.5, summary.toString());
    JsonNode cfg = new ObjectMapper().readTree(run.resolve("run.json").toFile());
    assertEquals("mixed_bfloat16", cfg.get("precision").asText());
    Model m = ModelIO.load(run.resolve("model.maxnorm"));
    for (Layer l : m.layers()) {
      assertEquals(DTypePolicy.MIXED_BFLOAT16, l.dtypePolicy(), l.name());
    }
  }

  @Test
  void anUnknownPrecisionIsOneLine() {
    MainTest.Result r = MainTest.cli("train", "--limit", "64", "--precision", "float16", "--out",
        tmp.resolve("bad").toString());
    assertEquals(Main.USAGE, r.code());
    assertEquals(List.of("maxnorm: --precision must be float32 or mixed_bfloat16, received"
        + " 'float16'"), r.errLines());
  }

  /**
   * With oneDNN capped at AVX-512 without BF16 ({@code ONEDNN_MAX_CPU_ISA=AVX512_CORE}), which any
   * x86 CPU can emulate the absence of, the option is refused in one line before training.
   */
  @Test
  void mixedBfloat16IsRefusedWithoutBfloat16Instructions() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "train", "--limit", "64", "--epochs", "1", "--precision",
        "mixed_bfloat16", "--out", tmp.resolve("refused").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("ONEDNN_MAX_CPU_ISA", "AVX512_CORE");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the refused run ends");
    assertEquals(Main.USAGE, p.exitValue(), err);
    List<String> lines = err.isBlank() ? List.of() : List.of(err.strip().split("\\R"));
    assertEquals(1, lines.size(), err);
    assertTrue(lines.get(0).startsWith("maxnorm: --precision mixed_bfloat16: bfloat16 needs a CPU"
        + " with AVX-512 BF16 or AMX instructions; oneDNN found only "), lines.get(0));
    assertTrue(!tmp.resolve("refused").resolve("model.maxnorm").toFile().exists(),
        "nothing was trained");
  }
}
