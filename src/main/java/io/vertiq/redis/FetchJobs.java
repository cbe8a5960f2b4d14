package io.vertiq.redis;

import io.vertiq.config.QueueLimits;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;

/**
 * fetchJobs-9.lua as a Java type: its keys named once, its arguments built from named values (the
 * queue's limits set once), and its reply's layout known here alone: a header, then per job either
 * its spec string (a plain new job) or its hash, id and attempt. The caller says how each becomes a
 * job ({@link Jobs}), so no slot is counted elsewhere and no object is made per job on the way.
 */
public final class FetchJobs {
  /** How the caller makes a job of each kind of entry. */
  public interface Jobs<J> {
    /** A plain new job: its spec string (see the fifo entries of enqueueJobs). */
    J plain(String spec, long now);

    /**
     * A job with a hash: its fields as a field/value array, its id and its attempt (runs started,
     * this one too).
     */
    J hashed(Response fields, String id, int attempt, long now);
  }

  /**
   * A fetch's header and jobs: Redis time, the next delayed run-at (-1 none), the paused flag, the
   * lease epoch the runs report with (see FinishJobs), until when a limit holds the queue back (0
   * none, -2 until a run ends).
   */
  public record Reply<J>(
      long now,
      long nextDelayedAt,
      boolean paused,
      long leaseEpoch,
      long limitedUntil,
      List<J> jobs) {}

  private static final int HEADER = 5;
  private final Keys keys;
  private final String[] scriptKeys;

  /**
   * The queue's limits, as every fetch passes them: rate max and window, global, group concurrency,
   * group rate, and whether the queue's and the groups' rates are smooth.
   */
  private String[] limits = {"0", "0", "0", "0", "0", "0", "0", "0"};

  public FetchJobs(Keys keys) {
    this.keys = keys;
    this.scriptKeys =
        new String[] {
          keys.ready(),
          keys.delayed(),
          keys.active(),
          keys.meta(),
          keys.wake(),
          keys.fifo(),
          keys.stats(),
          keys.specs(),
          keys.limiter()
        };
  }

  /** Sets the limits the fetches apply (enforced by the script, on Redis time). */
  public void limits(QueueLimits l) {
    limits =
        new String[] {
          Integer.toString(l.rateMax()),
          Long.toString(l.ratePerMs()),
          Integer.toString(l.globalConcurrency()),
          Integer.toString(l.groupConcurrency()),
          Integer.toString(l.groupRateMax()),
          Long.toString(l.groupRatePerMs()),
          l.rateSmooth() ? "1" : "0",
          l.groupRateSmooth() ? "1" : "0"
        };
  }

  /** Reserves up to {@code max} jobs with a lease of {@code leaseMs}. */
  public Future<Response> run(Redis redis, int max, long leaseMs) {
    return Scripts.run(redis, Scripts.FETCH, scriptKeys, args(max, leaseMs));
  }

  /** The same call as a request, for a connection of the worker's own (see WakeUpListener). */
  public Request request(int max, long leaseMs) {
    return Scripts.evalsha(Scripts.FETCH, scriptKeys, args(max, leaseMs));
  }

  private String[] args(int max, long leaseMs) {
    return new String[] {
      keys.jobPrefix(),
      Integer.toString(max),
      Long.toString(leaseMs),
      limits[0],
      limits[1],
      limits[2],
      limits[3],
      limits[4],
      limits[5],
      limits[6],
      limits[7]
    };
  }

  /** Reads a reply, making each job as {@code jobs} says. */
  public static <J> Reply<J> decode(Response r, Jobs<J> jobs) {
    long now = r.get(0).toLong();
    List<J> out = new ArrayList<>(r.size() - HEADER);
    for (int i = HEADER; i < r.size(); ) {
      Response first = r.get(i);
      if (first.type() == ResponseType.BULK) {
        out.add(jobs.plain(first.toString(), now));
        i++;
      } else {
        out.add(jobs.hashed(first, r.get(i + 1).toString(), r.get(i + 2).toInteger(), now));
        i += 3;
      }
    }
    return new Reply<>(
        now,
        r.get(1).toLong(),
        r.get(2).toInteger() == 1,
        r.get(3).toLong(),
        r.get(4).toLong(),
        out);
  }
}
