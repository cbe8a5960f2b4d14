package io.vertiq.bench;

import io.vertiq.JobQueue;
import io.vertiq.Vertiq;
import io.vertiq.config.RedisConfig;
import io.vertiq.config.VertiqOptions;
import io.vertiq.core.JobCodec;
import io.vertiq.core.JobFields;
import io.vertiq.redis.KeyScan;
import io.vertiq.redis.Keys;
import io.vertiq.redis.RedisConnector;
import io.vertiq.server.Bootstrap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The "schedules" scenario: 10,000 schedules that fire every second (scaled), served by 2 service
 * processes for 30 s that run every fire's job (a no-op) and keep it: every job, read back from
 * Redis, gives the duplicates (jobs beyond one per schedule and fire time), the missed fires (fire
 * times of the steady part, once both processes are up, with no job of a schedule), the fire
 * lateness (how long after its fire time a fire's job was in Redis and due; 0 for a job enqueued
 * ahead, delayed to its fire time), how far ahead jobs were enqueued, and the start lateness (the
 * run's Redis start time minus the fire time: the dispatch of 10,000 jobs due in the same
 * millisecond). Then the cost of idle schedules: Redis commands per second of the 2 processes with
 * 10,000 schedules that do not fire in the run, against the same 2 processes with none.
 */
public final class SchedulesRun {
  private SchedulesRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    int n = Math.max(100, (int) (10_000 * scale));
    long seconds = Math.max(6, Math.round(30 * scale));
    Vertx vertx = Vertx.vertx();
    // the service's pool settings (a plain client's pool refuses more than 24 waiting commands)
    Redis redis = RedisConnector.create(vertx, new RedisConfig().setUrl(url));
    List<String> prefixes = new ArrayList<>();
    try {
      JsonObject out =
          new JsonObject()
              .put("scenario", "schedules")
              .put("schedules", n)
              .put("seconds", seconds)
              .put("processes", 2);
      out.mergeIn(firing(vertx, redis, url, prefixes, n, seconds));
      long idleSeconds = Math.max(2, Math.round(10 * scale));
      double none = idleCommands(vertx, redis, url, prefixes, 0, idleSeconds);
      double idle = idleCommands(vertx, redis, url, prefixes, n, idleSeconds);
      return out.put("idleCommandsPerSecNone", Math.round(none * 10) / 10.0)
          .put("idleCommandsPerSec", Math.round(idle * 10) / 10.0)
          .put("idleCommandsPerSecPerSchedule", Math.round((idle - none) / n * 10_000) / 10_000.0);
    } finally {
      for (String p : prefixes) {
        block(KeyScan.deleteByPrefix(redis, p));
        block(redis.send(Request.cmd(Command.DEL).arg(p + ":queues")));
      }
      block(vertx.close());
    }
  }

  private static JsonObject firing(
      Vertx vertx, Redis redis, String url, List<String> prefixes, int n, long seconds)
      throws Exception {
    String prefix = prefix(prefixes);
    JobQueue q =
        Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("sched");
    block(q.pause()); // until both processes are up: the fires due while they start are caught up
    // at once
    create(
        q,
        n,
        i ->
            new JsonObject()
                .put("every", "1s")
                .put(
                    "job",
                    new JsonObject()
                        .put("name", "tick")
                        .put("payload", new JsonObject().put("s", i))));
    long startedAt;
    long stoppedAt;
    Processes running =
        Processes.start(url, prefix, 2, true); // stopped in the finally: the run only needs them up
    try {
      startedAt =
          redisTime(redis); // both processes up: the fires due while they started are not counted
      block(q.resume());
      Thread.sleep(
          TimeUnit.SECONDS.toMillis(seconds)); // the run's length: a span of time, not a state
      stoppedAt = redisTime(redis);
    } finally {
      running.close();
    }
    // every fire's job ran (a no-op) and is kept completed: its schedule (payload "s"), its fire
    // time (its run-at: a
    // fire's job is enqueued ahead, delayed to its fire time; a fire enqueued late is a plain job,
    // and its fire time
    // the whole second it was created in, "every": "1s" firing at whole seconds) and its run's
    // Redis start time
    Keys keys = new Keys(prefix, "sched");
    Map<Integer, Map<Long, Integer>> perFire = new HashMap<>();
    List<Long> lateness = new ArrayList<>();
    List<Long> lead = new ArrayList<>();
    long from = (startedAt / 1000 + 4) * 1000;
    long to = (stoppedAt / 1000 - 3) * 1000;
    List<String> ids = new ArrayList<>();
    for (Response id :
        block(redis.send(Request.cmd(Command.ZRANGE).arg(keys.completed()).arg(0).arg(-1))))
      ids.add(id.toString());
    long jobs = ids.size();
    for (int done = 0; done < ids.size(); done += 1000) {
      List<Request> reads = new ArrayList<>();
      List<String> page = ids.subList(done, Math.min(ids.size(), done + 1000));
      for (String id : page) {
        reads.add(
            Request.cmd(Command.HMGET)
                .arg(keys.job(id))
                .arg(JobFields.PAYLOAD)
                .arg(JobFields.RUN_AT)
                .arg(JobFields.CREATED));
        reads.add(Request.cmd(Command.HGET).arg(keys.specs()).arg(id));
        reads.add(Request.cmd(Command.HGET).arg(keys.done()).arg(id));
      }
      List<Response> r = block(redis.batch(reads));
      for (int k = 0; k < page.size(); k++) {
        Response fields = r.get(3 * k);
        Response spec = r.get(3 * k + 1);
        Response run = r.get(3 * k + 2);
        if (run == null) continue; // not a kept run
        String payload;
        long created;
        long fireAt;
        if (spec != null) {
          JobCodec.Spec plain = JobCodec.spec(spec.toString());
          payload = plain.payload();
          created = plain.created();
          fireAt = created / 1000 * 1000;
        } else {
          payload = fields.get(0).toString();
          created = fields.get(2).toLong();
          fireAt = fields.get(1) == null ? created / 1000 * 1000 : fields.get(1).toLong();
        }
        int schedule = new JsonObject(payload).getInteger("s");
        perFire.computeIfAbsent(schedule, x -> new HashMap<>()).merge(fireAt, 1, Integer::sum);
        if (fireAt >= from && fireAt < to) {
          String record =
              run.toString(); // "<finished at> NUL <completed run>" (finishJobs' done hash)
          lateness.add(
              JobCodec.completed(record.substring(record.indexOf('\0') + 1)).startedAt() - fireAt);
          lead.add(fireAt - created); // negative: enqueued late, after its fire time
        }
      }
    }
    // the steady part: the whole seconds from 4 s after both processes were up (the fires due while
    // they started are
    // caught up first) to 3 s before the stop began (a fire due just before it may be stored after)
    long missed = 0;
    long duplicates = 0;
    for (int i = 0; i < n; i++) {
      Map<Long, Integer> f = perFire.getOrDefault(i, Map.of());
      for (long t = from; t < to; t += 1000) {
        int c = f.getOrDefault(t, 0);
        if (c == 0) missed++;
        if (c > 1) {
          duplicates += c - 1;
          if (Boolean.getBoolean("bench.debug") && duplicates < 5)
            System.err.println(
                "DUP schedule s"
                    + i
                    + " second "
                    + t
                    + " x"
                    + c
                    + " around: "
                    + new TreeMap<>(f).subMap(t - 3000, t + 3000));
        }
      }
    }
    lateness.sort(null);
    lead.sort(null);
    List<Long> late =
        new ArrayList<>(); // fire lateness: how long after its fire time a fire's job was due in
    // Redis
    for (int i = lead.size() - 1; i >= 0; i--) late.add(Math.max(0, -lead.get(i)));
    return new JsonObject()
        .put("fires", jobs)
        .put("duplicates", duplicates)
        .put("missedInSteadyPart", missed)
        .put("steadySeconds", (to - from) / 1000)
        .put("fireLatenessP99Ms", pct(late, 0.99))
        .put("fireLatenessMaxMs", late.isEmpty() ? 0 : late.get(late.size() - 1))
        .put("enqueuedAheadMinMs", lead.isEmpty() ? 0 : lead.get(0))
        .put("enqueuedAheadP50Ms", pct(lead, 0.50))
        .put("startLatenessP50Ms", pct(lateness, 0.50))
        .put("startLatenessP99Ms", pct(lateness, 0.99))
        .put("startLatenessMaxMs", lateness.isEmpty() ? 0 : lateness.get(lateness.size() - 1));
  }

  /**
   * Redis commands per second of 2 processes serving a queue with {@code n} schedules that do not
   * fire now.
   */
  private static double idleCommands(
      Vertx vertx, Redis redis, String url, List<String> prefixes, int n, long seconds)
      throws Exception {
    String prefix = prefix(prefixes);
    JobQueue q =
        Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue("sched");
    create(
        q,
        n,
        i ->
            new JsonObject()
                .put("cron", "0 0 1 1 *")
                .put("job", new JsonObject().put("name", "yearly")));
    Processes running =
        Processes.start(
            url, prefix, 2, false); // stopped in the finally: the run only needs them up
    try {
      Thread.sleep(3_000); // past the start's own commands
      long before = Bench.commands(redis);
      long t0 = System.nanoTime();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      long after = Bench.commands(redis);
      return (after - before - 1) / ((System.nanoTime() - t0) / 1e9); // less this INFO's own count
    } finally {
      running.close();
    }
  }

  private static void create(JobQueue q, int n, IntFunction<JsonObject> spec) throws Exception {
    for (int done = 0; done < n; done += 100) {
      List<Future<JsonObject>> each = new ArrayList<>();
      for (int i = done; i < Math.min(n, done + 100); i++)
        each.add(q.schedule("s" + i, spec.apply(i)));
      block(Future.all(each));
    }
  }

  private static String prefix(List<String> prefixes) {
    String p = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    prefixes.add(p);
    return p;
  }

  private static long pct(List<Long> sorted, double p) {
    return sorted.isEmpty()
        ? 0
        : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
  }

  private static long redisTime(Redis redis) throws Exception {
    Response t = block(redis.send(Request.cmd(Command.TIME)));
    return t.get(0).toLong() * 1000 + t.get(1).toLong() / 1000;
  }

  /**
   * Service processes (this JVM's classpath, the service's main class) on one conf; stopped
   * (SIGTERM) on close.
   */
  private static final class Processes implements AutoCloseable {
    private final List<Process> all = new ArrayList<>();

    /**
     * keepCompleted: every completed run is kept, to be read back (else the queue's default
     * retention).
     */
    static Processes start(String url, String prefix, int count, boolean keepCompleted)
        throws Exception {
      JsonObject queue = new JsonObject().put("handler", "noop");
      if (keepCompleted) queue.put("retention", new JsonObject().put("completed", "all"));
      JsonObject conf = Bench.serviceConf(url, prefix, "sched", queue);
      Path file = Files.createTempFile("vertiq-bench-", ".json");
      Files.writeString(file, conf.encode());
      file.toFile().deleteOnExit();
      Processes p = new Processes();
      List<Path> logs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Path log = Files.createTempFile("vertiq-bench-", ".log");
        log.toFile().deleteOnExit();
        logs.add(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m"));
        // -Dbench.childJvmArgs="-XX:StartFlightRecording=..." profiles the service processes ({i}:
        // the process and its start)
        String extra = System.getProperty("bench.childJvmArgs", "").trim();
        if (!extra.isEmpty())
          for (String a : extra.split("\\s+"))
            cmd.add(a.replace("{i}", i + "-" + System.nanoTime()));
        // the main verticle named, as the fat jar's manifest names it: this classpath may have no
        // such manifest
        cmd.addAll(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "io.vertiq.server.VertiqApplication",
                Bootstrap.class.getName(),
                "-conf",
                file.toString()));
        p.all.add(
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int i = 0; i < count; i++) {
        Path log = logs.get(i);
        while (!Files.readString(log).contains("Vertiq started")) {
          if (!p.all.get(i).isAlive() || System.nanoTime() > deadline) {
            p.close();
            throw new IllegalStateException(
                "a service process did not start: " + Files.readString(log));
          }
          Thread.sleep(50); // polled: the process's start
        }
      }
      return p;
    }

    @Override
    public void close() {
      for (Process p : all) p.destroy();
      try {
        for (Process p : all) if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
      } catch (InterruptedException e) {
        all.forEach(Process::destroyForcibly);
        Thread.currentThread().interrupt();
      }
    }
  }

  private static <T> T block(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
