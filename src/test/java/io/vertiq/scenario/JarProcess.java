package io.vertiq.scenario;

import io.vertiq.testing.TestSupport;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real fat jar as a child process, with its output in a file, stopped by {@link #close()}. */
final class JarProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private JarProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static JarProcess start(String... args) throws IOException {
    return start(List.of(), args);
  }

  /** The fat jar with JVM options before -jar (system properties, say). */
  static JarProcess start(List<String> jvmArgs, String... args) throws IOException {
    String jar = System.getProperty("vertiq.jar", "target/vertiq.jar");
    Path log = Files.createTempFile("vertiq-jar-", ".log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("VERTIQ_"));
    return new JarProcess(pb.start(), log);
  }

  /**
   * The fat jar with the test classes on its class path too, so a conf can name a handler of the
   * tests (one that records what it did outside the process, to be read after a SIGKILL).
   */
  static JarProcess startWithTestHandlers(String... args) throws IOException {
    String jar = System.getProperty("vertiq.jar", "target/vertiq.jar");
    Path log = Files.createTempFile("vertiq-jar-", ".log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                jar + File.pathSeparator + "target/test-classes",
                "io.vertiq.server.VertiqApplication"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("VERTIQ_"));
    return new JarProcess(pb.start(), log);
  }

  /** Writes a conf to a temporary file (deleted at exit) for -conf. */
  static Path writeConf(JsonObject conf) throws IOException {
    Path p = Files.createTempFile("vertiq-conf-", ".json");
    Files.writeString(p, conf.encodePrettily());
    p.toFile().deleteOnExit();
    return p;
  }

  /** Waits until the service says it started. */
  JarProcess awaitStarted() {
    TestSupport.until(
        "the service started", Duration.ofSeconds(60), () -> output().contains("Vertiq started"));
    return this;
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits for the exit, returning the code, or -1 after the timeout. */
  int waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  void sigterm() {
    process.destroy();
  }

  void sigkill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        sigkill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    new File(log.toString()).delete();
  }
}
