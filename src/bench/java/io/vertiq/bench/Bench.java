package io.vertiq.bench;

import com.sun.management.OperatingSystemMXBean;
import io.vertiq.Addresses;
import io.vertiq.Flow;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.RedisConfig;
import io.vertiq.config.Retention;
import io.vertiq.config.VertiqOptions;
import io.vertiq.core.VertiqImpl;
import io.vertiq.redis.KeyScan;
import io.vertiq.redis.RedisConnector;
import io.vertiq.server.Bootstrap;
import io.vertiq.server.VertiqApplication;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * The benchmark harness behind bin/bench: each scenario on its own key prefix against a Redis URL,
 * cleaned up after, printing one JSON line per scenario. Sizes scale with --scale so a smoke run
 * takes seconds. Usage: Bench <redisUrl> <scenario> [--scale f] [--warm] scenarios: drain enqueue
 * bulk latency idle memory scripts ratelimit groups weights coldstart schedules cancel signals
 * payloads dashboard flows
 */
public final class Bench {
  // the service's Vert.x options (metrics on, as the launcher starts it); -Dbench.eventLoops=N
  // tries another
  // event-loop count (default: Vert.x's, twice the cores)
  private final Vertx vertx =
      VertiqApplication.serviceVertx(
          new VertxOptions()
              .setEventLoopPoolSize(
                  Integer.getInteger(
                      "bench.eventLoops", VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)));
  private final Redis redis;
  private final String url;
  private final double scale;

  private Bench(String url, double scale) {
    this.url = url;
    this.scale = scale;
    // the same pool settings the service uses (conf defaults)
    this.redis = RedisConnector.create(vertx, new RedisConfig().setUrl(url));
  }

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
    String scenario = args.length > 1 ? args[1] : "drain";
    double scale = 1.0;
    boolean warm = false;
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("--scale")) scale = Double.parseDouble(args[++i]);
      else if (args[i].equals("--warm")) warm = true;
    }
    System.out.println("BENCH " + run(url, scenario, scale, warm).encode());
    System.exit(0);
  }

  /**
   * The service's conf for a scenario: its Redis and key prefix, HTTP and conf reloads off, one
   * queue.
   */
  static JsonObject serviceConf(String url, String prefix, String queue, JsonObject queueConf) {
    return new JsonObject()
        .put("redis", new JsonObject().put("url", url).put("keyPrefix", prefix))
        .put("http", new JsonObject().put("enabled", false))
        .put("reload", new JsonObject().put("scanPeriod", "0ms"))
        .put("queues", new JsonObject().put(queue, queueConf));
  }

  /** Runs one scenario at {@code scale} times its full size and returns its figures. */
  public static JsonObject run(String url, String scenario, double scale) throws Exception {
    return run(url, scenario, scale, false);
  }

  /**
   * With {@code warm}, the scenario runs untimed in this JVM first, so the figure is the steady
   * state of a running service rather than a fresh JVM's (whose JIT compiler then takes a core of
   * its own): three times for the throughput scenarios, whose per-batch paths (a few thousand calls
   * a run) reach C2's thresholds only after some runs, once for latency (22 s a run);
   * -Dbench.warmups=n sets the count.
   */
  public static JsonObject run(String url, String scenario, double scale, boolean warm)
      throws Exception {
    Bench b = new Bench(url, scale);
    try {
      for (int i =
              warm ? Integer.getInteger("bench.warmups", scenario.equals("latency") ? 1 : 3) : 0;
          i > 0;
          i--) {
        System.err.println("warm-up: " + b.measure(scenario, scale).encode());
      }
      JsonObject r = b.measure(scenario, scale);
      return warm ? r.put("warm", true) : r;
    } finally {
      b.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private JsonObject measure(String scenario, double scale) {
    return switch (scenario) {
      case "drain" -> drain((int) (100_000 * scale), false);
      case "memory" ->
          drain((int) (1_000_000 * scale), true).put("scenario", "memory").mergeIn(memory());
      case "enqueue" -> enqueue((int) (50_000 * scale));
      case "bulk" -> bulk((int) (200_000 * scale));
      case "latency" -> latency(Math.max(1, (int) (20 * scale)));
      case "idle" -> idle(Math.max(2, (int) (20 * scale)));
      case "scripts" -> scripts((int) (100_000 * scale));
      case "ratelimit" -> external(() -> RateLimitRun.run(url, scale));
      case "groups" -> external(() -> GroupsRun.run(url, scale));
      case "weights" -> external(() -> WeightsRun.run(url, scale));
      case "coldstart" -> external(() -> ColdStartRun.run(url, scale));
      case "schedules" -> external(() -> SchedulesRun.run(url, scale));
      case "cancel" -> external(() -> CancelRun.run(url, scale));
      case "signals" -> external(() -> SignalsRun.run(url, scale));
      case "dashboard" -> external(() -> DashboardRun.run(url, scale));
      case "flows" -> external(() -> FlowsRun.run(url, scale));
      case "payloads" -> external(() -> PayloadsRun.run(url, scale));
      default ->
          throw new IllegalArgumentException(
              "unknown scenario "
                  + scenario
                  + " (expected drain, enqueue, bulk, latency, idle, memory, scripts, ratelimit, groups, weights, schedules, cancel, signals, dashboard, flows, payloads or coldstart)");
    };
  }

  /** A scenario with a harness of its own (its own Vert.x, prefixes and handler). */
  private static JsonObject external(Callable<JsonObject> run) {
    try {
      return run.call();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private String prefix() {
    return "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Total commands Redis has run (INFO commandstats), including those run inside scripts. */
  private long commands() {
    return commands(redis);
  }

  /**
   * Total commands {@code redis} has run (INFO commandstats), including those run inside scripts.
   */
  static long commands(Redis redis) {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    long total = 0;
    for (String line : info.split("\r?\n")) {
      int i = line.indexOf("calls=");
      if (i >= 0) total += Long.parseLong(line.substring(i + 6, line.indexOf(',', i)));
    }
    return total;
  }

  /**
   * Round trips the clients made: script calls and the commands Vertiq sends itself (not a script's
   * inner calls).
   */
  private long roundTrips() {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    long total = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:")
          || line.startsWith("cmdstat_eval:")
          || line.startsWith("cmdstat_blpop:")
          || line.startsWith("cmdstat_sadd:")
          || line.startsWith("cmdstat_ping:")) {
        int i = line.indexOf("calls=");
        total += Long.parseLong(line.substring(i + 6, line.indexOf(',', i)));
      }
    }
    return total;
  }

  /**
   * Debug aid (-Dbench.debug=true): microseconds Redis spent per job in each command during the
   * measured part.
   */
  private static void printStatsDelta(String before, String after, int n) {
    Map<String, long[]> b = parseStats(before);
    parseStats(after)
        .forEach(
            (cmd, v) -> {
              long[] old = b.getOrDefault(cmd, new long[2]);
              long calls = v[0] - old[0];
              long usec = v[1] - old[1];
              if (calls > 0)
                System.err.printf(
                    "%-12s calls/job %.3f  usec/job %.3f%n",
                    cmd, (double) calls / n, (double) usec / n);
            });
  }

  static Map<String, long[]> parseStats(String info) {
    Map<String, long[]> m = new TreeMap<>();
    for (String line : info.split("\r?\n")) {
      if (!line.startsWith("cmdstat_")) continue;
      String cmd = line.substring(8, line.indexOf(':'));
      long calls = Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
      long usec = Long.parseLong(line.replaceAll("^[^:]*:calls=\\d+,usec=(\\d+),.*", "$1"));
      m.put(cmd, new long[] {calls, usec});
    }
    return m;
  }

  /** CPU seconds the Redis server has used (INFO cpu). */
  private double redisCpu() {
    return cpuSeconds(await(redis.send(Request.cmd(Command.INFO).arg("cpu"))).toString());
  }

  /** CPU seconds used, from an INFO answer holding its cpu section. */
  static double cpuSeconds(String info) {
    double total = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:"))
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
    }
    return total;
  }

  /**
   * Prints each command's calls and Redis µs per job between two INFO commandstats answers (a
   * script's inner calls are counted in it and apart), those over {@code minUsec} in all.
   */
  static void printCommandCosts(String before, String after, long jobs, long minUsec) {
    Map<String, long[]> b = parseStats(before);
    parseStats(after)
        .forEach(
            (cmd, v) -> {
              long[] old = b.getOrDefault(cmd, new long[2]);
              if (v[1] - old[1] > minUsec)
                System.err.printf(
                    "%-16s calls/job %.3f usec/job %.3f%n",
                    cmd, (v[0] - old[0]) / (double) jobs, (v[1] - old[1]) / (double) jobs);
            });
  }

  static long jvmCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Time the JIT compilers have spent so far: a cold run's CPU goes largely to compiling the hot
   * paths.
   */
  private static long jitMillis() {
    CompilationMXBean c = ManagementFactory.getCompilationMXBean();
    return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
  }

  private void cleanup(String prefix) {
    await(KeyScan.deleteByPrefix(redis, prefix));
    // UNLINK frees a large key (the specs hash, the fifo list) on a Redis background thread: wait
    // for it, or a
    // warm run would pay for its warm-ups' cleanup, in Redis CPU and in the cores it shares with
    // this JVM
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (lazyFreePending() > 0 && System.nanoTime() < deadline) sleep(5);
  }

  /**
   * Objects UNLINK has handed to Redis' background thread and it has not freed yet (INFO memory).
   */
  private long lazyFreePending() {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("memory"))).toString();
    int at = info.indexOf("lazyfree_pending_objects:");
    if (at < 0) return 0;
    int end = info.indexOf('\r', at);
    return Long.parseLong(
        info.substring(at + "lazyfree_pending_objects:".length(), end < 0 ? info.length() : end)
            .trim());
  }

  private static List<NewJob> batch(int n) {
    List<NewJob> jobs = new ArrayList<>(n);
    JsonObject payload = new JsonObject().put("to", "user@example.com").put("template", "welcome");
    for (int i = 0; i < n; i++) jobs.add(NewJob.of("bench", payload));
    return jobs;
  }

  /** Enqueues n plain jobs in bulk calls of 1,000, one after another. */
  static void fill(JobQueue q, int n) {
    for (int done = 0; done < n; done += 1000)
      await(q.enqueueBulk(batch(Math.min(1000, n - done))));
  }

  /**
   * The shipped conf's queue (the first in conf/config.json, read when run from the project; else
   * the built-in defaults) with the no-op handler: instances, concurrency and completed retention
   * are the ones users start with.
   */
  static JsonObject shippedQueue() {
    Path shipped = Path.of("conf", "config.json");
    try {
      if (Files.exists(shipped)) {
        JsonObject queues =
            new JsonObject(Files.readString(shipped)).getJsonObject("queues", new JsonObject());
        for (String name : queues.fieldNames()) return queues.getJsonObject(name);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "conf/config.json not read (" + e.getMessage() + "): using the built-in queue defaults");
    }
    return new JsonObject();
  }

  private JsonObject conf(String prefix, String queue) {
    return conf(prefix, queue, "noop");
  }

  private JsonObject conf(String prefix, String queue, String handler) {
    JsonObject sq = shippedQueue().copy();
    sq.remove("address");
    QueueOptions shipped =
        new QueueOptions(sq.put("handler", "noop").put("threading", "event-loop"));
    // -Dbench.instances / -Dbench.concurrency / -Dbench.keepCompleted try other group shapes
    JsonObject q =
        new JsonObject()
            .put("handler", handler)
            .put("instances", Integer.getInteger("bench.instances", shipped.instances()))
            .put("concurrency", Integer.getInteger("bench.concurrency", shipped.concurrency()))
            .put(
                "retention",
                new JsonObject()
                    .put(
                        "completed",
                        Retention.parse(
                                System.getProperty(
                                    "bench.keepCompleted",
                                    shipped.keepCompleted().toConf().toString()))
                            .toConf()));
    return new JsonObject()
        .put("redis", new JsonObject().put("url", url).put("keyPrefix", prefix))
        .put("http", new JsonObject().put("enabled", false))
        .put("reload", new JsonObject().put("scanPeriod", "0ms"))
        .put("queues", new JsonObject().put(queue, q));
  }

  /**
   * Times one throughput scenario on a fresh prefix: {@code prepare} runs untimed, {@code body} is
   * measured.
   */
  private JsonObject throughput(
      String scenario,
      int n,
      BiConsumer<String, JobQueue> prepare,
      BiConsumer<String, JobQueue> body) {
    String prefix = prefix();
    // -Dbench.waitReplicas=N: every enqueue waits for N replicas (redis.durability), to measure
    // what that costs
    JobQueue q =
        new VertiqImpl(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD)
            .withDurability(Integer.getInteger("bench.waitReplicas", 0), 1_000)
            .queue(scenario);
    try {
      prepare.accept(prefix, q);
      long rt0 = roundTrips();
      String stats0 =
          Boolean.getBoolean("bench.debug")
              ? await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString()
              : null;
      double redisCpu0 = redisCpu();
      long jvmCpu0 = jvmCpuNanos();
      long jit0 = jitMillis();
      long t0 = System.nanoTime();
      if (stats0 != null) System.err.println("window start epoch ms " + System.currentTimeMillis());
      profiler("start,event=cpu,interval=1ms,threads");
      body.accept(prefix, q);
      profiler("stop,file=" + System.getProperty("bench.profile"));
      if (stats0 != null) System.err.println("window end epoch ms " + System.currentTimeMillis());
      double secs = (System.nanoTime() - t0) / 1e9;
      long rt = roundTrips() - rt0;
      if (stats0 != null)
        printStatsDelta(
            stats0, await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString(), n);
      // where the time went: CPU seconds of the Redis server and of this JVM per 1,000 jobs
      return new JsonObject()
          .put("scenario", scenario)
          .put("jobs", n)
          .put("seconds", secs)
          .put("jobsPerSec", n / secs)
          .put("roundTripsPerJob", (double) rt / n)
          .put("redisCpuMsPer1kJobs", (redisCpu() - redisCpu0) * 1e6 / n)
          .put("jvmCpuMsPer1kJobs", (jvmCpuNanos() - jvmCpu0) / 1e3 / n)
          .put("jitCompileMs", jitMillis() - jit0);
    } finally {
      cleanup(prefix);
    }
  }

  /**
   * Debug aid: with -Dbench.profile=file and async-profiler's jar on the class path, profiles the
   * measured part only (a cold run's fill would hide what its window spends). Reflection keeps the
   * profiler out of the build.
   */
  private static void profiler(String command) {
    if (System.getProperty("bench.profile") == null) return;
    try {
      Class<?> c = Class.forName("one.profiler.AsyncProfiler");
      Object p = c.getMethod("getInstance").invoke(null);
      c.getMethod("execute", String.class).invoke(p, command);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "bench.profile needs async-profiler's jar on the class path", e);
    }
  }

  /**
   * Redis time per job in each script (see {@link ScriptCosts}), with the shipped queue's retention
   * and batch.
   */
  JsonObject scripts(int n) {
    String prefix = prefix();
    try {
      QueueOptions q =
          new QueueOptions(
              conf(prefix, "scripts").getJsonObject("queues").getJsonObject("scripts"));
      return new ScriptCosts(vertx, redis).measure(prefix, q, n, q.concurrency());
    } finally {
      cleanup(prefix);
    }
  }

  /**
   * n jobs enqueued in bulk first, then the real bootstrap drains them: from deploy to the last
   * completion.
   */
  JsonObject drain(int n, boolean heapCheckpoints) {
    // with heapCheckpoints: heap after a full GC when 10%, 50% and all of the jobs are done, to
    // show that the
    // heap does not grow with the number of completed jobs (the GCs slow that run down; it is not a
    // speed figure)
    JsonObject heapAt = new JsonObject();
    int[] checkpoints = {n / 10, n / 2, n};
    int[] next = {0};
    String[] dep = new String[1];
    long[] firstStart = {0};
    long[] end = {0};
    // listens only until the first "active" event (a consumer that stays would make every event a
    // copy), and only
    // from the end of the fill: before it, the fill's "enqueued" events (1,000 ids each) would be
    // copied to it
    List<MessageConsumer<JsonObject>> consumer = new ArrayList<>(1);
    String[] used = new String[1];
    JsonObject r =
        throughput(
            "drain",
            n,
            (prefix, q) -> {
              used[0] = prefix;
              fill(q, n);
              MessageConsumer<JsonObject> c = vertx.eventBus().consumer(Addresses.events("drain"));
              c.handler(
                  m -> {
                    if (firstStart[0] == 0 && "active".equals(m.body().getString("event"))) {
                      firstStart[0] = System.nanoTime();
                      c.unregister();
                    }
                  });
              await(c.completion());
              consumer.add(c);
            },
            (prefix, q) -> {
              dep[0] =
                  await(
                      vertx.deployVerticle(
                          new Bootstrap(null),
                          new DeploymentOptions().setConfig(conf(prefix, "drain"))));
              long completed;
              while ((completed = await(q.counts()).total("completed")) < n
                  || (heapCheckpoints && next[0] < checkpoints.length)) {
                if (heapCheckpoints
                    && next[0] < checkpoints.length
                    && completed >= checkpoints[next[0]]) {
                  if (completed >= n && end[0] == 0) end[0] = System.nanoTime();
                  heapAt.put(Integer.toString(checkpoints[next[0]++]), heapAfterGcMiB());
                } else {
                  sleep(5);
                }
              }
              if (end[0] == 0) end[0] = System.nanoTime();
            });
    if (consumer.get(0).isRegistered()) await(consumer.get(0).unregister());
    await(vertx.undeploy(dep[0]));
    // the workers' last report (their run times per job name) comes as they stop, after the run's
    // own cleanup
    cleanup(used[0]);
    // the measure: from the first job's start to the last completion (the deploy itself is
    // reported apart)
    double secs = (end[0] - firstStart[0]) / 1e9;
    r.put("secondsWithDeploy", r.getDouble("seconds"))
        .put("seconds", secs)
        .put("jobsPerSec", n / secs);
    return heapCheckpoints ? r.put("heapAfterGcMiBAtCompleted", heapAt) : r;
  }

  /** n single enqueues with up to 100 in flight from one client. */
  JsonObject enqueue(int n) {
    return throughput(
        "enqueue",
        n,
        (prefix, q) -> {},
        (prefix, q) -> {
          Promise<Void> done = Promise.promise();
          int[] sent = {0};
          int[] finished = {0};
          vertx.runOnContext(
              v -> {
                Runnable[] next = new Runnable[1];
                next[0] =
                    () -> {
                      while (sent[0] < n && sent[0] - finished[0] < 100) {
                        sent[0]++;
                        q.enqueue(NewJob.of("bench", new JsonObject().put("i", sent[0])))
                            .onComplete(
                                ar -> {
                                  if (ar.failed()) {
                                    done.tryFail(ar.cause());
                                    return;
                                  }
                                  finished[0]++;
                                  if (finished[0] == n) done.complete();
                                  else next[0].run();
                                });
                      }
                    };
                next[0].run();
              });
          await(done.future());
        });
  }

  /**
   * n jobs in batches of 1,000, four batches in flight: the next batch goes out as soon as one is
   * stored (waves of four, each waiting for its slowest batch, left Redis idle while the producer
   * encoded the next wave).
   */
  JsonObject bulk(int n) {
    return throughput(
        "bulk",
        n,
        (prefix, q) -> {},
        (prefix, q) -> {
          Semaphore window = new Semaphore(4);
          List<Future<?>> sent = new ArrayList<>();
          for (int done = 0; done < n; done += 1000) {
            window.acquireUninterruptibly();
            sent.add(
                q.enqueueBulk(batch(Math.min(1000, n - done))).onComplete(ar -> window.release()));
          }
          await(Future.all(sent));
        });
  }

  /**
   * 1,000 jobs per second into an idle running group; enqueue-to-start time as the handler sees it,
   * and as a consumer of the "active" events sees it (one event-bus delivery later).
   */
  JsonObject latency(int seconds) {
    String prefix = prefix();
    Vertiq engine = Vertiq.create(vertx, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD);
    JobQueue q = engine.queue("latency");
    // the same rate for 2 s first, reported apart: a fresh JVM's first second is JIT compilation,
    // not the queue
    int warm = 2_000;
    int total = seconds * 1000;
    int all = warm + total;
    // -Dlatency.groups=N: the jobs spread over N groups (their fetches take the groups' turns)
    int groups = Integer.getInteger("latency.groups", 0);
    // -Dlatency.flowChildren=K: the jobs are the children of flows, K to a parent, each flow added
    // as its K-th child is due; a child's wait counts from its flow's enqueue
    int kids = Integer.getInteger("latency.flowChildren", 0);
    CountDownLatch started = StartStamps.record(all);
    String dep =
        await(
            vertx.deployVerticle(
                new Bootstrap(null),
                new DeploymentOptions()
                    .setConfig(conf(prefix, "latency", StartStamps.class.getName()))));
    try {
      long[] sentAt = new long[all + 1];
      // written on an event loop, read here
      AtomicLongArray seen = new AtomicLongArray(all + 1);
      AtomicLongArray ackAt = new AtomicLongArray(all + 1);
      vertx
          .eventBus()
          .<JsonObject>consumer(
              Addresses.events("latency"),
              m -> {
                long now = System.nanoTime();
                String event = m.body().getString("event");
                if (!"enqueued".equals(event) && !"active".equals(event)) return;
                AtomicLongArray at = "active".equals(event) ? seen : ackAt;
                for (Object o : m.body().getJsonArray("ids")) {
                  int id = Integer.parseInt((String) o);
                  if (id <= all) at.compareAndSet(id, 0, now);
                }
              });
      sleep(300); // let every worker reach its idle wait before the first job
      int[] next = {1};
      long start = System.nanoTime();
      vertx.setPeriodic(
          1,
          t -> {
            long due = Math.min(all, (System.nanoTime() - start) / 1_000_000 + 1);
            if (kids > 0) {
              // whole flows only: the last one may be short
              while (next[0] <= due && (due - next[0] + 1 >= kids || due == all)) {
                long now = System.nanoTime();
                Flow f = Flow.of("latency", NewJob.of("parent", new JsonObject().put("i", -1)));
                for (int c = 0; c < kids && next[0] <= all; c++) {
                  int i = next[0]++;
                  sentAt[i] = now;
                  f.child(Flow.of("latency", NewJob.of("ping", new JsonObject().put("i", i))));
                }
                engine.enqueueFlow(f);
              }
            }
            while (kids == 0 && next[0] <= due) {
              int i = next[0]++;
              sentAt[i] = System.nanoTime();
              NewJob job = NewJob.of("ping", new JsonObject());
              q.enqueue(groups > 0 ? job.setGroup("g" + (i % groups)) : job);
            }
            if (next[0] > all) vertx.cancelTimer(t);
          });
      try {
        if (!started.await(seconds + 60L, TimeUnit.SECONDS))
          throw new IllegalStateException("not every job started");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      long[] lat = new long[all + 1];
      long[] eventLat = new long[all + 1];
      long deadline = System.nanoTime() + 10_000_000_000L;
      for (int i = 1; i <= all; i++) {
        lat[i] = StartStamps.startedAt(i) - sentAt[i];
        // the events name job ids, which a flow's jobs do not share with the scenario's numbers
        while (kids == 0 && seen.get(i) == 0 && System.nanoTime() < deadline)
          sleep(1); // the event follows the start
        eventLat[i] = seen.get(i) - sentAt[i];
      }
      if (Boolean.getBoolean("bench.debug")) {
        for (int sec = 0; sec < all / 1000; sec++) {
          long[] w = Arrays.stream(lat, 1 + sec * 1000, 1 + (sec + 1) * 1000).sorted().toArray();
          System.err.printf(
              "second %d: p50 %.2f p99 %.2f max %.2f ms%n",
              sec, w[500] / 1e6, w[990] / 1e6, w[999] / 1e6);
        }
        // the slow jobs with their neighbours: a run of slow ids is a stall, a lone one a missed
        // wake-up
        StringBuilder slow = new StringBuilder("slow (>2ms) id:latency ms:");
        for (int i = warm + 1; i <= all; i++) {
          if (lat[i] > 2_000_000) {
            slow.append(
                String.format(
                    " %d:%.1f(ack %.1f, event %.1f)",
                    i, lat[i] / 1e6, (ackAt.get(i) - sentAt[i]) / 1e6, eventLat[i] / 1e6));
          }
        }
        System.err.println(slow);
      }
      long[] ms = Arrays.stream(lat, warm + 1, all + 1).sorted().toArray();
      long[] wu = Arrays.stream(lat, 1, warm + 1).sorted().toArray();
      return new JsonObject()
          .put("scenario", "latency")
          .put("jobs", total)
          .put("groups", groups)
          .put("flowChildren", kids)
          .mergeIn(percentiles("", ms))
          .put("warmupJobs", warm)
          .put("warmupP99Ms", wu[(int) (warm * 0.99)] / 1e6)
          .put("warmupMaxMs", wu[warm - 1] / 1e6)
          .mergeIn(
              kids > 0
                  ? new JsonObject()
                  : percentiles(
                      "event", Arrays.stream(eventLat, warm + 1, all + 1).sorted().toArray()))
          .mergeIn(pingLatency(150 * seconds))
          .mergeIn(threadWakeLatency(150 * seconds));
    } finally {
      await(vertx.undeploy(dep));
      cleanup(prefix);
    }
  }

  /**
   * The floor under the latency figure: one PING per millisecond through the same pool for {@code
   * n} ms, p99 and max round trip. A job's enqueue-to-start takes three such trips (enqueue,
   * wake-up, fetch).
   */
  private JsonObject pingLatency(int n) {
    long[] lat = new long[n];
    int[] got = {0};
    int[] next = {0};
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(
        1,
        t -> {
          if (next[0] >= n) {
            vertx.cancelTimer(t);
            return;
          }
          int i = next[0]++;
          long s0 = System.nanoTime();
          redis
              .send(Request.cmd(Command.PING))
              .onComplete(
                  ar -> {
                    lat[i] = System.nanoTime() - s0;
                    if (++got[0] == n) done.complete();
                  });
        });
    await(done.future());
    return percentiles("ping", Arrays.stream(lat).sorted().toArray());
  }

  /**
   * p50, p99 and max in ms of {@code sorted} nanoseconds, as {@code <name>P50Ms} etc. (p50Ms etc.
   * without a name).
   */
  private static JsonObject percentiles(String name, long[] sorted) {
    int n = sorted.length;
    String p = name.isEmpty() ? "p" : name + "P";
    return new JsonObject()
        .put(p + "50Ms", sorted[n / 2] / 1e6)
        .put(p + "99Ms", sorted[(int) (n * 0.99)] / 1e6)
        .put(name.isEmpty() ? "maxMs" : name + "MaxMs", sorted[n - 1] / 1e6);
  }

  /**
   * The machine's own floor: how long a parked thread takes to run again once unparked, one wake-up
   * per millisecond with the CPUs otherwise idle. Every hand-off between event loops, and every
   * reply that wakes a sleeping one, pays this; on a VM its tail alone can reach the latency bar.
   */
  private static JsonObject threadWakeLatency(int n) {
    long[] lat = new long[n];
    AtomicLong sent = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    Thread sleeper =
        new Thread(
            () -> {
              int i = 0;
              while (i < n) {
                LockSupport.park();
                long s = sent.getAndSet(0);
                if (s != 0) lat[i++] = System.nanoTime() - s;
              }
              done.countDown();
            },
            "bench-wake");
    sleeper.setDaemon(true);
    sleeper.start();
    for (int i = 0; i < n && sleeper.isAlive(); i++) {
      sleep(1);
      sent.set(System.nanoTime());
      LockSupport.unpark(sleeper);
      while (sent.get() != 0 && sleeper.isAlive()) Thread.onSpinWait();
    }
    try {
      done.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return percentiles("threadWake", Arrays.stream(lat).sorted().toArray());
  }

  /**
   * Redis commands per second (scripts' inner calls included) with idle worker instances on an
   * empty queue: 4 on one node, or -Didle.nodes=N nodes (each a service of its own: pool,
   * maintenance, scheduler, registry) of -Didle.instances=M instances each; -Didle.limited=true
   * gives the queue a rate limit and a global concurrency.
   */
  JsonObject idle(int seconds) {
    String prefix = prefix();
    int nodes = Integer.getInteger("idle.nodes", 1);
    int instances = Integer.getInteger("idle.instances", 4);
    JsonObject conf = conf(prefix, "idle");
    conf.getJsonObject("queues").getJsonObject("idle").put("instances", instances);
    // -Didle.limited=true: the queue has a rate limit and a global concurrency (held in the fetch)
    if (Boolean.getBoolean("idle.limited")) {
      conf.getJsonObject("queues")
          .getJsonObject("idle")
          .put("rateLimit", new JsonObject().put("max", 100).put("per", "1s"))
          .put("globalConcurrency", 10);
    }
    List<String> deps = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++)
        deps.add(
            await(
                vertx.deployVerticle(
                    new Bootstrap(null), new DeploymentOptions().setConfig(conf))));
      sleep(6_000); // past the start-up burst and the first idle passes
      long c0 = commands();
      long rt0 = roundTrips();
      sleep(seconds * 1000L);
      double perSec = (commands() - c0 - 2) / (double) seconds; // minus our own INFO calls
      double rtPerSec = (roundTrips() - rt0 - 2) / (double) seconds;
      int all = nodes * instances;
      return new JsonObject()
          .put("scenario", "idle")
          .put("nodes", nodes)
          .put("instances", all)
          .put("commandsPerSec", perSec)
          .put("commandsPerSecPerInstance", perSec / all)
          .put("roundTripsPerSec", rtPerSec);
    } finally {
      for (String dep : deps) await(vertx.undeploy(dep));
      cleanup(prefix);
    }
  }

  private static double heapAfterGcMiB() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
  }

  private static JsonObject memory() {
    Runtime rt = Runtime.getRuntime();
    double heap = heapAfterGcMiB();
    long rss = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    } catch (IOException ignored) {
      // not Linux: no peak RSS
    }
    return new JsonObject()
        .put("heapAfterGcMiB", heap)
        .put("peakRssMiB", rss / 1048576.0)
        .put("maxHeapMiB", rt.maxMemory() / 1048576.0);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms); // a benchmark's measuring window, not a wait for a state
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
