package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.EnqueueResult;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.Keys;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults under load, with the fat jar as users run it and a redis-server of the suite's own:
 * workers SIGKILLed, Redis SIGKILLed and restarted from its append-only file, stopped and stalled
 * for 30 s, full, its scripts flushed and its clients killed. A producer enqueues at a steady rate
 * throughout; each fault reports what was enqueued (acknowledged), completed, lost (must be 0), run
 * twice (at most the jobs active at the fault) and the time until jobs complete again. The figures
 * go to target/fault-suite.txt (the table in docs/internals.md).
 */
class FaultSuiteTest {
  private static final Path REPORT =
      Path.of(System.getProperty("fault.report", "target/fault-suite.txt"));
  private static final int INSTANCES = 2;
  private static final int CONCURRENCY = 20;
  private RedisServerProcess redis;
  private final List<JarProcess> workers = new ArrayList<>();
  private Vertx vertx;
  private Redis client;
  private Producer producer;

  @AfterEach
  void cleanup() throws Exception {
    if (producer != null) producer.stop();
    for (JarProcess w : workers) w.close();
    if (client != null) client.close();
    if (vertx != null) await(vertx.close());
    if (redis != null) redis.close();
  }

  /**
   * Enqueues bulks of 10 every 20 ms (about 500 jobs/s); counts only what Redis acknowledged, ids
   * kept.
   */
  private final class Producer {
    final JobQueue queue;
    final List<String> acked = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong failures = new AtomicLong();
    final AtomicBoolean busy = new AtomicBoolean();
    final long timer;

    Producer(JobQueue queue) {
      this.queue = queue;
      this.timer =
          vertx.setPeriodic(
              20,
              t -> {
                if (!busy.compareAndSet(false, true)) return;
                List<NewJob> jobs = new ArrayList<>();
                for (int i = 0; i < 10; i++)
                  jobs.add(NewJob.of("work", new JsonObject().put("ms", 20)));
                queue
                    .enqueueBulk(jobs)
                    .onComplete(
                        ar -> {
                          if (ar.succeeded()) {
                            for (EnqueueResult r : ar.result()) acked.add(r.id());
                          } else {
                            failures.incrementAndGet();
                          }
                          busy.set(false);
                        });
              });
    }

    void stop() {
      vertx.cancelTimer(timer);
      until("the last enqueue answered", Duration.ofSeconds(10), () -> !busy.get());
    }
  }

  /** The length of an outage: 30 s of wall time (a span to let pass, not a state to wait for). */
  private static void outage() throws InterruptedException {
    Thread.sleep(30_000);
  }

  private record Setup(String queue, Keys keys, Path conf) {}

  private Setup start(int processes, String... redisArgs) throws Exception {
    redis = RedisServerProcess.launch(redisArgs);
    vertx = Vertx.vertx();
    client = Redis.createClient(vertx, redis.url());
    String prefix = TestSupport.randomPrefix();
    String queue = TestSupport.randomName("faults");
    JsonObject conf =
        new JsonObject()
            .put(
                "redis",
                new JsonObject()
                    .put("url", redis.url())
                    .put("keyPrefix", prefix)
                    .put("startupTimeout", "60s"))
            .put("http", new JsonObject().put("enabled", false))
            .put("reload", new JsonObject().put("scanPeriod", "0ms"))
            .put("maintenance", new JsonObject().put("interval", "200ms"))
            .put(
                "queues",
                new JsonObject()
                    .put(
                        queue,
                        new JsonObject()
                            .put("handler", "sleep")
                            .put("instances", INSTANCES)
                            .put("concurrency", CONCURRENCY)
                            .put("lease", "2s")
                            .put("maxStalled", 1000)
                            .put("retention", new JsonObject().put("completed", "all"))));
    Path file = JarProcess.writeConf(conf);
    for (int i = 0; i < processes; i++) workers.add(JarProcess.start("-conf", file.toString()));
    Setup s = new Setup(queue, new Keys(prefix, queue), file);
    producer =
        new Producer(
            Vertiq.create(vertx, client, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD).queue(queue));
    until("jobs completing", Duration.ofSeconds(60), () -> completed(s) >= 200);
    return s;
  }

  private long completed(Setup s) {
    try {
      return await(client.send(Request.cmd(Command.ZCARD).arg(s.keys().completed()))).toLong();
    } catch (RuntimeException e) {
      return -1; // Redis away (the fault itself): no figure now
    }
  }

  private long active(Setup s) {
    return await(client.send(Request.cmd(Command.ZCARD).arg(s.keys().active()))).toLong();
  }

  /**
   * Time from now until more jobs complete than {@code before}: how long the service took to work
   * again.
   */
  private long recoveryMs(Setup s) {
    long t0 = System.nanoTime();
    long before = Math.max(0, completed(s));
    until("jobs completing again", Duration.ofSeconds(90), () -> completed(s) > before);
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * Stops the producer, waits until every acknowledged job is completed, checks each one, writes
   * the row.
   */
  private void finish(Setup s, String fault, long activeAtFault, long recoveryMs)
      throws IOException {
    producer.stop();
    List<String> acked = new ArrayList<>(producer.acked);
    until(
        "every acknowledged job completed",
        Duration.ofSeconds(120),
        () -> {
          try {
            var c = counts(s);
            return c[0] + c[1] + c[2] == 0 && completed(s) >= acked.size();
          } catch (RuntimeException e) {
            return false;
          }
        });
    long lost = 0;
    for (int i = 0; i < acked.size(); i += 1000) {
      Request zm = Request.cmd(Command.ZMSCORE).arg(s.keys().completed());
      acked.subList(i, Math.min(acked.size(), i + 1000)).forEach(zm::arg);
      for (Response score : await(client.send(zm))) if (score == null) lost++;
    }
    long dead = await(client.send(Request.cmd(Command.ZCARD).arg(s.keys().dead()))).toLong();
    // jobs taken back from a run (expired lease or release): each may have run twice, or not at all
    // before (a
    // fetch whose reply the fault lost), so this is an upper bound of the repeated runs
    Response reclaimed =
        await(client.send(Request.cmd(Command.HGET).arg(s.keys().stats()).arg("reclaimed")));
    long ranTwice = reclaimed == null ? 0 : reclaimed.toLong();
    // runs of a live process that outlived their lease (a busy machine can starve a heartbeat for
    // longer than the 2 s lease): their jobs were taken back too, and their late results counted
    Response staleField =
        await(client.send(Request.cmd(Command.HGET).arg(s.keys().stats()).arg("stale")));
    long stale = staleField == null ? 0 : staleField.toLong();
    // what the workers held at the faults: the active set just before each (every process's runs,
    // and the runs that ended but whose outcome the victim had not reported yet), a bound of what
    // the victim alone held
    long held = activeAtFault;
    String row =
        String.format(
            "| %s | %d | %d | %d | %d | %d | %d | %.1f s |",
            fault,
            acked.size(),
            completed(s),
            lost,
            ranTwice,
            activeAtFault,
            producer.failures.get(),
            recoveryMs / 1000.0);
    System.out.println("FAULT " + row);
    if (ranTwice > 0) {
      // what the workers said about it: a repeated run should have a reason in their log
      for (JarProcess w : workers) {
        w.output()
            .lines()
            .filter(l -> l.contains("WARN") || l.contains("ERROR"))
            .limit(20)
            .forEach(l -> System.out.println("  worker: " + l));
      }
    }
    Files.createDirectories(REPORT.getParent());
    Files.writeString(REPORT, row + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    assertEquals(0, lost, fault + ": acknowledged jobs lost");
    assertEquals(0, dead, fault + ": jobs dead");
    assertTrue(
        ranTwice <= held + stale,
        fault
            + ": "
            + ranTwice
            + " jobs requeued from their runs, more than the "
            + held
            + " the workers held at the faults and the "
            + stale
            + " runs that outlived their lease");
  }

  /** ready + delayed + active. */
  private long[] counts(Setup s) {
    List<Response> r =
        await(
            client.batch(
                List.of(
                    Request.cmd(Command.ZCARD).arg(s.keys().ready()),
                    Request.cmd(Command.LLEN).arg(s.keys().fifo()),
                    Request.cmd(Command.ZCARD).arg(s.keys().delayed()),
                    Request.cmd(Command.ZCARD).arg(s.keys().active()))));
    return new long[] {r.get(0).toLong() + r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong()};
  }

  @Test
  void aWorkerProcessSigkilledFiveTimes() throws Exception {
    Setup s = start(2);
    long activeAtFaults = 0;
    long recovery = 0;
    for (int round = 0; round < 5; round++) {
      JarProcess victim = workers.remove(0);
      activeAtFaults += active(s);
      victim.sigkill();
      victim.close();
      recovery = Math.max(recovery, recoveryMs(s));
      workers.add(JarProcess.start("-conf", s.conf().toString()));
      until("the restarted process takes jobs", Duration.ofSeconds(60), () -> completed(s) > 0);
    }
    finish(s, "worker process SIGKILL x5", activeAtFaults, recovery);
  }

  @Test
  void redisSigkilledAndRestartedFromItsAppendOnlyFile() throws Exception {
    Setup s = start(1, "--appendonly", "yes", "--appendfsync", "always");
    long active = active(s);
    redis.kill();
    redis.start();
    long recovery = recoveryMs(s);
    finish(s, "Redis SIGKILL, AOF restart", active, recovery);
  }

  @Test
  void redisStoppedForThirtySeconds() throws Exception {
    Setup s = start(1, "--appendonly", "yes", "--appendfsync", "always");
    long active = active(s);
    await(
        client
            .send(Request.cmd(Command.SHUTDOWN))
            .recover(
                err -> Future.succeededFuture())); // SHUTDOWN answers by closing the connection
    redis.stop();
    outage();
    redis.start();
    long recovery = recoveryMs(s);
    finish(s, "Redis stopped 30 s", active, recovery);
  }

  @Test
  void redisStalledForThirtySeconds() throws Exception {
    Setup s = start(1);
    long active = active(s);
    redis.pause();
    try {
      outage();
    } finally {
      redis.resume();
    }
    long recovery = recoveryMs(s); // from Redis answering again
    finish(s, "Redis SIGSTOP 30 s", active, recovery);
  }

  @Test
  void redisFull() throws Exception {
    Setup s = start(1);
    long active = active(s);
    String info = await(client.send(Request.cmd(Command.INFO).arg("memory"))).toString();
    long used = Long.parseLong(info.replaceAll("(?s).*used_memory:(\\d+).*", "$1"));
    await(
        client.send(
            Request.cmd(Command.CONFIG).arg("SET").arg("maxmemory").arg(Long.toString(used))));
    until("enqueues refused", Duration.ofSeconds(20), () -> producer.failures.get() > 5);
    await(client.send(Request.cmd(Command.CONFIG).arg("SET").arg("maxmemory").arg("0")));
    long recovery = recoveryMs(s);
    finish(s, "Redis full (noeviction) then freed", active, recovery);
  }

  @Test
  void scriptFlushAndClientKill() throws Exception {
    Setup s = start(1);
    long active = active(s);
    await(client.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    long recovery = recoveryMs(s);
    active += active(s);
    await(client.send(Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("normal")));
    recovery = Math.max(recovery, recoveryMs(s));
    finish(s, "SCRIPT FLUSH, then CLIENT KILL of every client", active, recovery);
  }
}
