package io.vertiq.server;

import io.vertiq.http.Node;
import io.vertiq.observe.Metrics;
import io.vertiq.observe.Nodes;
import io.vertiq.redis.Keys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's entry in Redis, so every node (and the API and dashboard of any of them) knows the
 * others, whether or not the event bus is clustered: a hash {@code <prefix>:node:<id>} (id, host,
 * pid, version, start, queues with their instances, concurrency and running jobs, running in all,
 * last heartbeat) that expires unless renewed, and the id in the set {@code <prefix>:nodes}. A
 * heartbeat every {@link #HEARTBEAT_MS} renews it; a stop removes it; a node that died drops out
 * when its hash expires ({@link #TTL_MS}). Single-key commands only, so it works on Redis Cluster
 * as it is.
 */
final class NodeRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);
  static final long HEARTBEAT_MS = 2_000;

  /** A node whose hash was not renewed for this long is gone (three missed heartbeats). */
  static final long TTL_MS = 3 * HEARTBEAT_MS;

  /**
   * Beats between two SADDs of an id already enlisted (an idle node's Redis cost is mostly its
   * heartbeats).
   */
  static final long ENLIST_EVERY = 15;

  private final Vertx vertx;
  private final Supplier<Redis> redis;
  private final String prefix;
  private final Node node;
  private final String id;
  private final String host;
  private long timer = -1;
  private long beats;

  NodeRegistry(Vertx vertx, Supplier<Redis> redis, String prefix, Node node) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
    this.node = node;
    this.host = hostName();
    this.id =
        host
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + Long.toHexString(System.nanoTime() & 0xffffff);
  }

  String id() {
    return id;
  }

  Future<Void> start() {
    timer =
        vertx.setPeriodic(
            HEARTBEAT_MS,
            t -> beat().onFailure(err -> LOG.debug("node heartbeat: {}", err.getMessage())));
    return beat();
  }

  Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    Redis r = redis.get();
    return Future.join(
            r.send(Request.cmd(Command.DEL).arg(Keys.node(prefix, id))),
            r.send(Request.cmd(Command.SREM).arg(Keys.nodes(prefix)).arg(id)))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /**
   * Most running jobs a node's entry lists per queue (the entry stays small: it is rewritten every
   * heartbeat).
   */
  static final int JOBS_LISTED = 10;

  /**
   * Writes this node's entry (with up to {@link #JOBS_LISTED} running jobs per queue) and renews
   * its expiry.
   */
  private Future<Void> beat() {
    List<String> names = new ArrayList<>(node.options().queues().keySet());
    List<Future<JsonArray>> jobs = new ArrayList<>();
    for (String q : names) jobs.add(node.deployer().running(q, JOBS_LISTED));
    return Future.join(jobs).transform(ar -> write(names, jobs));
  }

  private Future<Void> write(List<String> names, List<Future<JsonArray>> jobs) {
    JsonObject queues = new JsonObject();
    long running = 0;
    for (int i = 0; i < names.size(); i++) {
      String q = names.get(i);
      JsonObject w = node.deployer().describe(q);
      long r = Metrics.of(q).running.get();
      running += r;
      queues.put(
          q,
          new JsonObject()
              .put("instances", w == null ? 0 : w.getInteger("instances"))
              .put("concurrency", w == null ? 0 : w.getInteger("concurrency"))
              .put("running", r)
              .put("generation", w == null ? 0 : w.getInteger("generation"))
              .put("jobs", jobs.get(i).succeeded() ? jobs.get(i).result() : new JsonArray()));
    }
    String key = Keys.node(prefix, id);
    Request hset =
        Request.cmd(Command.HSET)
            .arg(key)
            .arg("id")
            .arg(id)
            .arg("host")
            .arg(host)
            .arg("pid")
            .arg(ProcessHandle.current().pid())
            .arg("version")
            .arg(version())
            .arg("startedAt")
            .arg(node.startedAt())
            .arg("heartbeatAt")
            .arg(System.currentTimeMillis())
            .arg("queues")
            .arg(queues.encode())
            .arg("running")
            .arg(running);
    Redis r = redis.get();
    boolean enlistAnyway = beats++ % ENLIST_EVERY == 0;
    // the id goes into the set when the hash is new (HSET added its fields: the first beat, or
    // after it expired and a
    // reader dropped the id), and every few beats in case a reader dropped it just as the hash came
    // back
    return r.send(hset)
        .compose(
            added ->
                r.send(Request.cmd(Command.PEXPIRE).arg(key).arg(TTL_MS))
                    .compose(
                        v ->
                            added.toLong() > 0 || enlistAnyway
                                ? r.send(Request.cmd(Command.SADD).arg(Keys.nodes(prefix)).arg(id))
                                : Future.succeededFuture()))
        .mapEmpty();
  }

  /** Every live node's entry (see {@link io.vertiq.observe.Nodes}). */
  static Future<JsonArray> list(Redis redis, String prefix) {
    return Nodes.list(redis, prefix);
  }

  private static String version() {
    String v = NodeRegistry.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
