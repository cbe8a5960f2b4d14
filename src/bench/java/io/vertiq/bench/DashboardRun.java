package io.vertiq.bench;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.QueueCounts;
import io.vertiq.Vertiq;
import io.vertiq.config.RedisConfig;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.KeyScan;
import io.vertiq.redis.RedisConnector;
import io.vertiq.server.Bootstrap;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The "dashboard" scenario: what the dashboard's pages cost on a big queue. A queue holds 1,000,000
 * waiting jobs and 10,000 dead ones (scaled); the service's HTTP API answers every call a dashboard
 * page makes, 20 times each, from a client on loopback in this JVM: the time from request to last
 * byte, the server's time and a loopback round trip.
 */
public final class DashboardRun {
  private DashboardRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    int waiting = Math.max(1_000, (int) (1_000_000 * scale));
    int dead = Math.max(100, (int) (10_000 * scale));
    Vertx vertx = Vertx.vertx();
    Redis redis = RedisConnector.create(vertx, new RedisConfig().setUrl(url));
    String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    String service = null;
    try {
      JobQueue q =
          Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("big");
      // the dead ones first, run to their death by the service with its workers; then the waiting
      // ones, paused
      fill(q, dead, new JsonObject().put("error", "planned"));
      JsonObject conf =
          new JsonObject()
              .put("redis", new JsonObject().put("url", url).put("keyPrefix", prefix))
              .put("http", new JsonObject().put("port", 0).put("host", "127.0.0.1"))
              .put("reload", new JsonObject().put("scanPeriod", "0ms"))
              .put(
                  "queues",
                  new JsonObject()
                      .put(
                          "big",
                          new JsonObject()
                              .put("handler", "sleep")
                              .put("attempts", 1)
                              .put("concurrency", 500)));
      Bootstrap b = new Bootstrap(null);
      service = block(vertx.deployVerticle(b, new DeploymentOptions().setConfig(conf)));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (block(q.counts()).dead() < dead) {
        if (System.nanoTime() > deadline)
          throw new IllegalStateException("the dead jobs did not die");
        Thread.sleep(100); // polled: the runs to their death
      }
      block(q.pause());
      fill(q, waiting, new JsonObject().put("ms", 1));
      QueueCounts filled = block(q.counts());
      if (filled.ready() != waiting || filled.dead() != dead)
        throw new IllegalStateException("filled: " + filled.toJson().encode());
      String someJob = Long.toString(dead + waiting / 2);
      String base = "http://127.0.0.1:" + b.http().port();
      HttpClient http = HttpClient.newHttpClient();
      Map<String, String> pages = new LinkedHashMap<>();
      pages.put("queues", "/queues");
      pages.put("queue", "/queues/big");
      pages.put("ready page", "/queues/big/jobs?state=ready&limit=50");
      pages.put("ready page 1000", "/queues/big/jobs?state=ready&limit=50&cursor=50000");
      pages.put("dead page", "/queues/big/jobs?state=dead&limit=50");
      pages.put("failures", "/queues/big/failures?limit=20");
      pages.put("history 24h", "/queues/big/history?minutes=1440");
      pages.put("history 7d", "/queues/big/history?minutes=10080");
      pages.put("schedules", "/queues/big/schedules");
      pages.put("groups", "/queues/big/groups");
      pages.put("job", "/queues/big/jobs/" + someJob);
      pages.put("search", "/queues/big/search?q=" + someJob);
      pages.put("nodes", "/nodes");
      JsonObject out =
          new JsonObject().put("scenario", "dashboard").put("waiting", waiting).put("dead", dead);
      JsonObject each = new JsonObject();
      double worst = 0;
      for (Map.Entry<String, String> p : pages.entrySet()) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
          long t0 = System.nanoTime();
          HttpResponse<byte[]> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + p.getValue())).GET().build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          double took = (System.nanoTime() - t0) / 1e6;
          if (r.statusCode() != 200)
            throw new IllegalStateException(
                p.getValue() + ": " + r.statusCode() + " " + new String(r.body()));
          if (i > 0) ms.add(took); // the first warms the route's code
        }
        ms.sort(null);
        double median = ms.get(ms.size() / 2);
        worst = Math.max(worst, ms.get(ms.size() - 1));
        each.put(
            p.getKey(),
            new JsonObject()
                .put("p50Ms", round(median))
                .put("maxMs", round(ms.get(ms.size() - 1))));
      }
      out.put("pages", each).put("worstMs", round(worst));
      // the browser's time to draw each page of the console, from a fresh load (without Chromium:
      // left out)
      if (BrowserTimes.available()) {
        Map<String, String> console = new LinkedHashMap<>();
        console.put("overview", base + "/#/");
        console.put("queue", base + "/#/queues/big");
        console.put("job", base + "/#/queues/big/jobs/" + someJob);
        console.put("nodes", base + "/#/nodes");
        console.put("schedules", base + "/#/schedules");
        console.put("flows", base + "/#/flows");
        try (BrowserTimes browser = BrowserTimes.open(vertx)) {
          JsonObject drawn = browser.times(console, 5);
          double slowest = 0;
          for (String k : drawn.fieldNames())
            slowest = Math.max(slowest, drawn.getJsonObject(k).getDouble("p50Ms"));
          out.put("browser", drawn).put("browserSlowestP50Ms", slowest);
        }
      }
      return out;
    } finally {
      // the service first: a maintenance pass of a running one would write keys back after they are
      // deleted
      if (service != null) block(vertx.undeploy(service));
      block(KeyScan.deleteByPrefix(redis, prefix));
      block(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      block(vertx.close());
    }
  }

  private static void fill(JobQueue q, int n, JsonObject payload) throws Exception {
    List<Future<?>> inFlight = new ArrayList<>();
    for (int done = 0; done < n; done += 1_000) {
      List<NewJob> jobs = new ArrayList<>(1_000);
      for (int i = done; i < Math.min(n, done + 1_000); i++) jobs.add(NewJob.of("fill", payload));
      inFlight.add(q.enqueueBulk(jobs));
      if (inFlight.size() == 4) {
        block(Future.all(inFlight));
        inFlight.clear();
      }
    }
    block(Future.all(inFlight));
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }

  private static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
