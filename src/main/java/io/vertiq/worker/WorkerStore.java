package io.vertiq.worker;

import io.vertiq.Job;
import io.vertiq.config.QueueLimits;
import io.vertiq.config.QueueOptions;
import io.vertiq.core.JobCodec;
import io.vertiq.core.JobImpl;
import io.vertiq.redis.FetchJobs;
import io.vertiq.redis.FinishJobs;
import io.vertiq.redis.Keys;
import io.vertiq.redis.RecordRunTimes;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker side of one queue in Redis: reserve, report outcomes, renew and release leases,
 * maintain.
 */
public final class WorkerStore {

  private final Redis redis;
  private final Keys keys;
  private final FetchJobs fetchCall;
  private final FinishJobs finishCall;
  private final RecordRunTimes recordRunTimes;
  private final RunStore runs;
  private final List<String> extendKeys;
  private final List<String> releaseKeys;

  public WorkerStore(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
    this.fetchCall = new FetchJobs(keys);
    this.finishCall = new FinishJobs(keys);
    this.recordRunTimes = new RecordRunTimes(keys);
    this.runs = new RunStore(redis, keys);
    this.extendKeys = List.of(keys.active(), keys.cancels());
    this.releaseKeys =
        List.of(keys.active(), keys.ready(), keys.stats(), keys.wake(), keys.specs());
  }

  /**
   * One command through the shared pool (a stopping worker's CLIENT UNBLOCK, see
   * WakeUpListener#interrupt).
   */
  Future<Response> send(Request request) {
    return redis.send(request);
  }

  /**
   * A finish batch's lease epoch when it is not known: the script then reads every lease of the
   * batch.
   */
  public static final long UNKNOWN_EPOCH = FinishJobs.UNKNOWN_EPOCH;

  public Keys keys() {
    return keys;
  }

  /**
   * What one fetch gave: Redis time, the next delayed run-at (-1 none), the paused flag, the lease
   * epoch its runs report with (see {@link #finish}), the reserved jobs.
   */
  public record Fetched(
      long now,
      long nextDelayedAt,
      boolean paused,
      long leaseEpoch,
      long limitedUntil,
      List<JobImpl> jobs) {
    /**
     * Held back by the global concurrency: fetch again when a run ends (a finish wakes the queue's
     * workers).
     */
    public static final long UNTIL_A_RUN_ENDS = -2;
  }

  /**
   * The token a run reports with: its attempt number, which only the run that holds the job now has
   * (its lease carries it, see leaseScore in lua/includes/lease.lua), plus "u" when the job holds a
   * unique key (the finish script reads the job's hash only for those jobs) and ":" and the group
   * when it has one (its group's count of runs drops, with no read of the hash: tokenParts in
   * lease.lua); a flow child's begins with its parent's queue and id between NULs.
   */
  public static String token(Job job) {
    int attempt = job.attemptsMade();
    JobImpl flowChild = job instanceof JobImpl j && j.parentId() != null ? j : null;
    boolean child = flowChild != null;
    if (job.uniqueKey() != null || job.group() != null || child) {
      // a flow child's token names its parent, so its finish need not read the child's hash
      return (child ? "\0" + flowChild.parentQueue() + "\0" + flowChild.parentId() + "\0" : "")
          + attempt
          + (child ? "f" : "")
          + (job.uniqueKey() != null ? "u" : "")
          + (job.group() != null ? ":" + job.group() : "");
    }
    return attempt >= 0 && attempt < TOKENS.length ? TOKENS[attempt] : Integer.toString(attempt);
  }

  /** The tokens of a job's first runs, made once rather than per run. */
  private static final String[] TOKENS = new String[16];

  static {
    for (int i = 0; i < TOKENS.length; i++) TOKENS[i] = Integer.toString(i);
  }

  /** Sets the limits the fetches apply (see {@link io.vertiq.config.QueueLimits}). */
  public WorkerStore limits(QueueLimits limits) {
    fetchCall.limits(limits);
    return this;
  }

  public Future<Fetched> fetch(int max, long leaseMs) {
    return fetchCall.run(redis, max, leaseMs).map(this::parseFetch);
  }

  /** A fetch's request, for {@link WakeUpListener#await(long, io.vertx.redis.client.Request)}. */
  Request fetchRequest(int max, long leaseMs) {
    return fetchCall.request(max, leaseMs);
  }

  /** Reads a fetch reply (see {@link FetchJobs}), each job made by the codec. */
  Fetched parseFetch(Response r) {
    FetchJobs.Reply<JobImpl> f = FetchJobs.decode(r, jobs);
    return new Fetched(
        f.now(), f.nextDelayedAt(), f.paused(), f.leaseEpoch(), f.limitedUntil(), f.jobs());
  }

  /** How a fetched entry becomes a job: the codec reads the spec string or the hash. */
  private final FetchJobs.Jobs<JobImpl> jobs =
      new FetchJobs.Jobs<>() {
        @Override
        public JobImpl plain(String spec, long now) {
          return JobCodec.fetchedPlain(keys.queue(), JobCodec.spec(spec), now);
        }

        @Override
        public JobImpl hashed(Response fields, String id, int attempt, long now) {
          return JobCodec.fetched(keys.queue(), id, attempt, fields, now);
        }
      };

  /**
   * Reports a batch of outcomes (see {@link FinishJobs}): {@code done} and {@code failed} hold the
   * runs' entries as {@link FinishJobs#done} and {@link FinishJobs#failed} write them.
   */
  public Future<FinishJobs.Reply> finish(
      QueueOptions q, List<String> done, List<String> failed, long leaseEpoch) {
    return finish(q, done, failed, leaseEpoch, 0, 0);
  }

  /**
   * As above, with the waits of the runs started since the last report, for the queue's history.
   */
  public Future<FinishJobs.Reply> finish(
      QueueOptions q,
      List<String> done,
      List<String> failed,
      long leaseEpoch,
      long waitSumMs,
      long waitCount) {
    return finishCall.run(redis, q, done, failed, leaseEpoch, waitSumMs, waitCount);
  }

  /**
   * Renews the leases of running jobs; {@code idTokens} alternates id and token. Returns how many
   * it renewed and the ids among them whose cancel was asked (see extendLeases-2.lua).
   */
  public Future<Extended> extend(long leaseMs, List<String> idTokens) {
    List<String> args = new ArrayList<>(idTokens.size() + 1);
    args.add(Long.toString(leaseMs));
    args.addAll(idTokens);
    return Scripts.run(redis, Scripts.EXTEND, extendKeys, args)
        .map(
            r -> {
              List<String> cancelled = new ArrayList<>(r.size() - 1);
              for (int i = 1; i < r.size(); i++) cancelled.add(r.get(i).toString());
              return new Extended(r.get(0).toLong(), cancelled);
            });
  }

  /** A lease renewal: leases renewed, and the running jobs whose cancel was asked. */
  public record Extended(long count, List<String> cancelled) {}

  /** Puts unfinished jobs back to ready; {@code idTokens} alternates id and attempt token. */
  public Future<Long> release(List<String> idTokens) {
    if (idTokens.isEmpty()) return Future.succeededFuture(0L);
    List<String> args = new ArrayList<>(idTokens.size() + 1);
    args.add(keys.jobPrefix());
    args.addAll(idTokens);
    return Scripts.run(redis, Scripts.RELEASE, releaseKeys, args).map(Response::toLong);
  }

  /**
   * What a running handler stores under its run's lease: log lines, steps, cursor, waits, progress.
   */
  public RunStore runs() {
    return runs;
  }

  /** Adds what an instance counted per job name to the queue's metrics (see RunTimesFlush). */
  public Future<Void> runTimes(List<RecordRunTimes.Entry> entries, long[] waits) {
    return recordRunTimes.run(redis, entries, waits);
  }
}
