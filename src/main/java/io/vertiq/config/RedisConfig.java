package io.vertiq.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.util.List;
import java.util.Set;

/**
 * The one shared Redis client: where Redis is, how big the pool is, and how long the start may wait
 * for it.
 */
public final class RedisConfig {
  /** Default URL: redis://127.0.0.1:6379. */
  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  /** Default pool size of the shared client: 8 connections. */
  public static final int DEFAULT_POOL_SIZE = 8;

  /** Default requests that may wait for a pooled connection: 4096. */
  public static final int DEFAULT_MAX_WAITING = 4096;

  /** Default time the start keeps retrying an unreachable Redis: 10s. */
  public static final long DEFAULT_STARTUP_TIMEOUT_MS = 10_000;

  /**
   * Default time a producer or admin command may wait for Redis before it fails as unavailable: 3s.
   */
  public static final long DEFAULT_COMMAND_TIMEOUT_MS = 3_000;

  /** Longest command timeout: 10m. */
  public static final long MAX_COMMAND_TIMEOUT_MS = 600_000;

  /** Default key prefix: "vq". */
  public static final String DEFAULT_PREFIX = "vq";

  private static final Set<String> KEYS =
      Set.of(
          "memoryHighWater",
          "url",
          "endpoints",
          "type",
          "masterName",
          "role",
          "poolSize",
          "maxWaiting",
          "startupTimeout",
          "commandTimeout",
          "keyPrefix",
          "password",
          "user",
          "tls",
          "durability");

  private String type = "standalone";
  private List<String> endpoints = List.of(DEFAULT_URL);
  private String masterName;
  private String role = "master";
  private int poolSize = DEFAULT_POOL_SIZE;
  private int maxWaiting = DEFAULT_MAX_WAITING;
  private long startupTimeoutMs = DEFAULT_STARTUP_TIMEOUT_MS;
  private long commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS;
  private String keyPrefix = DEFAULT_PREFIX;
  private String user;
  private String password;
  private String tlsCaPath;
  private boolean tlsVerifyHost = true;

  /** Replicas an enqueue waits for (WAIT) before it answers; 0: none (asynchronous replication). */
  private int waitReplicas;

  private long waitTimeoutMs = 1_000;

  /** The default high-water mark: 90% of Redis's maxmemory. */
  public static final double DEFAULT_MEMORY_HIGH_WATER = 0.9;

  /**
   * Above this share of Redis's maxmemory, enqueues are refused (503) while workers go on draining,
   * before Redis itself refuses writes; 0: off. No maxmemory: off too.
   */
  private double memoryHighWater = DEFAULT_MEMORY_HIGH_WATER;

  public RedisConfig() {}

  static RedisConfig read(ConfReader r) {
    RedisConfig c = new RedisConfig();
    r.rejectUnknown(KEYS);
    String url = r.string("url", null);
    List<String> eps = r.strings("endpoints");
    if (url != null) c.endpoints = List.of(url);
    else if (!eps.isEmpty()) c.endpoints = eps;
    for (String ep : c.endpoints) {
      if (!ep.matches("^(redis|rediss|unix)://.*")) {
        r.errors()
            .add(
                r.path(url != null ? "url" : "endpoints"),
                "expected a redis://, rediss:// or unix:// URL, got \"" + UrlMask.mask(ep) + "\"");
      }
    }
    c.type =
        r.oneOf("type", "standalone", Set.of("standalone", "sentinel", "cluster", "replication"));
    c.masterName = r.string("masterName", null);
    if ("sentinel".equals(c.type) && c.masterName == null) {
      r.errors()
          .add(r.path("masterName"), "expected the sentinel master name when type is \"sentinel\"");
    }
    c.role = r.oneOf("role", "master", Set.of("master", "replica", "sentinel"));
    c.poolSize = r.integer("poolSize", DEFAULT_POOL_SIZE, 1, 1024);
    if ("cluster".equals(c.type) && c.poolSize < 2) {
      // one connection per master stays free for the client's hash-slot reloads (see BoundedRedis)
      r.errors()
          .add(
              r.path("poolSize"),
              "expected at least 2 when type is \"cluster\", got " + c.poolSize);
    }
    c.maxWaiting = r.integer("maxWaiting", DEFAULT_MAX_WAITING, 1, 1_000_000);
    c.startupTimeoutMs = r.millis("startupTimeout", DEFAULT_STARTUP_TIMEOUT_MS, 0);
    c.commandTimeoutMs =
        r.millis("commandTimeout", DEFAULT_COMMAND_TIMEOUT_MS, 10, MAX_COMMAND_TIMEOUT_MS);
    c.keyPrefix = r.string("keyPrefix", DEFAULT_PREFIX);
    if (c.keyPrefix != null && !c.keyPrefix.matches("[A-Za-z0-9._:-]{1,64}")) {
      r.errors()
          .add(
              r.path("keyPrefix"),
              "expected 1 to 64 characters of A-Z a-z 0-9 . _ : -, got \"" + c.keyPrefix + "\"");
    }
    c.user = r.string("user", null);
    c.password = r.secret("password");
    ConfReader durability = r.child("durability");
    durability.rejectUnknown(Set.of("replicas", "timeout"));
    c.waitReplicas = durability.integer("replicas", 0, 0, 16);
    c.waitTimeoutMs = durability.millis("timeout", 1_000, 1, MAX_COMMAND_TIMEOUT_MS);
    if (c.waitReplicas > 0 && "cluster".equals(c.type)) {
      r.errors()
          .add(
              durability.path("replicas"),
              "not supported when type is \"cluster\" (a WAIT counts one shard's replicas)");
    }
    if (c.waitReplicas > 0 && c.waitTimeoutMs >= c.commandTimeoutMs) {
      r.errors()
          .add(
              durability.path("timeout"),
              "expected less than redis.commandTimeout ("
                  + Durations.format(c.commandTimeoutMs)
                  + "), got "
                  + Durations.format(c.waitTimeoutMs));
    }
    c.memoryHighWater = r.decimal("memoryHighWater", DEFAULT_MEMORY_HIGH_WATER, 0, 1);
    ConfReader tls = r.child("tls");
    tls.rejectUnknown(Set.of("caPath", "verifyHost"));
    c.tlsCaPath = tls.string("caPath", null);
    c.tlsVerifyHost = tls.bool("verifyHost", true);
    if (c.tlsCaPath != null && !new File(c.tlsCaPath).canRead()) {
      r.errors().add(tls.path("caPath"), "cannot read the CA file \"" + c.tlsCaPath + "\"");
    }
    return c;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (endpoints.size() == 1) json.put("url", endpoints.get(0));
    else json.put("endpoints", new JsonArray(endpoints));
    json.put("type", type)
        .put("role", role)
        .put("poolSize", poolSize)
        .put("maxWaiting", maxWaiting)
        .put("startupTimeout", Durations.format(startupTimeoutMs))
        .put("commandTimeout", Durations.format(commandTimeoutMs))
        .put("keyPrefix", keyPrefix);
    if (masterName != null) json.put("masterName", masterName);
    if (memoryHighWater != DEFAULT_MEMORY_HIGH_WATER) json.put("memoryHighWater", memoryHighWater);
    if (waitReplicas > 0)
      json.put(
          "durability",
          new JsonObject()
              .put("replicas", waitReplicas)
              .put("timeout", Durations.format(waitTimeoutMs)));
    if (user != null) json.put("user", user);
    if (password != null) json.put("password", password);
    if (tlsCaPath != null || !tlsVerifyHost) {
      JsonObject tls = new JsonObject().put("verifyHost", tlsVerifyHost);
      if (tlsCaPath != null) tls.put("caPath", tlsCaPath);
      json.put("tls", tls);
    }
    return json;
  }

  /** The share of maxmemory above which enqueues are refused; 0 off. */
  public double memoryHighWater() {
    return memoryHighWater;
  }

  public RedisConfig setMemoryHighWater(double share) {
    this.memoryHighWater = share;
    return this;
  }

  /** The first endpoint with any password hidden, for logs and errors. */
  public String maskedUrl() {
    return UrlMask.mask(endpoints.get(0));
  }

  public String type() {
    return type;
  }

  public RedisConfig setType(String type) {
    this.type = type;
    return this;
  }

  public List<String> endpoints() {
    return endpoints;
  }

  public RedisConfig setUrl(String url) {
    this.endpoints = List.of(url);
    return this;
  }

  public RedisConfig setEndpoints(List<String> endpoints) {
    this.endpoints = List.copyOf(endpoints);
    return this;
  }

  public String masterName() {
    return masterName;
  }

  public RedisConfig setMasterName(String masterName) {
    this.masterName = masterName;
    return this;
  }

  public String role() {
    return role;
  }

  public int poolSize() {
    return poolSize;
  }

  public RedisConfig setPoolSize(int poolSize) {
    this.poolSize = poolSize;
    return this;
  }

  public int maxWaiting() {
    return maxWaiting;
  }

  public long startupTimeoutMs() {
    return startupTimeoutMs;
  }

  public RedisConfig setStartupTimeoutMs(long ms) {
    this.startupTimeoutMs = ms;
    return this;
  }

  public long commandTimeoutMs() {
    return commandTimeoutMs;
  }

  public int waitReplicas() {
    return waitReplicas;
  }

  public long waitTimeoutMs() {
    return waitTimeoutMs;
  }

  /**
   * An enqueue waits for this many replicas (up to {@code timeoutMs}) before it answers; 0 for
   * none.
   */
  public RedisConfig setDurability(int replicas, long timeoutMs) {
    this.waitReplicas = replicas;
    this.waitTimeoutMs = timeoutMs;
    return this;
  }

  public RedisConfig setCommandTimeoutMs(long ms) {
    this.commandTimeoutMs = ms;
    return this;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public RedisConfig setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
    return this;
  }

  /**
   * PEM file of the CA that signed the server's certificate (rediss:// URLs), or null for the JVM's
   * trust store.
   */
  public String tlsCaPath() {
    return tlsCaPath;
  }

  /**
   * Whether a rediss:// server's certificate must name the host of the URL: true unless set false.
   */
  public boolean tlsVerifyHost() {
    return tlsVerifyHost;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RedisConfig c && c.toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
