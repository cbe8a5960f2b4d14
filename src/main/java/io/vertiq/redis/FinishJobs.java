package io.vertiq.redis;

import io.vertiq.config.QueueOptions;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * finishJobs-13.lua as a Java type: its keys named once, a run's entry written by one method per
 * outcome (so no caller counts positions), its header built from named values, and its reply
 * decoded into {@link Reply}.
 */
public final class FinishJobs {
  /** What a failed run's outcome is; {@link #code} is the word the script reads. */
  public enum Failure {
    /** Retried after the backoff's delay; the run used an attempt. */
    RETRY("r"),
    /** The handler said "retry later": no attempt used. */
    DEFER("l"),
    /** As DEFER, and the whole queue waits as long. */
    DEFER_QUEUE("L"),
    /** Dead: its last attempt, or not to be retried (cancelled). */
    DEAD("d");

    final String code;

    Failure(String code) {
      this.code = code;
    }
  }

  /**
   * What one call stored: completed, retried, dead, stale (a run that no longer held its job), flow
   * ends pushed for the relay, and the flow parents of the queue whose last child ended in it.
   */
  public record Reply(
      long completed, long retried, long dead, long stale, long flowEnds, List<String> unblocked) {}

  /** Values per completed run in {@code done} (see {@link #done}). */
  public static final int DONE_STRIDE = 3;

  /** Values per failed run in {@code failed} (see {@link #failed}). */
  public static final int FAILED_STRIDE = 7;

  /** A batch's lease epoch when it is not known: the script then reads every lease of the batch. */
  public static final long UNKNOWN_EPOCH = -1;

  private static final int HEADER = 12;

  private final Keys keys;
  private final String[] scriptKeys;

  public FinishJobs(Keys keys) {
    this.keys = keys;
    this.scriptKeys =
        new String[] {
          keys.active(),
          keys.delayed(),
          keys.dead(),
          keys.completed(),
          keys.stats(),
          keys.unique(),
          keys.failures(),
          keys.wake(),
          keys.specs(),
          keys.done(),
          keys.meta(),
          keys.uniqueUntil(),
          keys.flowOut()
        };
  }

  /** A completed run's entry: its id, its token, and its record (see JobCodec#completed). */
  public static void done(List<String> done, String id, String token, String record) {
    done.add(id);
    done.add(token);
    done.add(record);
  }

  /**
   * A completed run's entry whose record is bytes (its result stored compressed: see StoredText).
   * The worker's lists hold text, so the bytes travel as one char each behind {@link #BYTES_MARK},
   * which no text record starts with (those start with the attempt's digits); {@link #run} sends
   * them as the bytes they were.
   */
  public static void done(List<String> done, String id, String token, byte[] record) {
    done.add(id);
    done.add(token);
    done.add(BYTES_MARK + new String(record, StandardCharsets.ISO_8859_1));
  }

  private static final char BYTES_MARK = '\uFFFF';

  /** The arguments as Redis gets them: text as UTF-8, a marked record as its bytes. */
  private static byte[][] encode(String[] args) {
    byte[][] out = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      out[i] =
          !a.isEmpty() && a.charAt(0) == BYTES_MARK
              ? a.substring(1).getBytes(StandardCharsets.ISO_8859_1)
              : a.getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  private static boolean anyBytes(List<String> done) {
    for (int i = DONE_STRIDE - 1; i < done.size(); i += DONE_STRIDE) {
      String rec = done.get(i);
      if (!rec.isEmpty() && rec.charAt(0) == BYTES_MARK) return true;
    }
    return false;
  }

  /**
   * A failed run's entry: its id, token, outcome, error and trace, the retry delay and when the run
   * started.
   */
  public static void failed(
      List<String> failed,
      String id,
      String token,
      Failure outcome,
      String error,
      String trace,
      long delayMs,
      String startedAt) {
    failed.add(id);
    failed.add(token);
    failed.add(outcome.code);
    failed.add(error);
    failed.add(trace);
    failed.add(Long.toString(delayMs));
    failed.add(startedAt);
  }

  /**
   * Stores a batch of outcomes. {@code leaseEpoch} is the lease epoch of the batch's oldest run, or
   * {@link #UNKNOWN_EPOCH}: while no job has been taken from its run since, the script trusts the
   * batch's leases without reading them. {@code waitSumMs} and {@code waitCount} are the waits of
   * the runs started since the last report, for the queue's history.
   */
  public Future<Reply> run(
      Redis redis,
      QueueOptions q,
      List<String> done,
      List<String> failed,
      long leaseEpoch,
      long waitSumMs,
      long waitCount) {
    String[] args = new String[HEADER + done.size() + failed.size()];
    args[0] = keys.jobPrefix();
    args[1] = q.keepCompleted().mode();
    args[2] = Long.toString(q.keepCompleted().value());
    args[3] = q.keepDead().mode();
    args[4] = Long.toString(q.keepDead().value());
    args[5] = Integer.toString(done.size() / DONE_STRIDE);
    args[6] = Integer.toString(failed.size() / FAILED_STRIDE);
    args[7] = leaseEpoch == UNKNOWN_EPOCH ? "" : Long.toString(leaseEpoch);
    args[8] =
        Integer.toString(
            (q.limits().globalConcurrency() > 0 ? 1 : 0)
                + (q.limits().groupConcurrency() > 0 ? 2 : 0));
    args[9] = keys.historyPrefix();
    args[10] = Long.toString(waitSumMs);
    args[11] = Long.toString(waitCount);
    // copied by System.arraycopy, not by a loop here that C2 would compile on its own (OSR) first
    System.arraycopy(done.toArray(), 0, args, HEADER, done.size());
    System.arraycopy(failed.toArray(), 0, args, HEADER + done.size(), failed.size());
    Future<Response> call =
        anyBytes(done)
            ? Scripts.run(redis, Scripts.FINISH, scriptKeys, encode(args))
            : Scripts.run(redis, Scripts.FINISH, scriptKeys, args);
    return call.map(
        r ->
            new Reply(
                r.get(0).toLong(),
                r.get(1).toLong(),
                r.get(2).toLong(),
                r.get(3).toLong(),
                r.get(4).toLong(),
                ids(r.get(5))));
  }

  private static List<String> ids(Response r) {
    if (r == null || r.size() == 0) return List.of();
    List<String> out = new ArrayList<>(r.size());
    for (Response id : r) out.add(id.toString());
    return out;
  }
}
