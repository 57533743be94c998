package io.github.maxnorm.spark;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A real Spark standalone cluster on 127.0.0.1, started from the test class path alone: a master
 * and {@code n} workers, each its own JVM, on random ports. The folder given becomes SPARK_HOME:
 * its {@code jars/} links every jar of the class path (where workers find the executors' class
 * path), and {@code app.jar} holds the class folders (maxnorm's own classes), for {@code
 * spark.jars}. {@link #close} stops every process it started by PID: executors (the workers'
 * children) first, then workers and master.
 */
final class StandaloneCluster implements AutoCloseable {
  private final Path home;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();
  private final String url;
  private final Path appJar;

  StandaloneCluster(Path home, int workerCount) throws IOException, InterruptedException {
    this.home = home;
    Path jars = Files.createDirectories(home.resolve("jars"));
    List<Path> folders = new ArrayList<>();
    for (String entry : classPath()) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p)) {
        folders.add(p);
      } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = jars.resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
        }
      }
    }
    appJar = home.resolve("app.jar");
    writeJar(appJar, folders);
    int port = freePort();
    url = "spark://127.0.0.1:" + port;
    Process m = null;
    try {
      m = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
          "--port", Integer.toString(port), "--webui-port", "0");
      for (int i = 0; i < workerCount; i++) {
        Path work = Files.createDirectories(home.resolve("work-" + i));
        workers.add(start("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host",
            "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", "1", "--memory", "700m",
            "--work-dir", work.toString(), url));
      }
    } catch (IOException | RuntimeException e) {
      master = m;
      close();
      throw e;
    }
    master = m;
    try {
      for (int i = 0; i < workerCount; i++) {
        awaitLog("worker-" + i, "Successfully registered with master", 90_000);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The master URL, {@code spark://127.0.0.1:PORT}. */
  String url() {
    return url;
  }

  /** The jar of maxnorm's classes, for {@code spark.jars}. */
  Path appJar() {
    return appJar;
  }

  Path home() {
    return home;
  }

  /** The executor JVMs the workers run now. */
  List<ProcessHandle> executors() {
    List<ProcessHandle> out = new ArrayList<>();
    for (Process w : workers) {
      w.toHandle().descendants().filter(ph -> ph.info().commandLine()
          .map(c -> c.contains("CoarseGrainedExecutorBackend")).orElse(false))
          .forEach(out::add);
    }
    return out;
  }

  /** The executor JVM with Spark executor id {@code id}, if it runs. */
  Optional<ProcessHandle> executor(String id) {
    return executors().stream().filter(ph -> ph.info().commandLine()
        .map(c -> c.contains("--executor-id " + id + " ")).orElse(false)).findFirst();
  }

  /** The PIDs of the master and the workers. */
  List<Long> pids() {
    List<Long> p = new ArrayList<>();
    if (master != null) {
      p.add(master.pid());
    }
    workers.forEach(w -> p.add(w.pid()));
    return p;
  }

  private Process start(String name, String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx200m");
    // short-lived service JVMs: the C1 compiler alone starts them faster
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(home.resolve("jars") + File.separator + "*");
    cmd.add("-Dspark.master.rest.enabled=false");
    cmd.addAll(jvmOptions());
    cmd.add(main);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(home.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    return pb.start();
  }

  /** Waits until the log of process {@code name} contains {@code text}. */
  void awaitLog(String name, String text, long millis) throws IOException, InterruptedException {
    Path log = home.resolve(name + ".log");
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      if (Files.exists(log)
          && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " did not log \"" + text + "\" within " + millis
        + " ms; its log:\n" + (Files.exists(log) ? Files.readString(log,
            StandardCharsets.ISO_8859_1) : "(none)"));
  }

  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process w : workers) {
      w.toHandle().descendants().forEach(all::add);
    }
    for (Process w : workers) {
      all.add(w.toHandle());
    }
    if (master != null) {
      all.add(master.toHandle());
    }
    for (ProcessHandle ph : all) {
      ph.destroyForcibly();
    }
    for (ProcessHandle ph : all) {
      try {
        ph.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        // reported below if it still runs
      }
      if (ph.isAlive()) {
        System.err.println("StandaloneCluster: process " + ph.pid() + " did not stop");
      }
    }
    deleteTree(home);
  }

  /** Deletes a folder, removing links without following them. */
  private static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
          Files.delete(f);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      System.err.println("StandaloneCluster: could not delete " + root + ": " + e);
    }
  }

  /** Spark's JVM options, as the build passes them (the spark.jvm.args property). */
  static List<String> jvmOptions() {
    String opts = System.getProperty("spark.jvm.args", "").strip();
    return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
  }

  /** The entries of the test class path (Surefire's, when it hides it behind a manifest jar). */
  static List<String> classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isEmpty()) {
      cp = System.getProperty("java.class.path");
    }
    return List.of(cp.split(File.pathSeparator));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A jar of every file under the given folders. */
  private static void writeJar(Path jar, List<Path> folders) throws IOException {
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os)) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Path root : folders) {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            String name = root.relativize(f).toString().replace(File.separatorChar, '/');
            if (seen.add(name)) {
              out.putNextEntry(new JarEntry(name));
              Files.copy(f, out);
              out.closeEntry();
            }
            return FileVisitResult.CONTINUE;
          }
        });
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
