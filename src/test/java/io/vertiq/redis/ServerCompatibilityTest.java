package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Flow;
import io.vertiq.GroupLimits;
import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Lua script on every server Vertiq is tested on, Redis 7 and Valkey 8: a session that uses
 * each feature (enqueue, runs, steps, logs, progress, signals, lease renewals, retries, dead jobs,
 * changes, removal, pause, reads, groups and their limits, flows across queues, batches, schedules,
 * maintenance, the release at a stop) on a server of its own, then the server's script cache must
 * hold every script: each ran at least once (a script is loaded by its first call). A server
 * missing here is skipped, unless VERTIQ_REQUIRE_VALKEY is set (CI installs Valkey).
 */
class ServerCompatibilityTest {
  /** Does what its payload says, so one queue reaches every script a worker calls. */
  public static final class Everything implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      JsonObject p = job.payload();
      Vertx vertx = Vertx.currentContext().owner();
      if (p.getBoolean("fail", false)) return Future.failedFuture("failed on purpose");
      if (p.getBoolean("hang", false)) return Promise.<Object>promise().future();
      if (p.getBoolean("wait", false)) return job.waitFor("go", Duration.ofMinutes(1)).map(w -> w);
      if (p.getBoolean("steps", false))
        return job.step("a", () -> Future.succeededFuture(1))
            .compose(a -> job.checkpoint(5))
            .compose(v -> job.log("a line"))
            .compose(v -> job.progress(50))
            .map(v -> "stepped");
      long ms = p.getLong("ms", 0L);
      if (ms == 0) return Future.succeededFuture("done");
      Promise<Object> slow = Promise.promise();
      vertx.setTimer(ms, t -> slow.complete("slow"));
      return slow.future();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis-server", "valkey-server"})
  void everyScriptRunsOn(String binary) throws Exception {
    boolean installed =
        Stream.of(System.getenv("PATH").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
    if (System.getenv("VERTIQ_REQUIRE_VALKEY") == null)
      Assumptions.assumeTrue(installed, binary + " is not installed here");
    assertTrue(installed, binary + " must be installed (VERTIQ_REQUIRE_VALKEY is set)");
    try (RedisServerProcess server = RedisServerProcess.launchServer(binary);
        VertiqHarness h = new VertiqHarness(server.url())) {
      String info = await(h.redis.send(Request.cmd(Command.INFO).arg("server"))).toString();
      if (binary.startsWith("valkey"))
        assertTrue(info.contains("server_name:valkey"), "a Valkey server: " + info);
      String a = TestSupport.randomName("compat");
      String b = TestSupport.randomName("compatb");
      JsonObject queue =
          VertiqHarness.queue(Everything.class.getName(), 1, 20)
              .put("lease", "1s")
              .put("retention", new JsonObject().put("completed", "all"));
      JsonObject conf = h.conf(new JsonObject().put(a, queue).put(b, queue.copy()));
      conf.put("maintenance", new JsonObject().put("interval", "200ms"));
      h.deploy(conf);
      JobQueue q = h.queue(a);

      // runs: plain, steps and their reports, a lease renewed, a wait and its signal
      await(q.enqueueBulk(List.of(job(new JsonObject()), job(new JsonObject()))));
      String stepped = await(q.enqueue(job(new JsonObject().put("steps", true)))).id();
      String slow = await(q.enqueue(job(new JsonObject().put("ms", 1_500)))).id();
      String waiting = await(q.enqueue(job(new JsonObject().put("wait", true)))).id();
      until(
          "the wait parked",
          Duration.ofSeconds(30),
          () -> await(q.get(waiting)).state() == JobState.DELAYED);
      await(q.signal(waiting, "go", 1));
      for (String id : List.of(stepped, slow, waiting))
        until(
            id + " completed",
            Duration.ofSeconds(30),
            () -> await(q.get(id)).state() == JobState.COMPLETED);

      // a dead job retried, dead again, and the finished jobs cleaned
      String failing =
          await(q.enqueue(job(new JsonObject().put("fail", true)).setAttempts(1))).id();
      until("dead", Duration.ofSeconds(30), () -> await(q.get(failing)).state() == JobState.DEAD);
      assertEquals(1L, await(q.retryDead(List.of(failing))));
      until(
          "dead again",
          Duration.ofSeconds(30),
          () -> await(q.get(failing)).state() == JobState.DEAD);
      assertTrue(await(q.clean(JobState.DEAD, 0)) >= 1);

      // a waiting job changed and removed; pause, reads
      String later = await(q.enqueue(job(new JsonObject()).setDelayMs(3_600_000))).id();
      await(q.setPriority(later, 5));
      assertTrue(await(q.remove(later)));
      await(q.pause());
      await(q.enqueue(job(new JsonObject())));
      assertEquals(1, await(q.list(JobState.READY, 0, 10)).jobs().size());
      assertTrue(await(q.list(JobState.COMPLETED, 0, 10)).jobs().size() > 0);
      assertTrue(await(q.counts()).paused());
      await(q.resume());

      // groups and their limits
      await(q.setGroupLimits("acme", GroupLimits.none().weight(2)));
      await(q.pauseGroup("acme", true));
      await(q.enqueue(job(new JsonObject()).setGroup("acme")));
      assertEquals(1, await(q.groups("0", 10)).getJsonArray("groups").size());
      await(q.pauseGroup("acme", false));

      // a flow across two queues, a batch, a schedule that fires
      String parent =
          await(
                  h.vertiq.enqueueFlow(
                      Flow.of(a, job(new JsonObject())).child(Flow.of(b, job(new JsonObject())))))
              .getString("id");
      JsonObject batch = await(h.vertiq.openBatch(a, job(new JsonObject()), job(new JsonObject())));
      await(h.vertiq.addToBatch(a, batch.getString("id"), b, List.of(job(new JsonObject()))));
      await(h.vertiq.closeBatch(a, batch.getString("id")));
      await(
          q.schedule(
              "tick",
              new JsonObject()
                  .put("every", "1s")
                  .put("job", new JsonObject().put("name", "tick"))));
      assertEquals(1, await(q.schedules()).size());
      until(
          "the parent and the schedule's first job completed",
          Duration.ofSeconds(30),
          () ->
              await(q.get(parent)).state() == JobState.COMPLETED
                  && await(q.list(JobState.COMPLETED, 0, 500)).jobs().stream()
                      .anyMatch(j -> "tick".equals(j.name())));
      assertTrue(await(q.unschedule("tick")));

      // a run still going when the workers stop is released
      String hanging = await(q.enqueue(job(new JsonObject().put("hang", true)))).id();
      until(
          "the hanging job runs",
          Duration.ofSeconds(30),
          () -> await(q.get(hanging)).state() == JobState.ACTIVE);
      h.undeploy();
      assertEquals(JobState.READY, await(q.get(hanging)).state());

      List<String> missing = new ArrayList<>();
      for (Field f : Scripts.class.getFields()) {
        if (!Modifier.isStatic(f.getModifiers()) || f.getType() != LuaScript.class) continue;
        LuaScript s = (LuaScript) f.get(null);
        Response exists =
            await(h.redis.send(Request.cmd(Command.SCRIPT).arg("EXISTS").arg(s.sha())));
        if (exists.get(0).toInteger() != 1) missing.add(s.name());
      }
      assertEquals(List.of(), missing, "scripts that never ran on " + binary);
    }
  }

  private static NewJob job(JsonObject payload) {
    return NewJob.of("t", payload);
  }
}
