package io.vertiq.scenario;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.TestRedis;
import io.vertiq.testing.TestSupport;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Vertiq as a library: an application (src/test/resources/embed/EmbeddedApp.java) that imports only
 * the public API is compiled against the plain jar the build installs and run in a JVM of its own,
 * with no service jar: it runs a queue's workers inside its own Vert.x and gets a job's result.
 */
class EmbeddingTest {
  @Test
  void anApplicationUsingOnlyThePublicApiRunsJobsInItsOwnVertx() throws Exception {
    String source;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("embed/EmbeddedApp.java")) {
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher imports =
        Pattern.compile("^import (io\\.vertiq\\.[\\w.]+);", Pattern.MULTILINE).matcher(source);
    int api = 0;
    while (imports.find()) {
      assertTrue(
          imports.group(1).matches("io\\.vertiq\\.[A-Z]\\w*"),
          "not a public API type: " + imports.group(1));
      api++;
    }
    assertTrue(api >= 5, "the app uses the API");

    Path plain = plainJar();
    List<String> cp = new ArrayList<>(List.of(plain.toString()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      // the dependencies, not this build's own classes (target/classes holds every internal type
      // too)
      if (entry.endsWith(".jar") && !entry.contains(File.separator + "target" + File.separator))
        cp.add(entry);
    }
    Path dir = Files.createTempDirectory("vertiq-embed-");
    try {
      Path src = dir.resolve("EmbeddedApp.java");
      Files.writeString(src, source);
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int compiled =
          javac.run(
              null,
              null,
              null,
              "-d",
              dir.toString(),
              "-cp",
              String.join(File.pathSeparator, cp),
              src.toString());
      assertEquals(0, compiled, "the app compiles against the plain jar");
      cp.add(0, dir.toString());
      String prefix = TestSupport.randomPrefix();
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  String.join(File.pathSeparator, cp),
                  "EmbeddedApp",
                  TestRedis.url(),
                  prefix)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.contains("EMBEDDED COMPLETED hello ada"), out);
      Vertx vertx = Vertx.vertx();
      try {
        Redis redis = Redis.createClient(vertx, TestRedis.url());
        TestSupport.deleteKeys(redis, prefix);
        TestSupport.await(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      } finally {
        TestSupport.await(vertx.close());
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** target/vertiq-<version>.jar: the plain jar, neither the fat jar nor the bench jar. */
  private static Path plainJar() throws IOException {
    Path target = Path.of(System.getProperty("vertiq.jar", "target/vertiq.jar")).getParent();
    try (Stream<Path> jars = Files.list(target)) {
      return jars.filter(
              j ->
                  j.getFileName().toString().matches("vertiq-[0-9][^/]*\\.jar")
                      && !j.toString().endsWith("-bench.jar"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no plain jar in " + target));
    }
  }
}
