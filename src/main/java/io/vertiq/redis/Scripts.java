package io.vertiq.redis;

import io.vertiq.VertiqException;
import io.vertiq.config.Durations;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The queue's scripts, loaded once per JVM, and the one way to call them: EVALSHA, falling back to
 * EVAL (which also caches the script) when Redis answers NOSCRIPT after a restart, failover or
 * SCRIPT FLUSH.
 */
public final class Scripts {
  public static final LuaScript ENQUEUE = LuaScript.load("enqueueJobs-15");
  public static final LuaScript FETCH = LuaScript.load("fetchJobs-9");
  public static final LuaScript FINISH = LuaScript.load("finishJobs-13");
  public static final LuaScript EXTEND = LuaScript.load("extendLeases-2");
  public static final LuaScript RELEASE = LuaScript.load("releaseJobs-5");
  public static final LuaScript MAINTAIN = LuaScript.load("maintainQueue-13");
  public static final LuaScript REMOVE = LuaScript.load("removeJob-14");
  public static final LuaScript RETRY_DEAD = LuaScript.load("retryDead-5");
  public static final LuaScript CLEAR_FINISHED = LuaScript.load("clearFinished-3");
  public static final LuaScript BATCH_ADD = LuaScript.load("batchAdd-1");
  public static final LuaScript BATCH_CLOSE = LuaScript.load("batchClose-4");
  public static final LuaScript FLOW_CHILD_DONE = LuaScript.load("flowChildDone-9");
  public static final LuaScript SET_PAUSED = LuaScript.load("setPaused-2");
  public static final LuaScript COUNTS = LuaScript.load("getCounts-11");
  public static final LuaScript GET_JOBS = LuaScript.load("getJobs-7");
  public static final LuaScript LIST = LuaScript.load("listJobs-1");
  public static final LuaScript LIST_READY = LuaScript.load("listReady-2");
  public static final LuaScript PROGRESS = LuaScript.load("updateProgress-2");
  public static final LuaScript DUE_SCHEDULES = LuaScript.load("dueSchedules-2");
  public static final LuaScript PUT_SCHEDULE = LuaScript.load("putSchedule-4");
  public static final LuaScript REMOVE_SCHEDULE = LuaScript.load("removeSchedule-4");
  public static final LuaScript LIST_SCHEDULES = LuaScript.load("listSchedules-3");
  public static final LuaScript LIST_GROUPS = LuaScript.load("listGroups-1");
  public static final LuaScript CHANGE_JOB = LuaScript.load("changeJob-6");
  public static final LuaScript APPEND_LOG = LuaScript.load("appendLog-2");
  public static final LuaScript RECORD_STEP = LuaScript.load("recordStep-2");
  public static final LuaScript AWAIT_SIGNAL = LuaScript.load("awaitSignal-2");
  public static final LuaScript SIGNAL = LuaScript.load("signalJob-7");
  public static final LuaScript SET_GROUP_PAUSED = LuaScript.load("setGroupPaused-2");
  public static final LuaScript SET_GROUP_LIMITS = LuaScript.load("setGroupLimits-3");
  public static final LuaScript RECORD_RUN_TIMES = LuaScript.load("recordRunTimes-1");

  private Scripts() {}

  /**
   * Loads every script (this class's initialization: reading them from the jar and hashing them):
   * called where a producer or worker starts, so that its first enqueue or fetch does not wait for
   * it.
   */
  public static void preload() {}

  /** Runs a script; keys must number exactly {@link LuaScript#numKeys()}. */
  public static Future<Response> run(
      Redis redis, LuaScript script, List<String> keys, List<String> args) {
    return run(redis, script, keys.toArray(new String[0]), args.toArray(new String[0]));
  }

  /**
   * {@link #run(Redis, LuaScript, List, List)} for the hot paths (fetch, finish), which build
   * arrays: the request is then built by loops over arrays, with no call on a List whose class
   * differs from caller to caller (List.of's classes here, an ArrayList there). Those calls made C2
   * throw this code away and compile it again, three times in a cold drain.
   */
  public static Future<Response> run(Redis redis, LuaScript script, String[] keys, String[] args) {
    return run(redis, script, keys, utf8(args));
  }

  /**
   * {@link #run(Redis, LuaScript, String[], String[])} with arguments already encoded (enqueue
   * writes bytes).
   */
  public static Future<Response> run(Redis redis, LuaScript script, String[] keys, byte[][] args) {
    if (keys.length != script.numKeys()) {
      return Future.failedFuture(
          new IllegalArgumentException(script.name() + " takes " + script.numKeys() + " keys"));
    }
    return redis
        .send(request(Command.EVALSHA, script.sha(), keys, args))
        .recover(
            err -> {
              String msg = err.getMessage();
              if (msg != null && msg.startsWith("NOSCRIPT")) {
                return redis.send(request(Command.EVAL, script.body(), keys, args));
              }
              return Future.failedFuture(err);
            });
  }

  /**
   * {@link #run(Redis, LuaScript, String[], byte[][])}, then WAIT for {@code replicas} replicas (up
   * to {@code timeoutMs}) on the same connection, so the wait counts this script's writes. Fails
   * with UNAVAILABLE when fewer acknowledged them in time: the writes are on the master, and a
   * failover now could lose them.
   */
  public static Future<Response> runReplicated(
      Redis redis, LuaScript script, String[] keys, byte[][] args, int replicas, long timeoutMs) {
    Request wait = Request.cmd(Command.WAIT).arg(replicas).arg(timeoutMs);
    return redis
        .batch(List.of(request(Command.EVALSHA, script.sha(), keys, args), wait))
        .recover(
            err -> {
              String msg = err.getMessage();
              // a batch's error names the failed command's index first ("ERR [0] NOSCRIPT ...")
              if (msg != null && msg.contains("NOSCRIPT"))
                return redis.batch(List.of(request(Command.EVAL, script.body(), keys, args), wait));
              return Future.failedFuture(err);
            })
        .compose(
            r -> {
              long acked = r.get(1).toLong();
              if (acked >= replicas) return Future.succeededFuture(r.get(0));
              return Future.failedFuture(
                  new VertiqException(
                      VertiqException.Code.UNAVAILABLE,
                      "stored on the master, "
                          + "but acknowledged by "
                          + acked
                          + " of the "
                          + replicas
                          + " replicas redis.durability asks for within "
                          + Durations.format(timeoutMs)
                          + ": retry with the same idempotencyKey"));
            });
  }

  /** The EVALSHA request of a script, to send on a connection of the caller's choice. */
  public static Request evalsha(LuaScript script, String[] keys, String[] args) {
    return request(Command.EVALSHA, script.sha(), keys, utf8(args));
  }

  /**
   * What Request.arg(String) does to each argument, done up front so that one request builder
   * serves all.
   */
  private static byte[][] utf8(String[] args) {
    byte[][] out = new byte[args.length][];
    for (int i = 0; i < args.length; i++) out[i] = args[i].getBytes(StandardCharsets.UTF_8);
    return out;
  }

  private static Request request(Command cmd, String first, String[] keys, byte[][] args) {
    // built with arg(), as the client builds its own commands: the client's encoder then only ever
    // sees one kind
    // of argument list, so its compiled code is not thrown away and recompiled when a second kind
    // turns up (that
    // recompilation alone took 0.3-0.6 s of a cold drain's JIT time)
    Request r = Request.cmd(cmd).arg(first).arg(keys.length);
    for (String k : keys) r.arg(k);
    for (byte[] a : args) r.arg(a);
    return r;
  }
}
