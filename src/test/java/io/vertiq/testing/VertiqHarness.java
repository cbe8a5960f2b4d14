package io.vertiq.testing;

import static io.vertiq.testing.TestSupport.await;

import io.vertiq.JobQueue;
import io.vertiq.Vertiq;
import io.vertiq.config.RedisConfig;
import io.vertiq.config.VertiqOptions;
import io.vertiq.core.VertiqImpl;
import io.vertiq.server.Bootstrap;
import io.vertiq.server.Engines;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * A Vertx, a Redis client for assertions and a deployed Bootstrap on a random key prefix; close()
 * cleans up.
 */
public final class VertiqHarness implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final String prefix = TestSupport.randomPrefix();
  public final String redisUrl;
  public final Redis redis;
  public final Vertiq vertiq;

  /**
   * The engine behind {@link #vertiq}, every feature wired in, for tests of the packages that take
   * it.
   */
  public final VertiqImpl engine;

  private String deployment;

  public VertiqHarness() {
    this(TestRedis.url());
  }

  public VertiqHarness(String redisUrl) {
    this.redisUrl = redisUrl;
    this.redis = Redis.createClient(vertx, redisUrl);
    this.engine =
        Engines.create(
            vertx,
            redis,
            prefix,
            VertiqOptions.DEFAULT_MAX_PAYLOAD,
            RedisConfig.DEFAULT_COMMAND_TIMEOUT_MS);
    this.vertiq = engine;
  }

  /** A conf on this harness's Redis and prefix, HTTP off, with these queues. */
  public JsonObject conf(JsonObject queues) {
    JsonObject c = TestSupport.conf(prefix, queues);
    c.getJsonObject("redis").put("url", redisUrl);
    return c;
  }

  public Bootstrap deploy(JsonObject conf) {
    Bootstrap b = new Bootstrap(null);
    deployment = await(vertx.deployVerticle(b, new DeploymentOptions().setConfig(conf)));
    return b;
  }

  /** The "http" section of a conf serving the API on 127.0.0.1:{@code port}. */
  public static JsonObject http(int port) {
    return new JsonObject().put("enabled", true).put("port", port).put("host", "127.0.0.1");
  }

  /**
   * Takes a deployment the test made itself (a Bootstrap on a conf file, say) so that {@link
   * #close} undeploys it before deleting the keys: a service still running then writes some back
   * (its maintenance pass).
   */
  public void adopt(String deploymentId) {
    deployment = deploymentId;
  }

  public void undeploy() {
    if (deployment != null) await(vertx.undeploy(deployment));
    deployment = null;
  }

  public JobQueue queue(String name) {
    return vertiq.queue(name);
  }

  @Override
  public void close() {
    try {
      undeploy();
    } finally {
      try {
        TestSupport.deleteKeys(redis, prefix);
        await(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      } catch (RuntimeException ignored) {
        // the test's own Redis may be gone already
      }
      await(vertx.close());
    }
  }

  public static JsonObject queue(String handler, int instances, int concurrency) {
    return new JsonObject()
        .put("handler", handler)
        .put("instances", instances)
        .put("concurrency", concurrency);
  }
}
