package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The clustered event bus with real processes: the fat jar started with -cluster (Hazelcast,
 * conf/cluster.xml, TCP/IP join) fetches a queue whose handler is an event-bus address that only
 * another process of the cluster serves; that process sees the queue's lifecycle events and gets
 * answers to control requests; when it leaves mid-run and comes back, no job is lost.
 */
class ClusterProcessesTest {
  /** The test's other cluster member (io.vertiq.testing.ClusterConsumer), and its output. */
  private static final class Consumer implements AutoCloseable {
    final Process process;
    final Path log;

    Consumer(String cluster, String members, int port, String address, String queue)
        throws Exception {
      log = Files.createTempFile("vertiq-consumer-", ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-Dvertiq.cluster.name=" + cluster,
                  "-Dvertiq.cluster.members=" + members,
                  "-Dvertiq.cluster.port=" + port,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.vertiq.testing.ClusterConsumer",
                  address,
                  queue)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    }

    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "";
      }
    }

    /** The last "handled=N" the process printed. */
    long handled() {
      String out = output();
      int at = out.lastIndexOf("handled=");
      return at < 0 ? 0 : Long.parseLong(out.substring(at + 8, out.indexOf(' ', at)));
    }

    long events() {
      String out = output();
      int at = out.lastIndexOf("events=");
      if (at < 0) return 0;
      int end = out.indexOf('\n', at);
      return Long.parseLong(out.substring(at + 7, end < 0 ? out.length() : end).trim());
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      new File(log.toString()).delete();
    }
  }

  private static List<NewJob> jobs(int n) {
    List<NewJob> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // while no member serves the address a run fails at once (no handler): enough attempts,
      // backed off up to 3 s
      // apart, to outlast a member joining a busy machine's cluster (20 s and more on a loaded CI
      // box)
      out.add(
          NewJob.of("remote", new JsonObject().put("i", i))
              .setAttempts(40)
              .setBackoff(
                  new JsonObject()
                      .put("type", "exponential")
                      .put("delay", "300ms")
                      .put("max", "3s")));
    }
    return out;
  }

  @Test
  void jobsFetchedOnOneNodeRunOnAnotherAndSurviveItLeaving() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("clustered");
      String address = "vq-test." + name;
      String cluster = "vqtest-" + UUID.randomUUID().toString().substring(0, 8);
      int pa = RedisServerProcess.freePort();
      int pb = RedisServerProcess.freePort();
      String members = "127.0.0.1:" + pa + ",127.0.0.1:" + pb;
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(name, new JsonObject().put("address", address).put("timeout", "2s")));
      Path file = JarProcess.writeConf(conf);
      JobQueue q = h.queue(name);
      List<String> jvm =
          List.of(
              "-Dvertiq.cluster.name=" + cluster,
              "-Dvertiq.cluster.members=" + members,
              "-Dvertiq.cluster.port=" + pa);
      try (Consumer b = new Consumer(cluster, members, pb, address, name);
          JarProcess a = JarProcess.start(jvm, "-conf", file.toString(), "-cluster")) {
        a.awaitStarted();
        until(
            "the consumer joined the cluster",
            Duration.ofSeconds(60),
            () -> b.output().contains("ready"));
        await(q.enqueueBulk(jobs(50)));
        until(
            "50 jobs completed by the other node",
            Duration.ofSeconds(60),
            () -> await(q.counts()).total("completed") == 50);
        until("it counted them", Duration.ofSeconds(10), () -> b.handled() >= 50);
        until("lifecycle events reached it", Duration.ofSeconds(10), () -> b.events() > 0);
        until(
            "a control request from it was answered",
            Duration.ofSeconds(10),
            () -> b.output().contains("control=ok"));
        assertFalse(a.output().contains("Exception") && a.output().contains("cluster"), a.output());

        // the serving node leaves mid-run (SIGTERM: it leaves the cluster): runs fail (no handler)
        // and are retried;
        // nothing is lost when one comes back
        await(q.enqueueBulk(jobs(50)));
        until("it took some of them", Duration.ofSeconds(20), () -> b.handled() > 50);
        b.process.destroy();
        assertTrue(b.process.waitFor(30, TimeUnit.SECONDS), "the consumer stopped");
        try (Consumer b2 = new Consumer(cluster, members, pb, address, name)) {
          until(
              "a consumer back in the cluster",
              Duration.ofSeconds(60),
              () -> b2.output().contains("ready"));
          until(
              "all 100 completed",
              Duration.ofSeconds(120),
              () -> await(q.counts()).total("completed") == 100);
          assertEquals(0, await(q.counts()).dead(), "no job died while the handler was away");
        }
      }
    }
  }
}
