package io.vertiq.core;

import io.vertiq.Flow;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.VertiqException;
import io.vertiq.config.Compression;
import io.vertiq.config.RedisConfig;
import io.vertiq.config.VertiqOptions;
import io.vertiq.observe.JobTracing;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertiq.redis.TimedRedis;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Holds what all queues share (client, prefix, payload limit) and the set of queue names already
 * registered.
 */
public final class VertiqImpl implements Vertiq {
  private final Vertx vertx;
  private final Redis redis;
  private final String prefix;
  private final int maxPayloadBytes;
  private final Map<String, JobQueueImpl> queues = new ConcurrentHashMap<>();
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  public VertiqImpl(Vertx vertx, Redis redis, String prefix, int maxPayloadBytes) {
    this(vertx, redis, prefix, maxPayloadBytes, RedisConfig.DEFAULT_COMMAND_TIMEOUT_MS);
  }

  /** Every command of the API answers within {@code commandTimeoutMs} (see {@link TimedRedis}). */
  public VertiqImpl(
      Vertx vertx, Redis redis, String prefix, int maxPayloadBytes, long commandTimeoutMs) {
    this.vertx = vertx;
    this.redis = new TimedRedis(vertx, redis, commandTimeoutMs);
    this.prefix = prefix;
    this.maxPayloadBytes = maxPayloadBytes;
    this.tracing = JobTracing.of(vertx, TracingPolicy.PROPAGATE);
    Scripts.preload();
  }

  private volatile JobTracing tracing;

  /** Whether producers may add jobs now (see {@link Admission}). */
  private volatile Admission admission = Admission.OPEN;

  /**
   * Traces enqueues under {@code policy} (tracing.policy) when Vert.x has a tracer; without one
   * there is nothing to do.
   */
  public VertiqImpl withTracingPolicy(TracingPolicy policy) {
    this.tracing = JobTracing.of(vertx, policy);
    return this;
  }

  /** Null without a tracer. */
  JobTracing tracing() {
    return tracing;
  }

  private volatile Features features = Features.NONE;
  private Features.Flows flows;

  /**
   * The feature packages' part of the API (schedules, groups, flows, batches), as the server wires
   * them.
   */
  public VertiqImpl withFeatures(Features features) {
    this.features = features;
    this.flows = null;
    return this;
  }

  public Features features() {
    return features;
  }

  private synchronized Features.Flows flows() {
    if (flows == null) flows = features.flows().apply(this);
    return flows;
  }

  private volatile Function<String, Compression> compression = q -> Compression.OFF;

  /**
   * Payloads over a queue's threshold are stored compressed, as {@code byQueue} says for each queue
   * (the conf's queues.&lt;q&gt;.compression, read at each enqueue call so a reload holds).
   */
  public VertiqImpl withCompression(Function<String, Compression> byQueue) {
    this.compression = byQueue;
    return this;
  }

  Compression compression(String queue) {
    Compression c = compression.apply(queue);
    return c == null ? Compression.OFF : c;
  }

  private volatile int waitReplicas;
  private volatile long waitTimeoutMs;

  /**
   * Every enqueue waits for {@code replicas} replicas, up to {@code timeoutMs} (redis.durability);
   * 0: none.
   */
  public VertiqImpl withDurability(int replicas, long timeoutMs) {
    this.waitReplicas = replicas;
    this.waitTimeoutMs = timeoutMs;
    return this;
  }

  int waitReplicas() {
    return waitReplicas;
  }

  long waitTimeoutMs() {
    return waitTimeoutMs;
  }

  @Override
  public JobQueue queue(String name) {
    return queueImpl(name);
  }

  public JobQueueImpl queueImpl(String name) {
    if (name == null || !VertiqOptions.QUEUE_NAME.matcher(name).matches()) {
      throw VertiqException.invalid(
          "queue name "
              + (name == null ? "null" : "\"" + name + "\"")
              + ": expected 1 to 128 characters of A-Z a-z 0-9 . _ : -");
    }
    return queues.computeIfAbsent(name, n -> new JobQueueImpl(this, new Keys(prefix, n)));
  }

  @Override
  public Future<List<String>> queueNames() {
    return redis
        .send(Request.cmd(Command.SMEMBERS).arg(Keys.queues(prefix)))
        .map(
            r -> {
              List<String> names = new ArrayList<>();
              if (r != null) for (Response n : r) names.add(n.toString());
              names.sort(null);
              return names;
            });
  }

  @Override
  public Future<Void> register(List<String> names) {
    List<String> fresh = names.stream().filter(n -> !registered.contains(n)).toList();
    if (fresh.isEmpty()) return Future.succeededFuture();
    // many first enqueues at once (a burst of flows on a new queue) share one SADD per name: one
    // each would fill the pool's wait queue
    List<Future<?>> waits = new ArrayList<>();
    List<String> toSend = new ArrayList<>();
    for (String n : fresh) {
      Future<Void> inFlight = registering.get(n);
      if (inFlight != null) waits.add(inFlight);
      else toSend.add(n);
    }
    if (!toSend.isEmpty()) {
      Request req = Request.cmd(Command.SADD).arg(Keys.queues(prefix));
      toSend.forEach(req::arg);
      Future<Void> sent =
          redis
              .send(req)
              .<Void>map(
                  r -> {
                    registered.addAll(toSend);
                    return null;
                  })
              .andThen(ar -> toSend.forEach(registering::remove));
      toSend.forEach(n -> registering.put(n, sent));
      waits.add(sent);
    }
    return Future.all(waits).mapEmpty();
  }

  /** Names whose SADD is on its way (see {@link #register}). */
  private final Map<String, Future<Void>> registering = new ConcurrentHashMap<>();

  /**
   * True once this process has recorded the name, so enqueue adds it to the set only the first
   * time.
   */
  boolean isRegistered(String name) {
    return registered.contains(name);
  }

  @Override
  public String keyPrefix() {
    return prefix;
  }

  /** Sets what says whether producers may add jobs (a node's memory watch). */
  public void admission(Admission a) {
    this.admission = a == null ? Admission.OPEN : a;
  }

  /** Why enqueues are refused now, or null (see {@link Admission}). */
  VertiqException refusal() {
    return admission.refusal();
  }

  @Override
  public Future<JsonObject> enqueueFlow(Flow flow) {
    VertiqException no = refusal();
    if (no != null) return Future.failedFuture(no);
    return flows().enqueue(flow);
  }

  @Override
  public Future<JsonObject> flowTree(String queue, String id) {
    return flows().tree(queue, id);
  }

  @Override
  public Future<JsonObject> openBatch(String queue, NewJob onSuccess, NewJob onComplete) {
    return flows().openBatch(queue, onSuccess, onComplete);
  }

  @Override
  public Future<List<String>> addToBatch(
      String queue, String batchId, String jobsQueue, List<NewJob> jobs) {
    VertiqException no = refusal();
    if (no != null) return Future.failedFuture(no);
    return flows().addToBatch(queue, batchId, jobsQueue, jobs);
  }

  @Override
  public Future<Void> closeBatch(String queue, String batchId) {
    return flows().closeBatch(queue, batchId);
  }

  @Override
  public Future<JsonObject> batch(String queue, String batchId) {
    return flows().batch(queue, batchId);
  }

  public Vertx vertx() {
    return vertx;
  }

  public Redis redis() {
    return redis;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }
}
