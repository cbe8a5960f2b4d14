package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.core.VertiqImpl;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * redis.durability: an enqueue answers once a replica has its job, and says so when none did in
 * time.
 */
class RedisDurabilityTest {
  @Test
  void anEnqueueWaitsForTheReplicaAndFailsClearlyWithoutIt() {
    try (RedisServerProcess master = RedisServerProcess.launch();
        RedisServerProcess replica =
            RedisServerProcess.launch(
                "--replicaof", "127.0.0.1", Integer.toString(master.port()))) {
      Vertx vertx = Vertx.vertx();
      try {
        Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + master.port());
        until(
            "the replica in sync",
            Duration.ofSeconds(10),
            () ->
                await(redis.send(Request.cmd(Command.INFO).arg("replication")))
                    .toString()
                    .contains("state=online"));
        String prefix = TestSupport.randomPrefix();
        // a wait long enough for a replica on a machine busy with other tests; the second enqueue
        // waits it out
        JobQueue q =
            new VertiqImpl(vertx, redis, prefix, 1 << 20)
                .withDurability(1, 2_000)
                .queue(TestSupport.randomName("dur"));
        assertTrue(
            await(q.enqueue(NewJob.of("kept", new JsonObject()))).created(),
            "acknowledged by the replica");
        replica.stop();
        VertiqException e =
            assertThrows(
                VertiqException.class,
                () -> await(q.enqueue(NewJob.of("unsure", new JsonObject()))));
        assertEquals(VertiqException.Code.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("acknowledged by 0 of the 1 replicas"), e.getMessage());
        assertEquals(
            2,
            await(q.counts()).ready(),
            "the job is on the master all the same: its producer retries with an idempotency key");
      } finally {
        await(vertx.close());
      }
    }
  }
}
