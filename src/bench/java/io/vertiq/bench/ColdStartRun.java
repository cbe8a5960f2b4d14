package io.vertiq.bench;

import io.vertiq.redis.KeyScan;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The "coldstart" scenario: scale from zero as a new pod meets it. Starts the fat jar five times
 * (scaled: at least three) with a conf of one queue on its own key prefix and times, from the
 * process start, its /ready answering 200 and its first job completed (enqueued over HTTP once
 * ready); the medians, then the same with a class-data archive (AppCDS) that a training start
 * dumped at its exit, as a container image would build it once, and with that archive and the JIT's
 * first tier only (-XX:TieredStopAtLevel=1).
 */
public final class ColdStartRun {
  private ColdStartRun() {}

  /** One start's figures: ms to /ready 200, ms to the first job completed. */
  private record Start(long readyMs, long firstJobMs) {}

  static JsonObject run(String url, double scale) throws Exception {
    int runs = Math.max(3, (int) Math.round(5 * Math.min(1, scale * 5)));
    List<Start> plain = new ArrayList<>();
    for (int i = 0; i < runs; i++) plain.add(start(url, List.of()));
    // a class-data archive of what a start loads, dumped at the exit of a run that went as far as
    // a first job (what a container image would build once)
    Path archive = Files.createTempFile("vertiq-", ".jsa");
    Files.delete(archive);
    start(url, List.of("-XX:ArchiveClassesAtExit=" + archive));
    List<Start> cds = new ArrayList<>();
    // and with the JIT's first tier only: no C2 compiling beside the start on 2 cores (see
    // docs/kubernetes.md: the service's own code loses little; a handler that computes loses more)
    List<Start> quick = new ArrayList<>();
    try {
      if (Files.isReadable(archive))
        for (int i = 0; i < runs; i++) {
          cds.add(start(url, List.of("-XX:SharedArchiveFile=" + archive)));
          quick.add(
              start(url, List.of("-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1")));
        }
    } finally {
      Files.deleteIfExists(archive);
    }
    JsonObject out =
        new JsonObject()
            .put("scenario", "coldstart")
            .put("runs", runs)
            .put("readyMsMedian", median(plain, Start::readyMs))
            .put("firstJobMsMedian", median(plain, Start::firstJobMs));
    if (!cds.isEmpty())
      out.put("cdsReadyMsMedian", median(cds, Start::readyMs))
          .put("cdsFirstJobMsMedian", median(cds, Start::firstJobMs))
          .put("cdsC1ReadyMsMedian", median(quick, Start::readyMs))
          .put("cdsC1FirstJobMsMedian", median(quick, Start::firstJobMs));
    return out;
  }

  /** Starts the fat jar with {@code jvmArgs}, times it to ready and to a first job, stops it. */
  private static Start start(String url, List<String> jvmArgs) throws Exception {
    Path jar = Path.of(System.getProperty("vertiq.jar", "target/vertiq.jar"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    int port = freePort();
    String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject conf =
        Bench.serviceConf(
                url,
                prefix,
                "cold",
                new JsonObject().put("handler", "noop").put("instances", 1).put("concurrency", 10))
            .put("http", new JsonObject().put("port", port).put("host", "127.0.0.1"));
    Path file = Files.createTempFile("vertiq-cold-", ".json");
    Files.writeString(file, conf.encode());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // -Dcoldstart.jvmArgs="...": flags for every start, to try one (e.g. -XX:TieredStopAtLevel=1)
    String extra = System.getProperty("coldstart.jvmArgs", "").trim();
    if (!extra.isEmpty()) cmd.addAll(List.of(extra.split("\\s+")));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar.toString(), "-conf", file.toString()));
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(new File("/dev/null"))
            .start();
    try {
      String base = "http://127.0.0.1:" + port;
      until(
          t0,
          () -> status(http, HttpRequest.newBuilder(URI.create(base + "/ready")).build()) == 200);
      long ready = (System.nanoTime() - t0) / 1_000_000;
      HttpRequest enqueue =
          HttpRequest.newBuilder(URI.create(base + "/queues/cold/jobs"))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":{}}"))
              .build();
      http.send(enqueue, HttpResponse.BodyHandlers.ofString());
      HttpRequest queue = HttpRequest.newBuilder(URI.create(base + "/queues/cold")).build();
      until(t0, () -> body(http, queue).contains("\"completed\":1"));
      return new Start(ready, (System.nanoTime() - t0) / 1_000_000);
    } finally {
      p.destroy(); // SIGTERM: a graceful stop (and the archive's dump, when asked)
      p.waitFor(60, TimeUnit.SECONDS);
      Files.deleteIfExists(file);
      Vertx vertx = Vertx.vertx();
      Redis redis = Redis.createClient(vertx, url);
      try {
        KeyScan.deleteByPrefix(redis, prefix).toCompletionStage().toCompletableFuture().get();
        redis
            .send(Request.cmd(Command.DEL).arg(prefix + ":queues"))
            .toCompletionStage()
            .toCompletableFuture()
            .get();
      } finally {
        vertx.close();
      }
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  /** Polls every 10 ms until the check holds, 60 s at most from {@code t0}. */
  private static void until(long t0, Check check) throws Exception {
    while (true) {
      try {
        if (check.ok()) return;
      } catch (java.io.IOException notYet) {
        // the port is not open yet
      }
      if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60))
        throw new IllegalStateException("the service did not get there within 60 s");
      Thread.sleep(10); // the polling interval: a span of time, not a state
    }
  }

  private static int status(HttpClient http, HttpRequest r) throws Exception {
    return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String body(HttpClient http, HttpRequest r) throws Exception {
    return http.send(r, HttpResponse.BodyHandlers.ofString()).body().replace(" ", "");
  }

  private static long median(List<Start> v, java.util.function.ToLongFunction<Start> f) {
    List<Long> s = new ArrayList<>();
    for (Start x : v) s.add(f.applyAsLong(x));
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
