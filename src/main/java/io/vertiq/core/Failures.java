package io.vertiq.core;

import io.vertiq.VertiqException;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Sorts a failure into what callers are told: a {@link VertiqException} as it is, a Redis error
 * reply that means Redis cannot serve now (full, loading, failing over, busy with a script) as
 * UNAVAILABLE, and anything else as a bug, for which the transports answer INTERNAL with an id that
 * matches one log line. Shared by HTTP and the event bus, so the same failure gets the same answer
 * on both.
 */
public final class Failures {
  /** Error reply prefixes that mean "try again later", not "your request or our code is wrong". */
  private static final Set<String> UNAVAILABLE =
      Set.of(
          "OOM",
          "LOADING",
          "BUSY",
          "READONLY",
          "MASTERDOWN",
          "CLUSTERDOWN",
          "TRYAGAIN",
          "NOAUTH",
          "WRONGPASS",
          "NOPERM",
          "NOREPLICAS",
          "MOVED",
          "ASK");

  private Failures() {}

  /** The failure as callers may be told it, or null when it is unexpected (a bug). */
  public static VertiqException known(Throwable err) {
    if (err instanceof VertiqException e) return e;
    if (err instanceof Response r && r.type() == ResponseType.ERROR) {
      String text = String.valueOf(err.getMessage());
      int space = text.indexOf(' ');
      if (UNAVAILABLE.contains(space < 0 ? text : text.substring(0, space))) {
        return new VertiqException(
            VertiqException.Code.UNAVAILABLE, "Redis cannot serve the command now: " + text);
      }
    }
    return null;
  }

  /**
   * Runs an operation that checks its input before it returns a future, so a bad argument (a thrown
   * {@link VertiqException}) reaches the caller as a failed future, as every other failure does.
   */
  public static <T> Future<T> attempt(Supplier<Future<T>> op) {
    try {
      return op.get();
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    }
  }

  /** A short id for an unexpected failure, logged with it and sent to the caller. */
  public static String newId() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }
}
