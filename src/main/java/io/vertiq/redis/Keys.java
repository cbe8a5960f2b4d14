package io.vertiq.redis;

import java.util.List;

/**
 * Every Redis key name Vertiq uses, and the only place they are built. All keys of a queue carry
 * the queue's hash tag ({@code <prefix>:{<queue>}:...}) so each script touches one slot and runs
 * unchanged on Redis Cluster.
 */
public final class Keys {
  private final String prefix;
  private final String queue;
  private final String base;

  public Keys(String prefix, String queue) {
    this.prefix = prefix;
    this.queue = queue;
    this.base = prefix + ":{" + queue + "}:";
  }

  /**
   * The ids of the nodes that run on this prefix (see io.vertiq.server.NodeRegistry; not
   * hash-tagged).
   */
  public static String nodes(String prefix) {
    return prefix + ":nodes";
  }

  /** One node's entry: a hash that expires unless its heartbeat renews it. */
  public static String node(String prefix, String id) {
    return prefix + ":node:" + id;
  }

  /**
   * The set of every queue name ever enqueued to or configured (not hash-tagged: it spans queues).
   */
  public static String queues(String prefix) {
    return prefix + ":queues";
  }

  public String queue() {
    return queue;
  }

  public String prefix() {
    return prefix;
  }

  /**
   * Ready jobs with a priority, or that came back (released, stalled, retried, due), scored by
   * priority then id.
   */
  public String ready() {
    return base + "ready";
  }

  /**
   * New ready jobs of priority 0, oldest first: the common job costs a list push, not a sorted-set
   * insert.
   */
  public String fifo() {
    return base + "fifo";
  }

  /** Jobs waiting for their run-at time, scored by it. */
  public String delayed() {
    return base + "delayed";
  }

  /** Running jobs, scored by lease deadline. */
  public String active() {
    return base + "active";
  }

  /** Dead jobs, scored by time of death. */
  public String dead() {
    return base + "dead";
  }

  /** Completed jobs kept by retention, scored by finish time. */
  public String completed() {
    return base + "completed";
  }

  /**
   * Queue flags: paused; limitedUntil (a queue-wide "retry later"); maintainedAt, leasedAt,
   * graceUntil (outages).
   */
  public String meta() {
    return base + "meta";
  }

  /**
   * Lifetime counters: enqueued (new jobs), completed, failed (failed runs), retried, deferred
   * ("retry later"), dead, stalled (requeued after an expired lease), released (given back by a
   * stopping worker), removed, revived (dead jobs retried by hand), and reclaimed (jobs taken from
   * the run that held them: stalled and released; the lease epoch of finishJobs), and stale (run
   * results ignored because their run no longer held the job: it outlived its lease).
   */
  public String stats() {
    return base + "stats";
  }

  /** Unique key → id of the job that holds it. */
  public String unique() {
    return base + "uniq";
  }

  /**
   * Idempotency key → id of the job its first enqueue made (kept for {@code
   * JobQueue.IDEMPOTENCY_WINDOW_MS}).
   */
  public String idempotency() {
    return base + "idem";
  }

  /** Idempotency key → the time of its first enqueue, so expired keys are found in order. */
  public String idempotencyTimes() {
    return base + "idem-at";
  }

  /** The keys of the enqueue script, in its order (see enqueueJobs-15.lua). */
  public String[] enqueue() {
    return new String[] {
      ready(),
      delayed(),
      sequence(),
      unique(),
      wake(),
      fifo(),
      idempotency(),
      idempotencyTimes(),
      specs(),
      stats(),
      scheduleNext(),
      scheduleState(),
      active(),
      uniqueUntil(),
      waiting()
    };
  }

  /**
   * Flow parents waiting for their children, by creation time (see enqueueJobs-15.lua,
   * flowChildDone).
   */
  public String waiting() {
    return base + "waiting";
  }

  /**
   * The ends of this queue's flow children, to be told to their parents ("parent queue NUL parent
   * id NUL child id NUL outcome NUL result or error"): a list in the child's slot, drained by every
   * node's flow relay (FlowRelay).
   */
  public String flowOut() {
    return base + "flow-out";
  }

  /**
   * The per-minute history's keys: this, then the minute's number since the epoch (see
   * finishJobs-13.lua).
   */
  public String historyPrefix() {
    return base + "m:";
  }

  /**
   * The run times per job name: this, then "m" and the minute's number since the epoch, or "h" and
   * the hour's (see recordRunTimes-1.lua).
   */
  public String runTimesPrefix() {
    return base + "rt:";
  }

  /** Unique keys held after their job finished (uniqueFor): key -> until when, on Redis time. */
  public String uniqueUntil() {
    return base + "uniq-until";
  }

  /**
   * The rate limit's window: one member per fetch that took jobs, "count:first id", scored by its
   * Redis time.
   */
  public String limiter() {
    return base + "limiter";
  }

  /**
   * Groups known to the queue: those with a waiting or running job, or paused. The other group keys
   * (each group's ready zset, the rotation, runs per group, parked and paused groups) are built by
   * the scripts from the job prefix: see lua/includes/groups.lua.
   */
  public String groupsKnown() {
    return base + "group-known";
  }

  /** Paused groups. */
  public String groupsPaused() {
    return base + "group-paused";
  }

  /** Groups' limits set at run time: group -> "concurrency|rate max|per ms|weight|smooth". */
  public String groupLimits() {
    return base + "group-limits";
  }

  /** The queue's schedules: name → spec JSON (see io.vertiq.schedule.ScheduleSpec). */
  public String schedules() {
    return base + "schedules";
  }

  /** Each active schedule's next fire time: name → Redis ms. */
  public String scheduleNext() {
    return base + "schedule-next";
  }

  /** Each schedule's state: "name:fires" (count), "name:paused", "name:source" (conf or api). */
  public String scheduleState() {
    return base + "schedule-state";
  }

  /** The id sequence. */
  public String sequence() {
    return base + "seq";
  }

  /** Wake-up list that sleeping workers block on; a token means "there may be work". */
  public String wake() {
    return base + "wake";
  }

  /** The last 100 failures: "id|time|message". */
  public String failures() {
    return base + "failures";
  }

  /**
   * Plain jobs' specs (a job with no option set), field = id: such a job has no hash of its own
   * until a run leaves something to keep.
   */
  public String specs() {
    return base + "specs";
  }

  /**
   * Kept completed runs, field = id, value "finished at NUL record" ({@link CompletedRecord}): one
   * HSET per finish batch instead of a write into each job's hash.
   */
  public String done() {
    return base + "done";
  }

  /** Running jobs whose cancel was asked: id -> when (see removeJob-14.lua). */
  public String cancels() {
    return base + "cancel";
  }

  /**
   * The channel on which a cancel of a running job is published to every node, whatever its queue
   * ("queue NUL id"): one subscription per node, not one per queue.
   */
  public static String cancelChannel(String prefix) {
    return prefix + ":cancel";
  }

  /**
   * The channel a made, changed or resumed schedule is told on (its queue's name), so every
   * scheduler passes again.
   */
  public static String scheduleChannel(String prefix) {
    return prefix + ":schedules";
  }

  /**
   * The channel an admin action for every node (scale, redeploy) is told on, as JSON (see
   * Node#onEveryNode).
   */
  public static String controlChannel(String prefix) {
    return prefix + ":control";
  }

  /** Prefix of the job hashes; the scripts append the id. */
  public String jobPrefix() {
    return base + "j:";
  }

  public String job(String id) {
    return jobPrefix() + id;
  }

  /**
   * The state sets in the order the scripts expect them: ready, delayed, active, dead, completed.
   */
  public List<String> stateSets() {
    return List.of(ready(), delayed(), active(), dead(), completed());
  }
}
