package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole validated conf: {@code redis}, {@code http}, {@code jobs} limits, {@code reload} and
 * {@code maintenance} timing, and the {@code queues} by name. Parse once in the bootstrap; an
 * invalid conf throws {@link InvalidConfigException} listing every error with its JSON path.
 */
public final class VertiqOptions {
  /** Queue names: letters, digits and . _ : - only, 1 to 128 characters. */
  public static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** Default largest payload: 512 KiB of encoded JSON. */
  public static final int DEFAULT_MAX_PAYLOAD = 512 * 1024;

  /** Default conf file scan period for live reload: 2s (0 turns reload off). */
  public static final long DEFAULT_SCAN_PERIOD_MS = 2_000;

  /** Default maintenance tick (stalled leases, due delayed jobs, retention): 1s. */
  public static final long DEFAULT_MAINTENANCE_MS = 1_000;

  private static final Set<String> KEYS =
      Set.of("redis", "http", "jobs", "reload", "maintenance", "tracing", "metrics", "queues");

  private RedisConfig redis = new RedisConfig();
  private HttpConfig http = new HttpConfig();
  private TracingConfig tracing = new TracingConfig();
  private MetricsConfig metrics = new MetricsConfig();
  private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD;
  private long scanPeriodMs = DEFAULT_SCAN_PERIOD_MS;
  private long maintenanceMs = DEFAULT_MAINTENANCE_MS;
  private Map<String, QueueOptions> queues = new LinkedHashMap<>();

  public VertiqOptions() {}

  /** Parses and validates the whole conf, throwing with every error when anything is wrong. */
  public VertiqOptions(JsonObject json) {
    ConfigErrors errors = new ConfigErrors();
    ConfReader r = new ConfReader(json, "", errors);
    r.rejectUnknown(KEYS);
    redis = RedisConfig.read(r.child("redis"));
    http = HttpConfig.read(r.child("http"));
    tracing = TracingConfig.read(r.child("tracing"));
    metrics = MetricsConfig.read(r.child("metrics"));
    ConfReader jobs = r.child("jobs");
    jobs.rejectUnknown(Set.of("maxPayloadBytes"));
    maxPayloadBytes = jobs.integer("maxPayloadBytes", DEFAULT_MAX_PAYLOAD, 2, Integer.MAX_VALUE);
    ConfReader reload = r.child("reload");
    reload.rejectUnknown(Set.of("scanPeriod"));
    scanPeriodMs = reload.millis("scanPeriod", DEFAULT_SCAN_PERIOD_MS, 0);
    ConfReader maint = r.child("maintenance");
    maint.rejectUnknown(Set.of("interval"));
    maintenanceMs = maint.millis("interval", DEFAULT_MAINTENANCE_MS, 10);
    ConfReader qs = r.child("queues");
    for (String name : qs.json().fieldNames()) {
      if (!QUEUE_NAME.matcher(name).matches()) {
        errors.add(
            qs.path(name),
            "invalid queue name (expected 1 to 128 characters of A-Z a-z 0-9 . _ : -)");
        continue;
      }
      queues.put(name, QueueOptions.read(qs.child(name)));
    }
    errors.throwIfAny();
  }

  public JsonObject toJson() {
    JsonObject qs = new JsonObject();
    queues.forEach((name, q) -> qs.put(name, q.toJson()));
    return new JsonObject()
        .put("redis", redis.toJson())
        .put("http", http.toJson())
        .put("jobs", new JsonObject().put("maxPayloadBytes", maxPayloadBytes))
        .put("reload", new JsonObject().put("scanPeriod", Durations.format(scanPeriodMs)))
        .put("maintenance", new JsonObject().put("interval", Durations.format(maintenanceMs)))
        .put("tracing", tracing.toJson())
        .put("metrics", metrics.toJson())
        .put("queues", qs);
  }

  public RedisConfig redis() {
    return redis;
  }

  public VertiqOptions setRedis(RedisConfig redis) {
    this.redis = redis;
    return this;
  }

  public HttpConfig http() {
    return http;
  }

  public MetricsConfig metrics() {
    return metrics;
  }

  public TracingConfig tracing() {
    return tracing;
  }

  public VertiqOptions setHttp(HttpConfig http) {
    this.http = http;
    return this;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  public VertiqOptions setMaxPayloadBytes(int bytes) {
    this.maxPayloadBytes = bytes;
    return this;
  }

  public long scanPeriodMs() {
    return scanPeriodMs;
  }

  public VertiqOptions setScanPeriodMs(long ms) {
    this.scanPeriodMs = ms;
    return this;
  }

  public long maintenanceMs() {
    return maintenanceMs;
  }

  public VertiqOptions setMaintenanceMs(long ms) {
    this.maintenanceMs = ms;
    return this;
  }

  public Map<String, QueueOptions> queues() {
    return Collections.unmodifiableMap(queues);
  }

  public VertiqOptions putQueue(String name, QueueOptions q) {
    queues.put(name, q);
    return this;
  }
}
