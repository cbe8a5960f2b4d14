package io.vertiq.worker;

import io.vertiq.core.JobFields;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.List;

/**
 * What a running handler stores while it runs, each under its run's lease (refused, false, once the
 * run no longer holds its job): log lines, step results, the iteration's cursor, a wait for a
 * signal, progress. The queue's other calls are {@link WorkerStore}'s.
 */
public final class RunStore {
  private final Redis redis;
  private final Keys keys;

  RunStore(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Most lines and bytes a job's log keeps (the oldest go first). */
  public static final int LOG_LINES = 100;

  static final int LOG_BYTES = 32 * 1024;

  public Future<Boolean> log(String id, String token, String line) {
    return Scripts.run(
            redis,
            Scripts.APPEND_LOG,
            List.of(keys.job(id), keys.active()),
            List.of(id, token, line, Integer.toString(LOG_LINES), Integer.toString(LOG_BYTES)))
        .map(r -> r.toInteger() == 1);
  }

  /** Records a step's result for the run holding the job; false when it no longer holds it. */
  public Future<Boolean> recordStep(String id, String token, String name, String json) {
    return recordField(id, token, JobFields.STEP + name, json);
  }

  /** Records the job's cursor for the run holding it; false when it no longer holds it. */
  public Future<Boolean> recordCursor(String id, String token, String json) {
    return recordField(id, token, JobFields.CURSOR, json);
  }

  private Future<Boolean> recordField(String id, String token, String field, String json) {
    return Scripts.run(
            redis,
            Scripts.RECORD_STEP,
            List.of(keys.job(id), keys.active()),
            List.of(id, token, field, json))
        .map(r -> r.toInteger() == 1);
  }

  /**
   * A run's wait for a signal (see awaitSignal-2.lua): the signal's data when it is there, the time
   * to the deadline when the run parks the job, or lost when the run no longer holds the job.
   */
  public record SignalWait(Kind kind, String data, long parkMs) {
    public enum Kind {
      RECEIVED,
      PARKED,
      LOST
    }
  }

  public Future<SignalWait> awaitSignal(String id, String token, String name, long timeoutMs) {
    return Scripts.run(
            redis,
            Scripts.AWAIT_SIGNAL,
            List.of(keys.job(id), keys.active()),
            List.of(id, token, name, Long.toString(timeoutMs)))
        .map(
            r ->
                switch (r.get(0).toInteger()) {
                  case 2 -> new SignalWait(SignalWait.Kind.RECEIVED, r.get(1).toString(), 0);
                  case 1 -> new SignalWait(SignalWait.Kind.PARKED, null, r.get(1).toLong());
                  default -> new SignalWait(SignalWait.Kind.LOST, null, 0);
                });
  }

  public Future<Boolean> progress(String id, String token, String json) {
    return Scripts.run(
            redis, Scripts.PROGRESS, List.of(keys.job(id), keys.active()), List.of(id, token, json))
        .map(r -> r.toInteger() == 1);
  }
}
