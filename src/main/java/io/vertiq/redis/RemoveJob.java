package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;

/**
 * removeJob-14.lua as a Java type: its keys named once, a delete or a cancel, its reply as an
 * {@link Outcome}.
 */
public final class RemoveJob {
  /** What the script did; {@link #code} is the number it answers. */
  public enum Outcome {
    /** Deleted (a cancel: it was waiting to run). */
    DELETED(1),
    /** Cancelled while delayed: deleted. */
    DELETED_DELAYED(3),
    /** Cancelled while waiting for its children (a flow's parent, a batch's callback): deleted. */
    DELETED_WAITING(4),
    /** Running: its cancel is recorded and published to the node that runs it. */
    CANCEL_SENT(2),
    /** No such job. */
    MISSING(0),
    /** A delete of a running job, which would only hide it: refused. */
    RUNNING(-1),
    /** A cancel of a completed or dead job: nothing to cancel. */
    FINISHED(-2);

    final int code;

    Outcome(int code) {
      this.code = code;
    }

    static Outcome of(int code) {
      for (Outcome o : values()) if (o.code == code) return o;
      throw new IllegalStateException("removeJob answered " + code);
    }
  }

  private final Keys keys;

  public RemoveJob(Keys keys) {
    this.keys = keys;
  }

  /** Deletes job {@code id} in any state but running. */
  public Future<Outcome> delete(Redis redis, String id) {
    return run(redis, id, "", "", "");
  }

  /** Cancels job {@code id}: deleted while it waits, told to its node while it runs. */
  public Future<Outcome> cancel(Redis redis, String id) {
    return run(redis, id, "cancel", Keys.cancelChannel(keys.prefix()), keys.queue() + "\0" + id);
  }

  private Future<Outcome> run(Redis redis, String id, String mode, String channel, String message) {
    List<String> k = new ArrayList<>(keys.stateSets());
    k.add(keys.unique());
    k.add(keys.job(id));
    k.add(keys.stats());
    k.add(keys.fifo());
    k.add(keys.specs());
    k.add(keys.done());
    k.add(keys.cancels());
    k.add(keys.uniqueUntil());
    k.add(keys.waiting());
    return Scripts.run(
            redis, Scripts.REMOVE, k, List.of(id, keys.jobPrefix(), mode, channel, message))
        .map(r -> Outcome.of(r.toInteger()));
  }
}
