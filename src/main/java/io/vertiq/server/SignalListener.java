package io.vertiq.server;

import io.vertiq.redis.Backoff;
import io.vertiq.redis.Keys;
import io.vertiq.redis.MasterFollowingRedis;
import io.vertiq.schedule.Scheduler;
import io.vertiq.worker.WorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's subscription to what other nodes and producers tell every node, on a connection of its
 * own:
 *
 * <ul>
 *   <li>cancels of running jobs (removeJob-14.lua publishes "queue NUL id"): a cancel reaches the
 *       instance that runs the job, on whichever node, in a Redis round trip. Each goes on to the
 *       node's worker instances of its queue over the local event bus, and the one that runs the
 *       job ends its run. While the subscription is down (Redis away) a worker learns of a cancel
 *       at its next lease renewal instead (extendLeases-2.lua), so a message missed is a cancel
 *       late, not lost;
 *   <li>schedules made, changed or resumed (putSchedule-4.lua publishes the queue's name): the
 *       node's scheduler passes again at once instead of at its idle wait, which stays the backstop
 *       for a message missed;
 *   <li>admin actions for every node (scale or redeploy a queue, JSON): they go to {@link
 *       #CONTROL_ADDRESS}, where the node applies them.
 * </ul>
 */
public final class SignalListener {
  private static final Logger LOG = LoggerFactory.getLogger(SignalListener.class);

  /**
   * Retries of a subscription that cannot be made (Redis away, or a client that cannot subscribe)
   * back off to 30 s.
   */
  private final Backoff reconnect = new Backoff(30_000);

  private final Vertx vertx;
  private final Redis client;
  private final String cancelChannel;
  private final String scheduleChannel;
  private final String controlChannel;

  /**
   * The local address admin actions for every node arrive on (the JSON a node published, see
   * Node#onEveryNode).
   */
  public static final String CONTROL_ADDRESS = "vertiq.internal.control";

  private final DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
  private RedisConnection conn;
  private boolean closed;

  /**
   * Sentinel switched the master: the subscription moves to the new one (PUBLISH reaches one
   * server's subscribers).
   */
  private final MessageConsumer<String> switched;

  public SignalListener(Vertx vertx, RedisOptions options, String prefix) {
    // dropped as a broken connection is: closed, and a new subscription made (closing alone may
    // only hand a pooled
    // connection back, with no end event to resubscribe on)
    this.switched =
        vertx
            .eventBus()
            .localConsumer(
                MasterFollowingRedis.SWITCHED,
                m -> {
                  RedisConnection c = conn;
                  if (c != null)
                    dropped(c, new IllegalStateException("Sentinel switched the master"));
                });
    this.vertx = vertx;
    this.client = Redis.createClient(vertx, options);
    this.cancelChannel = Keys.cancelChannel(prefix);
    this.scheduleChannel = Keys.scheduleChannel(prefix);
    this.controlChannel = Keys.controlChannel(prefix);
  }

  /** Subscribes; completes once subscribed (or failed: it goes on trying in the background). */
  public Future<Void> start() {
    return connect()
        .otherwise(
            err -> {
              retryLater(err);
              return null;
            });
  }

  private Future<Void> connect() {
    if (closed) return Future.succeededFuture();
    return client
        .connect()
        .compose(
            x -> {
              if (closed) {
                x.close();
                return Future.succeededFuture();
              }
              conn = x;
              x.handler(this::onMessage);
              x.exceptionHandler(err -> dropped(x, err));
              x.endHandler(v -> dropped(x, null));
              // one channel a command: a cluster client routes each by itself
              return x.send(Request.cmd(Command.SUBSCRIBE).arg(cancelChannel))
                  .compose(r -> x.send(Request.cmd(Command.SUBSCRIBE).arg(scheduleChannel)))
                  .compose(r -> x.send(Request.cmd(Command.SUBSCRIBE).arg(controlChannel)))
                  .onSuccess(r -> reconnect.reset())
                  .mapEmpty();
            });
  }

  private void onMessage(Response m) {
    // a published message is ["message", channel, payload] (a RESP2 array or a RESP3 push)
    if (m == null || m.size() < 3 || !"message".equals(m.get(0).toString())) return;
    String body = m.get(2).toString();
    String channel = m.get(1).toString();
    if (scheduleChannel.equals(channel)) {
      vertx.eventBus().publish(Scheduler.ADDRESS, body, local);
      return;
    }
    if (controlChannel.equals(channel)) {
      vertx.eventBus().publish(CONTROL_ADDRESS, body, local);
      return;
    }
    int nul = body.indexOf('\0');
    if (nul <= 0) return;
    vertx
        .eventBus()
        .publish(
            WorkerVerticle.cancelAddress(body.substring(0, nul)), body.substring(nul + 1), local);
  }

  private void dropped(RedisConnection x, Throwable err) {
    if (conn != x) return; // closed by close(), or an older connection
    conn = null;
    if (err != null) {
      try {
        x.close();
      } catch (RuntimeException ignored) {
        // closed already: what matters is the next connection
      }
    }
    retryLater(err);
  }

  private void retryLater(Throwable err) {
    if (closed) return;
    LOG.debug(
        "signal subscription down ({}); cancels reach running jobs at their lease renewal meanwhile",
        err == null ? "connection closed" : err.getMessage());
    vertx.setTimer(reconnect.next(), t -> connect().onFailure(this::retryLater));
  }

  public void close() {
    closed = true;
    switched.unregister();
    RedisConnection c = conn;
    conn = null; // its end handler then sees a connection that is no longer current
    if (c != null) c.close();
    client.close();
  }
}
