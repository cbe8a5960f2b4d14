package io.vertiq.redis;

import io.vertiq.VertiqException;
import io.vertiq.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.List;

/**
 * The producer and admin side's view of the shared client: every command answers within a deadline,
 * and a client-side failure (no connection, no answer in time) becomes a {@link VertiqException}
 * with code UNAVAILABLE.
 *
 * <p>Why: the Redis client has no command timeout of its own, so a stalled Redis (SIGSTOP, a long
 * script on another client, a network black hole) made enqueues wait without end while their
 * producers gave up. A timed out command may still run once Redis answers again; the error says so,
 * and an idempotency key makes the retry safe. Error replies from Redis itself pass through
 * unchanged (the script runner needs NOSCRIPT as it is). Workers do not use this view: a late fetch
 * or report is still right, and their own backoff handles a Redis that is away.
 */
public final class TimedRedis implements Redis {
  private final Vertx vertx;
  private final Redis delegate;
  private final long timeoutMs;

  public TimedRedis(Vertx vertx, Redis delegate, long timeoutMs) {
    this.vertx = vertx;
    this.delegate = delegate;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<RedisConnection> connect() {
    return delegate.connect();
  }

  /** The shared client is its owner's to close (the bootstrap's), never the view's. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Response> send(Request command) {
    return guard(delegate.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return guard(delegate.batch(commands));
  }

  private <T> Future<T> guard(Future<T> call) {
    if (call.isComplete())
      return call.failed() ? Future.failedFuture(translate(call.cause())) : call;
    Promise<T> result = Promise.promise();
    long timer =
        vertx.setTimer(
            timeoutMs,
            t ->
                result.tryFail(
                    new VertiqException(
                        VertiqException.Code.UNAVAILABLE,
                        "Redis did not answer within "
                            + Durations.format(timeoutMs)
                            + "; the command may still be applied when it"
                            + " does (retry an enqueue with the same idempotencyKey to avoid a duplicate)")));
    call.onComplete(
        ar -> {
          vertx.cancelTimer(timer);
          if (ar.succeeded()) result.tryComplete(ar.result());
          else result.tryFail(translate(ar.cause()));
        });
    return result.future();
  }

  private static Throwable translate(Throwable err) {
    if (err instanceof VertiqException
        || (err instanceof Response r && r.type() == ResponseType.ERROR)) return err;
    return new VertiqException(
        VertiqException.Code.UNAVAILABLE, "Redis is unreachable: " + err.getMessage());
  }
}
