package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.RedisConfig;
import io.vertiq.redis.RedisConnector;
import io.vertiq.testing.RedisClusterProcess;
import io.vertiq.testing.TestSupport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Redis Cluster changing under a drain (three masters with a replica each, the service as the fat
 * jar, this test producing all the while): the master of the queue's slot fails over to its replica
 * (CLUSTER FAILOVER), then the slot moves to another master the way redis-cli reshards (keys in
 * small MIGRATE steps, then SETSLOT NODE). The service follows both by itself, and every
 * acknowledged job runs, none dead.
 */
class RedisClusterChangeTest {

  /** A node of the cluster as CLUSTER NODES lists it. */
  private record ClusterNode(
      String id, int port, boolean master, String masterId, List<int[]> slots) {
    boolean owns(int slot) {
      return slots.stream().anyMatch(r -> r[0] <= slot && slot <= r[1]);
    }
  }

  private static List<ClusterNode> nodes(Redis admin) {
    List<ClusterNode> out = new ArrayList<>();
    for (String line :
        await(admin.send(Request.cmd(Command.CLUSTER).arg("NODES"))).toString().split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 8) continue;
      int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
      List<int[]> slots = new ArrayList<>();
      for (int i = 8; i < f.length; i++) {
        if (f[i].startsWith("[")) continue; // a slot being moved
        String[] r = f[i].split("-");
        slots.add(new int[] {Integer.parseInt(r[0]), Integer.parseInt(r[r.length - 1])});
      }
      out.add(
          new ClusterNode(
              f[0], port, f[2].contains("master") && !f[2].contains("fail"), f[3], slots));
    }
    return out;
  }

  private static ClusterNode ownerOf(Redis admin, int slot) {
    return nodes(admin).stream().filter(n -> n.master() && n.owns(slot)).findFirst().orElseThrow();
  }

  @Test
  void aMasterFailoverAndASlotMigrationDuringADrainLoseNothing() throws Exception {
    try (RedisClusterProcess cluster = RedisClusterProcess.launch(1)) {
      Vertx vertx = Vertx.vertx();
      try {
        String prefix = TestSupport.randomPrefix();
        String name = TestSupport.randomName("moving");
        Redis any = Redis.createClient(vertx, cluster.urls().get(0));
        int slot =
            await(
                    any.send(
                        Request.cmd(Command.CLUSTER)
                            .arg("KEYSLOT")
                            .arg(prefix + ":{" + name + "}:ready")))
                .toInteger();
        JsonObject conf =
            new JsonObject()
                .put(
                    "redis",
                    new JsonObject()
                        .put("type", "cluster")
                        .put("endpoints", new JsonArray(cluster.urls()))
                        .put("keyPrefix", prefix))
                .put("http", new JsonObject().put("enabled", false))
                .put(
                    "queues",
                    new JsonObject()
                        .put(
                            name,
                            new JsonObject()
                                .put("handler", "sleep")
                                .put("instances", 2)
                                .put("concurrency", 20)
                                .put("retention", new JsonObject().put("completed", "all"))));
        Redis redis =
            RedisConnector.create(
                vertx, new RedisConfig().setType("cluster").setEndpoints(cluster.urls()));
        JobQueue q = Vertiq.create(vertx, redis, prefix, 1 << 20).queue(name);

        try (JarProcess service =
            JarProcess.start("-conf", JarProcess.writeConf(conf).toString())) {
          service.awaitStarted();
          Set<String> acked = Collections.synchronizedSet(new HashSet<>());
          AtomicBoolean stop = new AtomicBoolean();
          long[] failures = new long[1];
          Thread producer =
              new Thread(
                  () -> {
                    for (int b = 0; !stop.get(); b++) {
                      List<NewJob> bulk = new ArrayList<>();
                      for (int i = 0; i < 50; i++) {
                        bulk.add(
                            NewJob.of("t", new JsonObject().put("ms", 5))
                                .setIdempotencyKey("p-" + b + "-" + i));
                      }
                      while (!stop
                          .get()) { // the same keys again after a failure: a retry makes no second
                        // job
                        try {
                          await(q.enqueueBulk(bulk), Duration.ofSeconds(10))
                              .forEach(r -> acked.add(r.id()));
                          break;
                        } catch (RuntimeException e) {
                          failures[0]++;
                          sleepQuietly(50);
                        }
                      }
                      sleepQuietly(20); // about 2,000 jobs a second, under what the workers drain
                    }
                  },
                  "producer");
          producer.start();
          try {
            until(
                "jobs flowing",
                Duration.ofSeconds(30),
                () -> await(q.counts()).total("completed") >= 1_000);

            // 1. the slot's master fails over to its replica
            ClusterNode master = ownerOf(any, slot);
            // a new cluster's nodes learn who replicates whom by gossip: wait until this one knows
            // the replica
            until(
                "the master's replica known",
                Duration.ofSeconds(30),
                () -> nodes(any).stream().anyMatch(n -> master.id().equals(n.masterId())));
            ClusterNode replica =
                nodes(any).stream()
                    .filter(n -> master.id().equals(n.masterId()))
                    .findFirst()
                    .orElseThrow();
            Redis onReplica = Redis.createClient(vertx, "redis://127.0.0.1:" + replica.port());
            until(
                "the replica in sync",
                Duration.ofSeconds(30),
                () ->
                    await(onReplica.send(Request.cmd(Command.INFO).arg("replication")))
                        .toString()
                        .contains("master_link_status:up"));
            long t0 = System.nanoTime();
            // a manual failover gives up when the replica cannot catch up in time (a busy machine):
            // it is asked again
            for (int attempt = 0;
                attempt < 3 && ownerOf(onReplica, slot).port() != replica.port();
                attempt++) {
              await(onReplica.send(Request.cmd(Command.CLUSTER).arg("FAILOVER")));
              try {
                until(
                    "the replica owns the slot",
                    Duration.ofSeconds(15),
                    () -> ownerOf(onReplica, slot).port() == replica.port());
              } catch (AssertionError e) {
                if (attempt == 2) throw e;
              }
            }
            long promotedMs = (System.nanoTime() - t0) / 1_000_000;
            long before = await(q.counts()).total("completed");
            until(
                "jobs completing after the failover",
                Duration.ofSeconds(30),
                () -> await(q.counts()).total("completed") >= before + 500);
            long failoverResumedMs = (System.nanoTime() - t0) / 1_000_000;

            // 2. the slot moves to another master, keys in small steps as redis-cli --cluster
            // reshard moves them
            ClusterNode source = ownerOf(onReplica, slot);
            ClusterNode target =
                nodes(onReplica).stream()
                    .filter(n -> n.master() && !n.id().equals(source.id()) && !n.slots().isEmpty())
                    .findFirst()
                    .orElseThrow();
            Redis src = Redis.createClient(vertx, "redis://127.0.0.1:" + source.port());
            Redis dst = Redis.createClient(vertx, "redis://127.0.0.1:" + target.port());
            long t1 = System.nanoTime();
            await(
                dst.send(
                    Request.cmd(Command.CLUSTER)
                        .arg("SETSLOT")
                        .arg(slot)
                        .arg("IMPORTING")
                        .arg(source.id())));
            await(
                src.send(
                    Request.cmd(Command.CLUSTER)
                        .arg("SETSLOT")
                        .arg(slot)
                        .arg("MIGRATING")
                        .arg(target.id())));
            int moved = 0;
            while (true) {
              Response keys =
                  await(
                      src.send(
                          Request.cmd(Command.CLUSTER).arg("GETKEYSINSLOT").arg(slot).arg(10)));
              if (keys.size() == 0) break;
              Request migrate =
                  Request.cmd(Command.MIGRATE)
                      .arg("127.0.0.1")
                      .arg(target.port())
                      .arg("")
                      .arg(0)
                      .arg(5000)
                      .arg("REPLACE")
                      .arg("KEYS");
              for (Response k : keys) migrate.arg(k.toString());
              await(src.send(migrate));
              moved += keys.size();
            }
            // the target first, then the source (as redis-cli does); the other masters learn it by
            // the cluster bus anyway
            await(
                dst.send(
                    Request.cmd(Command.CLUSTER)
                        .arg("SETSLOT")
                        .arg(slot)
                        .arg("NODE")
                        .arg(target.id())));
            await(
                src.send(
                    Request.cmd(Command.CLUSTER)
                        .arg("SETSLOT")
                        .arg(slot)
                        .arg("NODE")
                        .arg(target.id())));
            long migratedMs = (System.nanoTime() - t1) / 1_000_000;
            long before2 = await(q.counts()).total("completed");
            until(
                "jobs completing after the migration",
                Duration.ofSeconds(30),
                () -> await(q.counts()).total("completed") >= before2 + 500);
            long migrationResumedMs = (System.nanoTime() - t1) / 1_000_000;
            until(
                "the target owns the slot",
                Duration.ofSeconds(10),
                () -> ownerOf(dst, slot).port() == target.port());

            stop.set(true);
            producer.join(20_000);
            int made = acked.size();
            until(
                "every acknowledged job completed",
                Duration.ofSeconds(60),
                () -> await(q.counts()).total("completed") >= made);
            assertEquals(
                made, await(q.counts()).total("completed"), "each acknowledged job once, no other");
            assertEquals(0, await(q.counts()).dead());
            System.out.printf(
                "cluster under change: failover promoted in %d ms, jobs completing again %d ms after it was asked;"
                    + " slot %d moved (%d keys) in %d ms, jobs completing again %d ms after it began; %d jobs acknowledged, all"
                    + " completed, %d enqueue attempts retried%n",
                promotedMs,
                failoverResumedMs,
                slot,
                moved,
                migratedMs,
                migrationResumedMs,
                made,
                failures[0]);
          } catch (AssertionError | RuntimeException e) {
            System.out.println(
                "the service's log:\n" + service.output()); // what it made of the change
            throw e;
          } finally {
            stop.set(true);
            producer.join(20_000);
          }
        }
      } finally {
        await(vertx.close());
      }
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms); // the producer's pace, not a wait for a state
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
