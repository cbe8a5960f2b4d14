package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.config.RedisConfig;
import io.vertiq.core.VertiqImpl;
import io.vertiq.redis.RedisConnector;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisSentinelProcess;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SENTINEL FAILOVER under load: a master, its replica and three sentinels; the service (the fat
 * jar) drains a queue while this test enqueues through the sentinels, one job after another with an
 * idempotency key, retrying a failed enqueue with the same key. The failover is asked in the
 * middle. Every worker (and its own blocking connection) follows the new master and processing
 * resumes; every enqueue the producer saw acknowledged is in the new master and runs, with {@code
 * redis.durability} waiting for a replica too. With one replica and durability, enqueues wait until
 * the old master has rejoined as the new one's replica; with two, the other replica serves at once.
 * The test prints what it measured.
 */
class SentinelFailoverTest {
  private static final String MASTER = "vqfail";

  @ParameterizedTest(name = "{0} replica(s), durability {1}")
  @CsvSource({"1, 0", "1, 1", "2, 1"})
  @SuppressWarnings(
      "try") // stopReplicas is there for its close(): the replicas stop before the master, after
  // the sentinels
  void workersFollowTheNewMasterAndAcknowledgedJobsSurvive(int replicaCount, int waitReplicas)
      throws Exception {
    List<RedisServerProcess> replicas = new ArrayList<>();
    try (RedisServerProcess master = RedisServerProcess.launch();
        AutoCloseable stopReplicas = () -> replicas.forEach(RedisServerProcess::close);
        RedisSentinelProcess s1 = RedisSentinelProcess.launch(master.port(), MASTER, 2);
        RedisSentinelProcess s2 = RedisSentinelProcess.launch(master.port(), MASTER, 2);
        RedisSentinelProcess s3 = RedisSentinelProcess.launch(master.port(), MASTER, 2)) {
      for (int i = 0; i < replicaCount; i++) {
        replicas.add(
            RedisServerProcess.launch("--replicaof", "127.0.0.1", Integer.toString(master.port())));
      }
      Vertx vertx = Vertx.vertx();
      try {
        Redis direct = Redis.createClient(vertx, master.url());
        until(
            "the replicas in sync",
            Duration.ofSeconds(15),
            () ->
                await(direct.send(Request.cmd(Command.INFO).arg("replication")))
                            .toString()
                            .split("state=online", -1)
                            .length
                        - 1
                    == replicaCount);
        Redis sentinel1 = Redis.createClient(vertx, s1.url());
        until(
            "every sentinel knows the others and the replicas",
            Duration.ofSeconds(30),
            () ->
                await(sentinel1.send(Request.cmd(Command.SENTINEL).arg("SENTINELS").arg(MASTER)))
                            .size()
                        == 2
                    && await(
                                sentinel1.send(
                                    Request.cmd(Command.SENTINEL).arg("REPLICAS").arg(MASTER)))
                            .size()
                        == replicaCount);
        String prefix = TestSupport.randomPrefix();
        String name = TestSupport.randomName("failover");
        JsonArray sentinels = new JsonArray().add(s1.url()).add(s2.url()).add(s3.url());
        JsonObject redisConf =
            new JsonObject()
                .put("type", "sentinel")
                .put("masterName", MASTER)
                .put("endpoints", sentinels)
                .put("keyPrefix", prefix)
                .put(
                    "durability",
                    new JsonObject().put("replicas", waitReplicas).put("timeout", "1s"));
        int httpPort = RedisServerProcess.freePort();
        JsonObject conf =
            new JsonObject()
                .put("redis", redisConf)
                .put("http", VertiqHarness.http(httpPort))
                .put(
                    "queues",
                    new JsonObject()
                        .put(
                            name,
                            new JsonObject()
                                .put("handler", "noop")
                                .put("instances", 2)
                                .put("retention", new JsonObject().put("completed", "all"))));
        RedisConfig rc =
            new RedisConfig()
                .setType("sentinel")
                .setMasterName(MASTER)
                .setEndpoints(List.of(s1.url(), s2.url(), s3.url()))
                .setKeyPrefix(prefix);
        Redis redis = RedisConnector.create(vertx, rc);
        JobQueue q =
            new VertiqImpl(vertx, redis, prefix, 1 << 20)
                .withDurability(waitReplicas, 1_000)
                .queue(name);

        try (JarProcess service =
            JarProcess.start("-conf", JarProcess.writeConf(conf).toString())) {
          service.awaitStarted();
          try {
            // id and payload: a job the old master acknowledged and lost may have its id reused by
            // the new one
            List<String[]> acked = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            long[] failures = new long[1];
            Thread producer =
                new Thread(
                    () -> {
                      for (int i = 0; !stop.get(); i++) {
                        String key = "p-" + i;
                        while (!stop
                            .get()) { // until this job is acknowledged: the same key, so a retry
                          // makes no second job
                          try {
                            acked.add(
                                new String[] {
                                  await(
                                          q.enqueue(
                                              NewJob.of("t", new JsonObject().put("i", i))
                                                  .setIdempotencyKey(key)),
                                          Duration.ofSeconds(5))
                                      .id(),
                                  Integer.toString(i)
                                });
                            break;
                          } catch (RuntimeException e) {
                            failures[0]++;
                            sleepQuietly(50);
                          }
                        }
                      }
                    },
                    "producer");
            producer.start();
            until(
                "jobs flowing",
                Duration.ofSeconds(20),
                () -> await(q.counts()).total("completed") >= 300);

            long askedAt = System.nanoTime();
            await(sentinel1.send(Request.cmd(Command.SENTINEL).arg("FAILOVER").arg(MASTER)));
            until(
                "a replica promoted",
                Duration.ofSeconds(20),
                () ->
                    await(
                                sentinel1.send(
                                    Request.cmd(Command.SENTINEL)
                                        .arg("GET-MASTER-ADDR-BY-NAME")
                                        .arg(MASTER)))
                            .get(1)
                            .toInteger()
                        != master.port());
            long promotedMs = (System.nanoTime() - askedAt) / 1_000_000;
            int promoted =
                await(
                        sentinel1.send(
                            Request.cmd(Command.SENTINEL)
                                .arg("GET-MASTER-ADDR-BY-NAME")
                                .arg(MASTER)))
                    .get(1)
                    .toInteger();
            Redis newMaster = Redis.createClient(vertx, "redis://127.0.0.1:" + promoted);
            JobQueue onNew = new VertiqImpl(vertx, newMaster, prefix, 1 << 20).queue(name);
            // processing resumed: a job put straight into the new master runs (the workers moved
            // over)
            String probe = await(onNew.enqueue(NewJob.of("probe", new JsonObject()))).id();
            until(
                "a job on the new master ran",
                Duration.ofSeconds(30),
                () ->
                    !TestSupport.gone(onNew, probe)
                        && await(onNew.get(probe)).state() == JobState.COMPLETED);
            long resumedMs = (System.nanoTime() - askedAt) / 1_000_000;
            // and /ready says so: the queue's fetch loop heard the new master since the failover
            try (ApiClient api = new ApiClient(vertx, httpPort)) {
              until(
                  "/ready with the fetch loop hearing Redis after the failover",
                  Duration.ofSeconds(30),
                  () -> {
                    var ready = api.send("GET", "/ready", null);
                    JsonObject loop = fetchLoop(ready.bodyAsJsonObject(), name);
                    return ready.statusCode() == 200
                        && loop != null
                        && loop.getBoolean("fetching")
                        && loop.getLong("heardMsAgo") < (System.nanoTime() - askedAt) / 1_000_000;
                  });
            }
            long before = acked.size();
            until(
                "the producer's enqueues acknowledged again",
                Duration.ofSeconds(30),
                () -> acked.size() > before + 100);
            long producingMs = (System.nanoTime() - askedAt) / 1_000_000;
            stop.set(true);
            producer.join(10_000);

            // every acknowledged job is on the new master and runs; the lost ones (not there) only
            // without durability
            int lost = 0;
            Set<String> kept = new HashSet<>();
            for (String[] a : acked) {
              boolean there =
                  !TestSupport.gone(onNew, a[0])
                      && String.valueOf(await(onNew.get(a[0])).payload().getValue("i"))
                          .equals(a[1]);
              if (there) kept.add(a[0]);
              else lost++;
            }
            until(
                "every acknowledged job kept ran",
                Duration.ofSeconds(30),
                () ->
                    kept.stream()
                        .allMatch(id -> await(onNew.get(id)).state() == JobState.COMPLETED));
            System.out.printf(
                "sentinel failover ("
                    + replicaCount
                    + " replica(s), durability replicas %d): promoted after %d ms, a job on the new master ran %d ms"
                    + " and the producer was acknowledged again %d ms after the failover was asked; %d enqueues acknowledged, %d of"
                    + " them lost, %d failed attempts retried%n",
                waitReplicas,
                promotedMs,
                resumedMs,
                producingMs,
                acked.size(),
                lost,
                failures[0]);
            if (waitReplicas > 0)
              assertEquals(0, lost, "an enqueue a replica acknowledged survives the failover");
            assertTrue(resumedMs < 30_000, "processing resumed after " + resumedMs + " ms");
          } catch (AssertionError e) {
            System.out.println(
                "the service's log:\n" + service.output()); // what it did about the failover
            throw e;
          }
        }
      } finally {
        await(vertx.close());
      }
    }
  }

  /** The queue's fetch loop as /ready reports it (its "workers" check's data), or null. */
  private static JsonObject fetchLoop(JsonObject ready, String queue) {
    if (ready == null) return null;
    for (Object c : ready.getJsonArray("checks", new JsonArray())) {
      JsonObject check = (JsonObject) c;
      if ("workers".equals(check.getString("id")) && check.getJsonObject("data") != null) {
        JsonObject loops = check.getJsonObject("data").getJsonObject("fetchLoops");
        return loops == null ? null : loops.getJsonObject(queue);
      }
    }
    return null;
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(
          ms); // the producer's pause before retrying a failed enqueue, not a wait for a state
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
