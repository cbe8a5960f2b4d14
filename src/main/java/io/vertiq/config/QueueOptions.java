package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * One queue's worker group: which handler runs its jobs, how many worker verticle instances and how
 * many jobs each runs at once, on which threading model, and the queue's retry, timeout, lease and
 * retention. Defaults live here and only here.
 */
public final class QueueOptions {
  /** Most worker verticle instances of one queue on one node: 1024. */
  public static final int MAX_INSTANCES = 1024;

  /** Default worker verticle instances per node: 1. */
  public static final int DEFAULT_INSTANCES = 1;

  /**
   * Default jobs run at once by one instance of a non-blocking queue (event-loop, virtual-thread):
   * 500, which is also the largest batch one fetch takes. A slot of an async handler costs a map
   * entry, and each batch has a fixed cost (a fetch and a finish call, their events) that larger
   * batches spread over more jobs (bin/bench drain: 2 x 200 ran 1.3x as many jobs per second as 2 x
   * 50; 2 x 500 ran 1.13x cold and 1.17x warm as many as 2 x 200, and 2 x 1000 no more than 2 x
   * 500). Lower it for handlers that must not put that many calls in flight on a downstream
   * service, or to spread slow jobs more evenly over many nodes.
   */
  public static final int DEFAULT_CONCURRENCY = 500;

  /**
   * Default for {@code threading: worker}: 20, Vert.x's default worker pool, so no job waits for a
   * thread.
   */
  public static final int DEFAULT_BLOCKING_CONCURRENCY = 20;

  /** Default handler timeout: 30s. */
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  /** Default lease of a fetched job, renewed by heartbeat while it runs: 30s. */
  public static final long DEFAULT_LEASE_MS = 30_000;

  /** Default number of lease expiries (stalls) a job survives before it is dead: 1. */
  public static final int DEFAULT_MAX_STALLED = 1;

  /** Default time running jobs get to finish on a graceful stop: 10s. */
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

  /** Largest result one step of a job stores (see Job#step), in UTF-8 bytes of its JSON: 64 KiB. */
  public static final int DEFAULT_MAX_STEP_BYTES = 65_536;

  /** Default retention of completed jobs: the last 1000. */
  public static final Retention DEFAULT_KEEP_COMPLETED = Retention.count(1000);

  /** Default retention of dead jobs: 7 days. */
  public static final Retention DEFAULT_KEEP_DEAD = Retention.age(7 * 86_400_000L);

  public static final Set<String> THREADING = Set.of("event-loop", "worker", "virtual-thread");
  private static final Set<String> KEYS =
      Set.of(
          "handler",
          "address",
          "instances",
          "concurrency",
          "threading",
          "attempts",
          "backoff",
          "timeout",
          "lease",
          "maxStalled",
          "drainTimeout",
          "maxStepBytes",
          "retention",
          "rateLimit",
          "globalConcurrency",
          "groups",
          "compression",
          "schedules");
  private static final Set<String> RETENTION_KEYS = Set.of("completed", "dead");

  private String handler;
  private String address;
  private int instances = DEFAULT_INSTANCES;
  private int concurrency = DEFAULT_CONCURRENCY;
  private String threading = "event-loop";
  private RetryPolicy retry = RetryPolicy.defaults();
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private long leaseMs = DEFAULT_LEASE_MS;
  private int maxStalled = DEFAULT_MAX_STALLED;
  private long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;
  private int maxStepBytes = DEFAULT_MAX_STEP_BYTES;
  private Retention keepCompleted = DEFAULT_KEEP_COMPLETED;
  private Retention keepDead = DEFAULT_KEEP_DEAD;
  private QueueLimits limits = QueueLimits.NONE;
  private Compression compression = Compression.OFF;
  private Map<String, JsonObject> schedules = Map.of();

  public QueueOptions() {}

  /** Parses and validates, throwing {@link InvalidConfigException} with every error found. */
  public QueueOptions(JsonObject json) {
    ConfigErrors errors = new ConfigErrors();
    read0(new ConfReader(json, "", errors));
    errors.throwIfAny();
  }

  static QueueOptions read(ConfReader r) {
    QueueOptions o = new QueueOptions();
    o.read0(r);
    return o;
  }

  private void read0(ConfReader r) {
    r.rejectUnknown(KEYS);
    handler = r.string("handler", null);
    address = r.string("address", null);
    if (handler == null && address == null) {
      r.errors()
          .add(
              r.path("handler"),
              "expected a handler (a built-in name such as \"echo\" or a JobHandler class name) or an \"address\"");
    } else if (handler != null && address != null) {
      r.errors().add(r.path("address"), "expected either \"handler\" or \"address\", not both");
    }
    instances = r.integer("instances", DEFAULT_INSTANCES, 1, MAX_INSTANCES);
    threading = r.oneOf("threading", "event-loop", THREADING);
    concurrency =
        r.integer(
            "concurrency",
            "worker".equals(threading) ? DEFAULT_BLOCKING_CONCURRENCY : DEFAULT_CONCURRENCY,
            1,
            10_000);
    if ("virtual-thread".equals(threading) && Runtime.version().feature() < 21) {
      r.errors()
          .add(
              r.path("threading"),
              "\"virtual-thread\" needs Java 21 or later, this JVM is Java "
                  + Runtime.version().feature()
                  + " (use \"event-loop\" or \"worker\")");
    }
    retry = RetryPolicy.read(r, RetryPolicy.defaults());
    timeoutMs = r.millis("timeout", DEFAULT_TIMEOUT_MS, 1);
    leaseMs = r.millis("lease", DEFAULT_LEASE_MS, 100);
    maxStalled = r.integer("maxStalled", DEFAULT_MAX_STALLED, 0, 1_000_000);
    drainTimeoutMs = r.millis("drainTimeout", DEFAULT_DRAIN_TIMEOUT_MS, 0);
    maxStepBytes = r.integer("maxStepBytes", DEFAULT_MAX_STEP_BYTES, 2, 16 * 1024 * 1024);
    ConfReader ret = r.child("retention");
    ret.rejectUnknown(RETENTION_KEYS);
    keepCompleted = Retention.read(ret, "completed", DEFAULT_KEEP_COMPLETED);
    keepDead = Retention.read(ret, "dead", DEFAULT_KEEP_DEAD);
    limits = QueueLimits.read(r);
    compression = Compression.read(r);
    schedules = QueueSchedules.read(r);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (handler != null) json.put("handler", handler);
    if (address != null) json.put("address", address);
    json.put("instances", instances)
        .put("concurrency", concurrency)
        .put("threading", threading)
        .put("attempts", retry.attempts())
        .put("backoff", retry.backoffJson())
        .put("timeout", Durations.format(timeoutMs))
        .put("lease", Durations.format(leaseMs))
        .put("maxStalled", maxStalled)
        .put("drainTimeout", Durations.format(drainTimeoutMs))
        .put("maxStepBytes", maxStepBytes)
        .put(
            "retention",
            new JsonObject()
                .put("completed", keepCompleted.toConf())
                .put("dead", keepDead.toConf()));
    limits.writeTo(json);
    if (compression.enabled()) json.put("compression", compression.toConf());
    if (!schedules.isEmpty()) {
      JsonObject s = new JsonObject();
      schedules.forEach((name, spec) -> s.put(name, spec.copy()));
      json.put("schedules", s);
    }
    return json;
  }

  public String handler() {
    return handler;
  }

  public QueueOptions setHandler(String handler) {
    this.handler = handler;
    return this;
  }

  public String address() {
    return address;
  }

  public QueueOptions setAddress(String address) {
    this.address = address;
    return this;
  }

  public int instances() {
    return instances;
  }

  public QueueOptions setInstances(int instances) {
    this.instances = instances;
    return this;
  }

  public int concurrency() {
    return concurrency;
  }

  public QueueOptions setConcurrency(int concurrency) {
    this.concurrency = concurrency;
    return this;
  }

  public String threading() {
    return threading;
  }

  public QueueOptions setThreading(String threading) {
    this.threading = threading;
    return this;
  }

  public RetryPolicy retry() {
    return retry;
  }

  public QueueOptions setRetry(RetryPolicy retry) {
    this.retry = retry;
    return this;
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  public QueueOptions setTimeoutMs(long timeoutMs) {
    this.timeoutMs = timeoutMs;
    return this;
  }

  public long leaseMs() {
    return leaseMs;
  }

  public QueueOptions setLeaseMs(long leaseMs) {
    this.leaseMs = leaseMs;
    return this;
  }

  public int maxStalled() {
    return maxStalled;
  }

  public QueueOptions setMaxStalled(int maxStalled) {
    this.maxStalled = maxStalled;
    return this;
  }

  public long drainTimeoutMs() {
    return drainTimeoutMs;
  }

  /** Largest result a step of this queue's jobs stores, in UTF-8 bytes of its JSON. */
  public int maxStepBytes() {
    return maxStepBytes;
  }

  public QueueOptions setMaxStepBytes(int maxStepBytes) {
    this.maxStepBytes = maxStepBytes;
    return this;
  }

  public QueueOptions setDrainTimeoutMs(long drainTimeoutMs) {
    this.drainTimeoutMs = drainTimeoutMs;
    return this;
  }

  public Retention keepCompleted() {
    return keepCompleted;
  }

  public QueueOptions setKeepCompleted(Retention keepCompleted) {
    this.keepCompleted = keepCompleted;
    return this;
  }

  public Retention keepDead() {
    return keepDead;
  }

  /** The queue's rate limit and global concurrency across every node (none by default). */
  public Compression compression() {
    return compression;
  }

  public QueueLimits limits() {
    return limits;
  }

  public QueueOptions setLimits(QueueLimits limits) {
    this.limits = limits;
    return this;
  }

  /**
   * The schedules the conf declares for this queue, by name (validated by the schedule package's
   * check, see ConfChecks).
   */
  public Map<String, JsonObject> schedules() {
    return schedules;
  }

  public QueueOptions setKeepDead(Retention keepDead) {
    this.keepDead = keepDead;
    return this;
  }

  /**
   * Two groups are the same deployment exactly when their conf is the same, schedules aside: those
   * are reconciled in Redis on their own, with no need to redeploy the queue's workers.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof QueueOptions q && q.workerJson().equals(workerJson());
  }

  @Override
  public int hashCode() {
    return workerJson().hashCode();
  }

  private JsonObject workerJson() {
    JsonObject json = toJson();
    json.remove("schedules");
    return json;
  }
}
