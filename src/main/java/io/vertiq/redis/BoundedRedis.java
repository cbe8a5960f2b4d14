package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A Redis Cluster client that keeps at most {@code limit} commands in flight and queues the rest.
 *
 * <p>Why: in vertx-redis-client 5.0.7 each {@code send} on a cluster client holds one pooled
 * connection to every master until it completes, and when the hash-slot cache expires (every second
 * by default) the next send first reloads the slots over another pooled connection. With every
 * connection held by sends that wait for that reload, nothing moves again
 * (vert-x3/vertx-redis-client#541, fixed after 5.0.7). Keeping in-flight sends below the pool size
 * leaves each master's pool a free connection for the reload.
 */
final class BoundedRedis implements Redis {
  private final Vertx vertx;
  private final Redis delegate;
  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Queue<Call<?>> waiting = new ConcurrentLinkedQueue<>();

  /** A queued call and the promise its caller holds (completed on the caller's context). */
  private record Call<T>(Supplier<Future<T>> start, PromiseInternal<T> result) {
    Future<T> begin() {
      try {
        return start.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
  }

  BoundedRedis(Vertx vertx, Redis delegate, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    this.vertx = vertx;
    this.delegate = delegate;
    this.limit = limit;
  }

  @Override
  public Future<RedisConnection> connect() {
    return delegate
        .connect(); // a held connection is the caller's to bound; Vertiq only holds its own
    // clients'
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public Future<Response> send(Request command) {
    return bounded(() -> delegate.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return bounded(() -> delegate.batch(commands));
  }

  int inFlight() {
    return inFlight.get();
  }

  private <T> Future<T> bounded(Supplier<Future<T>> call) {
    // the caller's context gets the result, whichever thread ends up starting the call
    PromiseInternal<T> result = ((ContextInternal) vertx.getOrCreateContext()).promise();
    waiting.add(new Call<>(call, result));
    drain();
    return result.future();
  }

  private void drain() {
    while (!waiting.isEmpty()) {
      int n = inFlight.get();
      if (n >= limit) return; // the call that completes next drains again
      if (!inFlight.compareAndSet(n, n + 1)) continue;
      Call<?> next = waiting.poll();
      if (next == null) {
        inFlight.decrementAndGet(); // another thread took it; look again
        continue;
      }
      start(next);
    }
  }

  /**
   * The slot is given back before the caller hears the reply, so whatever the caller sends next can
   * use it.
   */
  private <T> void start(Call<T> call) {
    Future<T> f = call.begin();
    if (f.isComplete()) {
      inFlight
          .decrementAndGet(); // failed at once (client closed): the caller's drain loop goes on,
      // not recursion
      f.onComplete(call.result());
    } else {
      f.onComplete(
          ar -> {
            inFlight.decrementAndGet();
            call.result().handle(ar);
            drain();
          });
    }
  }
}
