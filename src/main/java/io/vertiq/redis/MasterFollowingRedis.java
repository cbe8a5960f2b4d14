package io.vertiq.redis;

import io.vertiq.config.UrlMask;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared pool on Redis Sentinel, moved to the new master the moment Sentinel switches it, and
 * held still while the switch is under way.
 *
 * <p>Why: the Vert.x Sentinel client asks Sentinel for the master when it opens a connection, and
 * its pooled connections stay where they were. During a failover the old master keeps taking writes
 * after its replica was promoted, until Sentinel announces the switch (about a second later) and
 * later turns the old master into a replica; every write it took meanwhile is lost when it resyncs:
 * with a steady producer, a second of enqueues, all acknowledged. This client subscribes to every
 * sentinel's events. When the leader picks the replica to promote ({@code +selected-slave}) it
 * holds every new command back, up to {@link #HOLD_MS}; at {@code +switch-master} it sends them,
 * and all commands after, through a new pool, which connects to the new master. The old pool closes
 * after {@link #RETIRE_MS}, so commands in flight end. The node's own connections (workers' waits,
 * its subscription) hear of the switch on {@link #SWITCHED} and reconnect. With no sentinel
 * reachable the stock behaviour remains: the old master's connections close when Sentinel demotes
 * it, and reconnect to the new one.
 */
public final class MasterFollowingRedis implements Redis {
  private static final Logger LOG = LoggerFactory.getLogger(MasterFollowingRedis.class);

  /**
   * The local address a switch is told on (the master's name): the connections of their own that
   * the node keeps (workers' waits, its subscription) drop and reconnect, so they too find the new
   * master.
   */
  public static final String SWITCHED = "vertiq.internal.master-switched";

  /** How long a pool replaced by a switch stays open for the commands it was running. */
  static final long RETIRE_MS = 10_000;

  /**
   * Longest hold of commands while a failover is under way (one that is aborted lets them go then).
   */
  static final long HOLD_MS = 5_000;

  private final Vertx vertx;
  private final RedisOptions options;
  private final String masterName;
  private volatile Redis current;
  private final List<Subscription> subscriptions = new ArrayList<>();

  /**
   * Completed when no failover is under way; else when the switch comes (or the hold times out).
   */
  private volatile Future<Void> held = Future.succeededFuture();

  private Promise<Void> hold;
  private String lastSwitch = "";
  private volatile boolean closed;

  MasterFollowingRedis(Vertx vertx, RedisOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.masterName = options.getMasterName();
    this.current = Redis.createClient(vertx, options);
    // every sentinel: the leader of a failover, whichever it is, alone tells which replica it
    // promotes
    for (String endpoint : options.getEndpoints()) subscriptions.add(new Subscription(endpoint));
  }

  /** One sentinel's events, on a connection of its own, resubscribed with backoff when it drops. */
  private final class Subscription {
    private final String endpoint;
    private final Backoff reconnect = new Backoff(30_000);
    private Redis client;
    private RedisConnection conn;
    private boolean warned;

    Subscription(String endpoint) {
      this.endpoint = endpoint;
      subscribe();
    }

    private void subscribe() {
      if (closed) return;
      RedisOptions one =
          new RedisOptions(options)
              .setType(RedisClientType.STANDALONE)
              .setEndpoints(new ArrayList<>(List.of(endpoint)))
              .setMaxPoolSize(1);
      Redis c = Redis.createClient(vertx, one);
      c.connect()
          .compose(
              x -> {
                if (closed) {
                  x.close();
                  return Future.succeededFuture();
                }
                client = c;
                conn = x;
                x.handler(MasterFollowingRedis.this::onMessage);
                x.exceptionHandler(err -> lost(x));
                x.endHandler(v -> lost(x));
                return x.send(
                        Request.cmd(Command.SUBSCRIBE).arg("+selected-slave").arg("+switch-master"))
                    .onSuccess(
                        r -> {
                          reconnect.reset();
                          warned = false;
                        })
                    .mapEmpty();
              })
          .onFailure(
              err -> {
                c.close();
                // once at WARN: while no sentinel can be followed, a failover is followed only as
                // the stock client does
                if (!warned)
                  LOG.warn(
                      "sentinel {}: cannot subscribe to its failover events ({}); retrying",
                      UrlMask.mask(endpoint),
                      err.getMessage());
                else
                  LOG.debug(
                      "sentinel {}: cannot follow failovers ({}); retrying",
                      UrlMask.mask(endpoint),
                      err.getMessage());
                warned = true;
                if (!closed) vertx.setTimer(reconnect.next(), t -> subscribe());
              });
    }

    private void lost(RedisConnection x) {
      if (conn != x) return;
      conn = null;
      client.close();
      if (!closed) vertx.setTimer(reconnect.next(), t -> subscribe());
    }

    void close() {
      if (conn != null) conn.close();
      if (client != null) client.close();
    }
  }

  /**
   * "+selected-slave" carries "slave <name> <ip> <port> @ <master name> <ip> <port>";
   * "+switch-master" carries "<master name> <old ip> <old port> <new ip> <new port>". Each runs on
   * the event loop of its subscription.
   */
  private synchronized void onMessage(Response m) {
    if (m == null || m.size() < 3 || !"message".equals(m.get(0).toString())) return;
    String event = m.get(1).toString();
    String[] parts = m.get(2).toString().split(" ");
    if ("+selected-slave".equals(event)) {
      if (parts.length < 6 || !parts[5].equals(masterName) || hold != null) return;
      Promise<Void> h = Promise.promise();
      hold = h;
      held = h.future();
      LOG.warn(
          "Sentinel fails master {} over to {}:{}: commands held until the switch (at most {} ms)",
          masterName,
          parts[2],
          parts[3],
          HOLD_MS);
      vertx.setTimer(HOLD_MS, t -> release(h));
      return;
    }
    if (parts.length < 5 || !parts[0].equals(masterName)) return;
    String to = parts[3] + ":" + parts[4];
    if (!to.equals(lastSwitch)) { // every sentinel announces it
      lastSwitch = to;
      Redis old = current;
      current = Redis.createClient(vertx, options);
      LOG.warn(
          "Sentinel switched master {} from {}:{} to {}: commands go to the new master from now on",
          masterName,
          parts[1],
          parts[2],
          to);
      vertx.setTimer(RETIRE_MS, t -> old.close());
      vertx.eventBus().publish(SWITCHED, masterName, new DeliveryOptions().setLocalOnly(true));
    }
    if (hold != null) release(hold);
  }

  private synchronized void release(Promise<Void> h) {
    if (hold == h) hold = null;
    h.tryComplete();
  }

  @Override
  public Future<RedisConnection> connect() {
    Future<Void> h = held;
    return h.isComplete() ? current.connect() : h.compose(v -> current.connect());
  }

  @Override
  public Future<Response> send(Request command) {
    Future<Void> h = held;
    return h.isComplete() ? current.send(command) : h.compose(v -> current.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    Future<Void> h = held;
    return h.isComplete() ? current.batch(commands) : h.compose(v -> current.batch(commands));
  }

  @Override
  public Future<Void> close() {
    closed = true;
    subscriptions.forEach(Subscription::close);
    return current.close();
  }
}
