package io.vertiq.redis;

import io.vertiq.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds Redis clients from the conf and checks, at start, that the server is reachable (retrying
 * with exponential backoff for {@code redis.startupTimeout}), recent enough, and will not evict job
 * data.
 */
public final class RedisConnector {
  private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);

  /** ZPOPMIN with counts, HSET with many fields and the blocking commands we use need this. */
  static final int[] MIN_VERSION = {6, 2};

  private RedisConnector() {}

  /**
   * The shared client for the conf. On Redis Cluster it keeps in-flight commands one below the pool
   * size, so the client's own slot reloads always find a connection (see {@link BoundedRedis}); on
   * Sentinel it moves to a new master as Sentinel switches it (see {@link MasterFollowingRedis}).
   */
  public static Redis create(Vertx vertx, RedisConfig c) {
    if ("sentinel".equals(c.type()) && "master".equals(c.role()))
      return new MasterFollowingRedis(vertx, options(c));
    Redis client = Redis.createClient(vertx, options(c));
    return "cluster".equals(c.type())
        ? new BoundedRedis(vertx, client, Math.max(1, c.poolSize() - 1))
        : client;
  }

  /** Client options for the shared pool. */
  public static RedisOptions options(RedisConfig c) {
    RedisOptions o =
        new RedisOptions()
            .setType(RedisClientType.valueOf(c.type().toUpperCase()))
            .setEndpoints(new ArrayList<>(c.endpoints()))
            .setMaxPoolSize(c.poolSize())
            .setMaxPoolWaiting(c.maxWaiting())
            .setMaxWaitingHandlers(64 * 1024)
            .setRole(RedisRole.valueOf(c.role().toUpperCase()));
    if (c.masterName() != null) o.setMasterName(c.masterName());
    if (c.user() != null) o.setUser(c.user());
    if (c.password() != null) o.setPassword(c.password());
    if (c.endpoints().stream().anyMatch(e -> e.startsWith("rediss://"))) {
      // hostname verification on unless the conf turns it off: without it any certificate the CA
      // signed would do
      o.getNetClientOptions()
          .setSsl(true)
          .setHostnameVerificationAlgorithm(c.tlsVerifyHost() ? "HTTPS" : "");
      if (c.tlsCaPath() != null)
        o.getNetClientOptions().setTrustOptions(new PemTrustOptions().addCertPath(c.tlsCaPath()));
    }
    return o;
  }

  /**
   * Options for a worker's dedicated blocking connection, never the shared pool: a pool of one, or
   * of two per node on a cluster, where the client reloads its hash slots every second over a
   * second pooled connection while the first is held for the wait (with one, the next wait after an
   * idle second never starts; see BoundedRedis).
   */
  public static RedisOptions blockingOptions(RedisConfig c) {
    return options(c).setMaxPoolSize("cluster".equals(c.type()) ? 2 : 1).setMaxPoolWaiting(8);
  }

  /** Waits until Redis answers PING, then checks its version and eviction policy. */
  public static Future<Void> check(Vertx vertx, Redis redis, RedisConfig c) {
    long deadline = System.currentTimeMillis() + c.startupTimeoutMs();
    Promise<Void> done = Promise.promise();
    ping(vertx, redis, c, deadline, new Backoff(2_000), 1, done);
    return done.future().compose(v -> checkServer(redis, c));
  }

  private static void ping(
      Vertx vertx,
      Redis redis,
      RedisConfig c,
      long deadline,
      Backoff backoff,
      int attempt,
      Promise<Void> done) {
    redis
        .send(Request.cmd(Command.PING))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                done.complete();
                return;
              }
              long left = deadline - System.currentTimeMillis();
              if (left <= 0) {
                done.fail(
                    new IllegalStateException(
                        "Redis at "
                            + c.maskedUrl()
                            + " is not reachable after "
                            + attempt
                            + " attempts in "
                            + c.startupTimeoutMs()
                            + "ms: "
                            + describe(ar.cause())));
                return;
              }
              long delay = Math.max(1, Math.min(backoff.next(), left));
              LOG.warn(
                  "Redis at {} not reachable yet (attempt {}): {}; retrying in {}ms",
                  c.maskedUrl(),
                  attempt,
                  describe(ar.cause()),
                  delay);
              vertx.setTimer(
                  delay, t -> ping(vertx, redis, c, deadline, backoff, attempt + 1, done));
            });
  }

  private static Future<Void> checkServer(Redis redis, RedisConfig c) {
    return redis
        .send(Request.cmd(Command.INFO).arg("server"))
        .compose(
            info -> {
              String version = ServerInfo.field(info.toString(), "redis_version");
              String named = ServerInfo.name(info.toString());
              if (version != null && !atLeast(version, MIN_VERSION)) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "Redis at "
                            + c.maskedUrl()
                            + " is version "
                            + version
                            + "; Vertiq needs "
                            + MIN_VERSION[0]
                            + "."
                            + MIN_VERSION[1]
                            + " or later"));
              }
              LOG.info("Redis at {} is {}", c.maskedUrl(), named);
              return checkScripting(redis, c).compose(ok -> checkPolicy(redis, c));
            });
  }

  /** Warns when Redis may evict job data. */
  private static Future<Void> checkPolicy(Redis redis, RedisConfig c) {
    return redis
        .send(Request.cmd(Command.CONFIG).arg("GET").arg("maxmemory-policy"))
        .map(RedisConnector::policy)
        .otherwise(err -> null) // managed services often disable CONFIG; nothing to check then
        .map(
            policy -> {
              if (policy != null && !"noeviction".equals(policy)) {
                LOG.warn(
                    "!!! Redis maxmemory-policy is '{}': when Redis fills up it will EVICT JOB DATA and jobs will "
                        + "be lost. Set 'maxmemory-policy noeviction' on {} !!!",
                    policy,
                    c.maskedUrl());
              }
              return null;
            });
  }

  /**
   * Every job operation is a Lua script: a server built without scripting, or a user whose ACL
   * lacks {@code @scripting}, would fail every call. Said once, at the start, naming the fix.
   */
  private static Future<Void> checkScripting(Redis redis, RedisConfig c) {
    return redis
        .send(Request.cmd(Command.EVAL).arg("return 1").arg(0))
        .<Void>mapEmpty()
        .recover(
            err ->
                Future.failedFuture(
                    new IllegalStateException(
                        "Redis at "
                            + c.maskedUrl()
                            + " refused a Lua script ("
                            + err.getMessage()
                            + "): Vertiq runs every job operation as a script; use a server with"
                            + " scripting and a user allowed it (ACL: +@scripting)")));
  }

  private static String policy(Response r) {
    if (r == null) return null;
    if (r.size() >= 2) return r.get(1).toString(); // RESP2 array
    Response v = r.get("maxmemory-policy"); // RESP3 map
    return v == null ? null : v.toString();
  }

  static boolean atLeast(String version, int[] min) {
    String[] p = version.split("\\.");
    for (int i = 0; i < min.length; i++) {
      int v = i < p.length ? Integer.parseInt(p[i].replaceAll("\\D.*", "")) : 0;
      if (v != min[i]) return v > min[i];
    }
    return true;
  }

  private static String describe(Throwable t) {
    String msg = t.getMessage();
    return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
