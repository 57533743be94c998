package io.github.maxnorm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.maxnorm.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that keeps saving checkpoints to one path at random moments (SIGKILL, seeded
 * delays) and checks that the file under the final name always loads and is at least as new as
 * the last save the process reported complete. The number of kills comes from the system property
 * {@code maxnorm.crash.kills} (default 20).
 */
class CrashSafetyTest {
  static final int KILLS = Integer.getInteger("maxnorm.crash.kills", 20);

  @TempDir Path dir;

  @Test
  void killedWriterNeverLeavesAPartialCheckpoint() throws Exception {
    SplittableRandom rng = new SplittableRandom(20240611L);
    Path target = dir.resolve("checkpoint.zip");
    Path stderr = dir.resolve("child-stderr.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long next = 1;
    int interruptedWrites = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      Process child =
          new ProcessBuilder(
                  java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                  "-cp", System.getProperty("java.class.path"),
                  CheckpointChild.class.getName(), target.toString(), Long.toString(next))
              .redirectError(stderr.toFile())
              .start();
      AtomicLong reported = new AtomicLong(-1);
      CountDownLatch firstSave = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
          for (String line; (line = r.readLine()) != null; ) {
            reported.set(Long.parseLong(line.trim()));
            firstSave.countDown();
          }
        } catch (IOException | NumberFormatException e) {
          // the pipe breaks when the child dies; a torn last line only lowers the bound
        }
      });
      reader.start();
      try {
        if (!firstSave.await(30, TimeUnit.SECONDS)) {
          fail("the child reported no save within 30 s; stderr:\n" + Files.readString(stderr));
        }
        LockSupport.parkNanos(rng.nextLong(0, 150_000_000L));
      } finally {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
        reader.join(30_000);
      }
      long completed = reported.get();
      ModelArchive loaded = ModelFiles.load(target);
      long counter = loaded.trainingState().get("counter").longValue();
      assertTrue(counter >= completed,
          "kill " + kill + ": file holds counter " + counter + " but the child reported "
              + completed + " complete");
      assertTrue(counter >= next, "kill " + kill + ": counter went backwards");
      for (Tensor t : List.of(loaded.weights().get("w"), loaded.optimizerState().get("w/momentum"))) {
        for (int i = 0; i < t.size(); i++) {
          assertEquals((float) counter, t.get(i), "kill " + kill + ": mixed checkpoint");
        }
      }
      try (Stream<Path> files = Files.list(dir)) {
        interruptedWrites += (int) files.filter(f -> f.getFileName().toString().endsWith(".tmp"))
            .peek(f -> f.toFile().delete()).count();
      }
      next = counter + 1;
    }
    System.out.println("CrashSafetyTest: " + KILLS + " kills, " + interruptedWrites
        + " of them interrupted a write; last counter " + (next - 1));
  }
}
