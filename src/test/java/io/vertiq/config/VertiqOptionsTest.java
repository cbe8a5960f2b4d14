package io.vertiq.config;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VertiqOptionsTest {

  @Test
  void defaultsWhenSectionsAreMissing() {
    VertiqOptions o = new VertiqOptions(new JsonObject());
    assertEquals(RedisConfig.DEFAULT_URL, o.redis().endpoints().get(0));
    assertEquals(RedisConfig.DEFAULT_POOL_SIZE, o.redis().poolSize());
    assertEquals("vq", o.redis().keyPrefix());
    assertEquals(HttpConfig.DEFAULT_PORT, o.http().port());
    assertTrue(o.http().tokens().isEmpty());
    assertEquals(VertiqOptions.DEFAULT_MAX_PAYLOAD, o.maxPayloadBytes());
    assertTrue(o.queues().isEmpty());
  }

  @Test
  void tracingIsOffByDefaultAndItsBadValuesAreNamed() {
    assertFalse(new VertiqOptions(new JsonObject()).tracing().enabled());
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () ->
                new VertiqOptions(
                    new JsonObject()
                        .put(
                            "tracing",
                            new JsonObject()
                                .put("enabled", true)
                                .put("exporter", "zipkin")
                                .put("endpoint", "ftp://collector")
                                .put("sampleRatio", 2))));
    assertTrue(e.getMessage().contains("tracing.exporter"), e.getMessage());
    assertTrue(e.getMessage().contains("tracing.endpoint"), e.getMessage());
    assertTrue(e.getMessage().contains("tracing.sampleRatio"), e.getMessage());
    VertiqOptions on =
        new VertiqOptions(
            new JsonObject()
                .put("tracing", new JsonObject().put("enabled", true).put("policy", "propagate")));
    assertEquals(TracingPolicy.PROPAGATE, on.tracing().policy());
    assertEquals(TracingConfig.DEFAULT_ENDPOINT, on.tracing().endpoint());
  }

  @Test
  void queueDefaults() {
    QueueOptions q = new QueueOptions(new JsonObject().put("handler", "echo"));
    assertEquals(1, q.instances());
    assertEquals(QueueOptions.DEFAULT_CONCURRENCY, q.concurrency());
    assertEquals("event-loop", q.threading());
    assertEquals(RetryPolicy.DEFAULT_ATTEMPTS, q.retry().attempts());
    assertEquals(30_000, q.timeoutMs());
    assertEquals(QueueOptions.DEFAULT_KEEP_COMPLETED, q.keepCompleted());
    QueueOptions blocking =
        new QueueOptions(new JsonObject().put("handler", "echo").put("threading", "worker"));
    assertEquals(
        QueueOptions.DEFAULT_BLOCKING_CONCURRENCY,
        blocking.concurrency(),
        "blocking handlers default to the worker pool's size, not the async default");
  }

  @Test
  void jsonRoundTrip() {
    JsonObject conf =
        new JsonObject()
            .put(
                "redis",
                new JsonObject()
                    .put("url", "redis://:secret@10.0.0.1:6380/2")
                    .put("poolSize", 16)
                    .put("keyPrefix", "app"))
            .put(
                "http",
                new JsonObject()
                    .put("port", 9090)
                    .put("auth", new JsonObject().put("tokens", new JsonArray().add("t1"))))
            .put(
                "queues",
                new JsonObject()
                    .put(
                        "emails",
                        new JsonObject()
                            .put("handler", "echo")
                            .put("instances", 3)
                            .put("concurrency", 7)
                            .put("threading", "worker")
                            .put("attempts", 5)
                            .put(
                                "backoff",
                                new JsonObject().put("type", "fixed").put("delay", "250ms"))
                            .put("timeout", "2m")
                            .put(
                                "retention",
                                new JsonObject().put("completed", "none").put("dead", 100))));
    VertiqOptions o = new VertiqOptions(conf);
    VertiqOptions again = new VertiqOptions(o.toJson());
    assertEquals(o.toJson(), again.toJson());
    QueueOptions q = again.queues().get("emails");
    assertEquals(3, q.instances());
    assertEquals(7, q.concurrency());
    assertEquals("worker", q.threading());
    assertEquals(RetryPolicy.Backoff.FIXED, q.retry().backoff());
    assertEquals(250, q.retry().delayMs());
    assertEquals(120_000, q.timeoutMs());
    assertEquals(Retention.NONE, q.keepCompleted());
    assertEquals(Retention.count(100), q.keepDead());
    assertEquals(9090, again.http().port());
    assertEquals("redis://:****@10.0.0.1:6380/2", again.redis().maskedUrl());
  }

  @Test
  void reportsEveryErrorWithItsPath() {
    JsonObject conf =
        new JsonObject()
            .put("redis", new JsonObject().put("url", "http://x").put("poolSize", 0))
            .put("http", new JsonObject().put("port", "eighty"))
            .put("bogus", 1)
            .put(
                "queues",
                new JsonObject()
                    .put(
                        "emails",
                        new JsonObject()
                            .put("handler", "echo")
                            .put("concurrency", "ten")
                            .put("timeout", "soon")
                            .put("threading", "fibers")
                            .put("retention", new JsonObject().put("completed", "-1")))
                    .put("bad name!", new JsonObject().put("handler", "echo"))
                    .put("nohandler", new JsonObject()));
    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> new VertiqOptions(conf));
    String all = String.join("\n", e.errors());
    assertTrue(
        all.contains("queues.emails.concurrency: expected a positive integer, got \"ten\""), all);
    assertTrue(all.contains("queues.emails.timeout: expected a duration"), all);
    assertTrue(all.contains("queues.emails.threading: expected one of"), all);
    assertTrue(all.contains("queues.emails.retention.completed"), all);
    assertTrue(all.contains("redis.url: expected a redis://"), all);
    assertTrue(all.contains("redis.poolSize: expected an integer from 1 to 1024, got 0"), all);
    assertTrue(all.contains("http.port: expected a non-negative integer, got \"eighty\""), all);
    assertTrue(all.contains("bogus: unknown key"), all);
    assertTrue(all.contains("queues.bad name!: invalid queue name"), all);
    assertTrue(all.contains("queues.nohandler.handler: expected a handler"), all);
    assertEquals(10, e.errors().size(), all);
  }

  @Test
  void aClusterPoolNeedsRoomForSlotReloads() {
    JsonObject conf =
        new JsonObject()
            .put(
                "redis",
                new JsonObject()
                    .put("type", "cluster")
                    .put("endpoints", new JsonArray().add("redis://10.0.0.1:7000"))
                    .put("poolSize", 1));
    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> new VertiqOptions(conf));
    assertTrue(
        e.getMessage()
            .contains("redis.poolSize: expected at least 2 when type is \"cluster\", got 1"),
        e.getMessage());
  }

  @Test
  void virtualThreadsNeedJava21() {
    JsonObject q = new JsonObject().put("handler", "echo").put("threading", "virtual-thread");
    if (Runtime.version().feature() < 21) {
      InvalidConfigException e =
          assertThrows(InvalidConfigException.class, () -> new QueueOptions(q));
      assertTrue(
          e.getMessage().contains("threading: \"virtual-thread\" needs Java 21"), e.getMessage());
    } else {
      assertEquals("virtual-thread", new QueueOptions(q).threading());
    }
  }

  @Test
  void environmentOverridesWin() {
    JsonObject conf =
        new JsonObject()
            .put("redis", new JsonObject().put("url", "redis://a:6379"))
            .put("http", new JsonObject().put("port", 1));
    Map<String, String> env =
        Map.of(
            "VERTIQ_REDIS_URL",
            "redis://b:6379",
            "VERTIQ_HTTP_PORT",
            "9000",
            "VERTIQ_HTTP_AUTH_TOKENS",
            "x,y");
    JsonObject applied =
        ConfigOverrides.apply(conf, env::get, k -> "vertiq.http.port".equals(k) ? "9001" : null);
    VertiqOptions o = new VertiqOptions(applied);
    assertEquals("redis://b:6379", o.redis().endpoints().get(0));
    assertEquals(9001, o.http().port(), "system properties come after environment variables");
    assertEquals(List.of("x", "y"), o.http().tokens());
  }

  @Test
  void tokensHaveOneRoleEachAndTheEnvironmentGivesEveryList() {
    JsonObject auth =
        new JsonObject()
            .put("tokens", new JsonArray().add("adm"))
            .put("operateTokens", new JsonArray().add("op").add("same"))
            .put("readTokens", new JsonArray().add("same"));
    JsonObject conf = new JsonObject().put("http", new JsonObject().put("auth", auth));
    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> new VertiqOptions(conf));
    String all = String.join("\n", e.errors());
    assertTrue(
        all.contains(
            "http.auth.readTokens[0]: the same token as http.auth.operateTokens[1]: a token has one role"),
        all);
    assertFalse(all.contains("\"same\""), "a token is a secret: " + all);

    JsonObject applied =
        ConfigOverrides.apply(
            new JsonObject(),
            Map.of("VERTIQ_HTTP_AUTH_OPERATE_TOKENS", "o1,o2", "VERTIQ_HTTP_AUTH_READ_TOKENS", "r1")
                ::get,
            k -> null);
    VertiqOptions o = new VertiqOptions(applied);
    assertEquals(List.of("o1", "o2"), o.http().operateTokens());
    assertEquals(List.of("r1"), o.http().readTokens());
    assertTrue(o.http().authEnabled());
    assertFalse(new VertiqOptions(new JsonObject()).http().authEnabled());
  }

  @Test
  void durations() {
    assertEquals(500L, Durations.parseMillis("500ms"));
    assertEquals(30_000L, Durations.parseMillis("30s"));
    assertEquals(120_000L, Durations.parseMillis("2m"));
    assertEquals(3_600_000L, Durations.parseMillis("1h"));
    assertEquals(1500L, Durations.parseMillis(1500));
    assertNull(Durations.parseMillis("ten"));
    assertNull(Durations.parseMillis("-5s"));
    assertEquals("2m", Durations.format(120_000));
    assertEquals("1500ms", Durations.format(1500));
  }

  @Test
  void diffFindsAddedChangedRemoved() {
    JsonObject a =
        new JsonObject()
            .put(
                "queues",
                new JsonObject()
                    .put("same", new JsonObject().put("handler", "echo"))
                    .put("changed", new JsonObject().put("handler", "echo"))
                    .put("gone", new JsonObject().put("handler", "echo")));
    JsonObject b =
        new JsonObject()
            .put(
                "queues",
                new JsonObject()
                    .put("same", new JsonObject().put("handler", "echo"))
                    .put("changed", new JsonObject().put("handler", "echo").put("instances", 2))
                    .put("new", new JsonObject().put("handler", "echo")));
    ConfigDiff d = ConfigDiff.between(new VertiqOptions(a), new VertiqOptions(b));
    assertEquals(List.of("new"), d.added());
    assertEquals(List.of("changed"), d.changed());
    assertEquals(List.of("gone"), d.removed());
    assertFalse(d.redisChanged());
  }

  @Test
  void durabilityWaitsForReplicasWithinTheCommandTimeoutAndNotOnACluster() {
    VertiqOptions ok =
        new VertiqOptions(
            new JsonObject()
                .put(
                    "redis",
                    new JsonObject()
                        .put(
                            "durability",
                            new JsonObject().put("replicas", 1).put("timeout", "250ms"))));
    assertEquals(1, ok.redis().waitReplicas());
    assertEquals(250, ok.redis().waitTimeoutMs());
    assertEquals(
        ok.redis().toJson(),
        new VertiqOptions(new JsonObject().put("redis", ok.redis().toJson())).redis().toJson(),
        "round trip");
    InvalidConfigException slow =
        assertThrows(
            InvalidConfigException.class,
            () ->
                new VertiqOptions(
                    new JsonObject()
                        .put(
                            "redis",
                            new JsonObject()
                                .put(
                                    "durability",
                                    new JsonObject().put("replicas", 1).put("timeout", "5s")))));
    assertTrue(
        String.join(" ", slow.errors()).contains("redis.durability.timeout"),
        slow.errors().toString());
    InvalidConfigException cluster =
        assertThrows(
            InvalidConfigException.class,
            () ->
                new VertiqOptions(
                    new JsonObject()
                        .put(
                            "redis",
                            new JsonObject()
                                .put("type", "cluster")
                                .put("endpoints", new JsonArray().add("redis://10.0.0.1:7000"))
                                .put("durability", new JsonObject().put("replicas", 1)))));
    assertTrue(
        String.join(" ", cluster.errors()).contains("redis.durability.replicas"),
        cluster.errors().toString());
  }
}
