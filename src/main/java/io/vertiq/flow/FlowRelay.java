package io.vertiq.flow;

import io.vertiq.Vertiq;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.redis.FlowChildDone;
import io.vertiq.redis.Keys;
import io.vertiq.worker.FlowEnds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's flow relay: brings the ends of flow children (pushed to their queue's flow-out list in
 * the same script that stored the end, so none is lost with the node that ran the child) to their
 * parents, in one flowChildDone-9.lua call per parent queue, then takes them off the list. A
 * delivery is idempotent, so two nodes relaying the same ends, or a relay stopped between the two
 * steps, changes nothing: the next relay, or the next maintenance pass that finds the list not
 * empty, delivers them again. Runs when a worker's report pushed ends, and from maintenance.
 */
public final class FlowRelay {
  private static final Logger LOG = LoggerFactory.getLogger(FlowRelay.class);
  private static final int MOST = 200;
  private final Supplier<Redis> redis;
  private final Supplier<Vertiq> vertiq;
  private final String prefix;
  private final Set<String> running = new HashSet<>();
  private final Set<String> again = new HashSet<>();
  private final MessageConsumer<String> consumer;
  private final Vertx vertx;

  public FlowRelay(Vertx vertx, Supplier<Redis> redis, Supplier<Vertiq> vertiq, String prefix) {
    this.vertx = vertx;
    this.redis = redis;
    this.vertiq = vertiq;
    this.prefix = prefix;
    this.consumer = vertx.eventBus().<String>localConsumer(FlowEnds.ADDRESS, m -> drain(m.body()));
  }

  /**
   * Asks this node's relay to drain a queue's flow-out list (the worker that pushed, maintenance, a
   * batch closed).
   */
  public static void trigger(Vertx vertx, String queue) {
    FlowEnds.pushed(vertx, queue);
  }

  private void drain(String queue) {
    if (!running.add(queue)) {
      again.add(queue); // ends pushed while this drain reads: one more round once it is done
      return;
    }
    Keys keys = new Keys(prefix, queue);
    redis
        .get()
        .send(Request.cmd(Command.LRANGE).arg(keys.flowOut()).arg(0).arg(MOST - 1))
        .compose(list -> deliver(keys, list).map(v -> list.size()))
        .onComplete(
            ar -> {
              running.remove(queue);
              if (ar.failed())
                LOG.debug(
                    "flow relay of queue {}: {} (maintenance tries again)",
                    queue,
                    ar.cause().getMessage());
              if ((ar.succeeded() && ar.result() >= MOST) | again.remove(queue)) drain(queue);
            });
  }

  /**
   * Delivers ends read from {@code keys}' flow-out list, then takes them off it. An end is read as
   * bytes: a completed child's result may be stored compressed (see StoredText), and it goes to the
   * parent, and the entry back to LREM, byte for byte.
   */
  private Future<Void> deliver(Keys keys, Response list) {
    if (list.size() == 0) return Future.succeededFuture();
    Map<String, List<byte[]>> byParentQueue = new LinkedHashMap<>();
    List<Buffer> entries = new ArrayList<>();
    for (Response r : list) {
      Buffer e = r.toBuffer();
      entries.add(e); // one not ours to read is dropped, not retried for ever
      int[] nul = nuls(e, 5);
      if (nul == null) continue;
      String parentQueue = e.getString(0, nul[0], "UTF-8");
      List<byte[]> args = byParentQueue.computeIfAbsent(parentQueue, k -> new ArrayList<>());
      args.add(e.getBytes(nul[0] + 1, nul[1]));
      args.add(
          (e.getString(nul[1] + 1, nul[2], "UTF-8")
                  + ":"
                  + e.getString(nul[2] + 1, nul[3], "UTF-8"))
              .getBytes(StandardCharsets.UTF_8));
      args.add(e.getBytes(nul[3] + 1, nul[4]));
      args.add(e.getBytes(nul[4] + 1, e.length()));
    }
    List<Future<?>> each = new ArrayList<>();
    byParentQueue.forEach((parentQueue, ends) -> each.add(toParents(parentQueue, ends)));
    return Future.all(each)
        .compose(
            v -> {
              List<Request> drop = new ArrayList<>();
              for (Buffer e : entries)
                drop.add(Request.cmd(Command.LREM).arg(keys.flowOut()).arg(1).arg(e));
              return redis.get().batch(drop).mapEmpty();
            });
  }

  /** Where the first {@code n} NULs of an entry are; null when it has fewer. */
  private static int[] nuls(Buffer e, int n) {
    int[] at = new int[n];
    int found = 0;
    for (int i = 0; i < e.length() && found < n; i++) if (e.getByte(i) == 0) at[found++] = i;
    return found == n ? at : null;
  }

  /**
   * One flowChildDone call for the ends of one parent queue; children to remove (policy "remove")
   * are cancelled.
   */
  private Future<Void> toParents(String parentQueue, List<byte[]> ends) {
    return new FlowChildDone(new Keys(prefix, parentQueue))
        .tell(redis.get(), ends)
        .compose(
            told -> {
              events(parentQueue).batch("unblocked", told.unblocked());
              List<Future<?>> removals = new ArrayList<>();
              // deleted when waiting, told and ended when running; one that has finished meanwhile
              // is left
              for (FlowChildDone.Child c : told.removals())
                removals.add(vertiq.get().queue(c.queue()).cancel(c.id()).otherwise(err -> null));
              // a parent that died or was removed here is itself a child: its end waits in its own
              // queue's list
              drain(parentQueue);
              return Future.all(removals).mapEmpty();
            });
  }

  private final Map<String, LifecycleEvents> events = new HashMap<>();

  private LifecycleEvents events(String queue) {
    return events.computeIfAbsent(queue, q -> new LifecycleEvents(vertx.eventBus(), q));
  }

  public void close() {
    consumer.unregister();
  }
}
