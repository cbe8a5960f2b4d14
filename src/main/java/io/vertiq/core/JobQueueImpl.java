package io.vertiq.core;

import io.vertiq.EnqueueResult;
import io.vertiq.GroupLimits;
import io.vertiq.Job;
import io.vertiq.JobNameMetrics;
import io.vertiq.JobPage;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.QueueCounts;
import io.vertiq.VertiqException;
import io.vertiq.config.InvalidConfigException;
import io.vertiq.observe.LifecycleEvents;
import io.vertiq.redis.Keys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The producer and admin side of one queue; each operation is one script call (one round trip). */
public final class JobQueueImpl implements JobQueue {
  /** Most jobs one state listing returns. */
  public static final int MAX_PAGE = 500;

  /** Largest listing offset: a Redis collection holds at most 2^32 - 1 members. */
  public static final long MAX_OFFSET = 4_294_967_295L;

  private final VertiqImpl vq;
  private final Keys keys;
  private final LifecycleEvents events;
  private final Enqueuer enqueuer;
  private final QueueAdmin admin;
  private final QueueReads reads;
  private final RunTimeReads runTimes;

  JobQueueImpl(VertiqImpl vq, Keys keys) {
    this.vq = vq;
    this.keys = keys;
    this.events = new LifecycleEvents(vq.vertx().eventBus(), keys.queue());
    this.enqueuer = new Enqueuer(vq, keys, events);
    this.admin = new QueueAdmin(vq, keys, events);
    this.reads = new QueueReads(vq, keys);
    this.runTimes = new RunTimeReads(vq, keys);
  }

  @Override
  public String name() {
    return keys.queue();
  }

  public Keys keys() {
    return keys;
  }

  /**
   * Most jobs of a bulk in one script call: a larger bulk is split, so no call holds Redis for
   * long.
   */
  public static final int JOBS_PER_CALL = Enqueuer.JOBS_PER_CALL;

  /** Most jobs of one bulk enqueue (see the README's limits). */
  public static final int MAX_BULK = JobQueue.MAX_BULK;

  @Override
  public Future<EnqueueResult> enqueue(NewJob job) {
    return enqueuer.enqueue(job);
  }

  @Override
  public Future<List<EnqueueResult>> enqueueBulk(List<NewJob> jobs) {
    return enqueuer.enqueueBulk(jobs);
  }

  /**
   * A flow's jobs, children of {@code parentQueue}/{@code parentId} (see {@link
   * FlowEnqueuer#enqueueFlowJobs}).
   */
  public Future<List<String>> enqueueFlowJobs(
      String parentQueue, String parentId, List<NewJob> jobs, List<String> flows) {
    return enqueuer.flows().enqueueFlowJobs(parentQueue, parentId, jobs, flows, false);
  }

  /** With {@code self}, the first job is a parent and the others its children, in one call. */
  public Future<List<String>> enqueueFlowJobs(
      String parentQueue, String parentId, List<NewJob> jobs, List<String> flows, boolean self) {
    return enqueuer.flows().enqueueFlowJobs(parentQueue, parentId, jobs, flows, self);
  }

  /**
   * A root flow on this queue whose children are leaves on it too, written with others in one call
   * (see {@link FlowEnqueuer#enqueueFlow}).
   */
  public Future<List<String>> enqueueFlow(List<NewJob> jobs, List<String> flows) {
    return enqueuer.flows().enqueueFlow(jobs, flows);
  }

  /** Records a flow parent's children (the tree's reads and the "remove" policy follow them). */
  public Future<Void> setChildren(String id, List<String[]> children) {
    return enqueuer.flows().setChildren(id, children);
  }

  /**
   * A schedule's fire, as the scheduler enqueues it: the schedule, its claim's end, its next fire,
   * its jobs.
   */
  public record Fire(String schedule, long claimEnd, long nextFireAt, List<NewJob> jobs) {}

  /**
   * Enqueues schedules' fires and advances the schedules in the same calls (see {@link
   * Enqueuer#enqueueFires}).
   */
  public Future<Void> enqueueFires(List<Fire> fires) {
    return enqueuer.enqueueFires(fires);
  }

  private ResultWaiter results;

  @Override
  public Future<Job> awaitResult(String id, long timeoutMs) {
    synchronized (this) {
      if (results == null) results = new ResultWaiter(vq.vertx(), this);
    }
    return results.await(id, timeoutMs);
  }

  private Features.Schedules scheduleStore() {
    return vq.features().schedules().apply(vq.redis(), keys);
  }

  @Override
  public Future<JsonObject> schedule(String name, JsonObject spec) {
    try {
      return scheduleStore().put(name, spec, "api");
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    } catch (InvalidConfigException e) {
      return Future.failedFuture(VertiqException.invalid(String.join("; ", e.errors())));
    }
  }

  @Override
  public Future<JsonArray> schedules() {
    return scheduleStore().list();
  }

  @Override
  public Future<Boolean> unschedule(String name) {
    return Failures.attempt(() -> scheduleStore().remove(name));
  }

  @Override
  public Future<JsonObject> pauseSchedule(String name, boolean paused) {
    return Failures.attempt(() -> scheduleStore().setPaused(name, paused));
  }

  @Override
  public Future<EnqueueResult> triggerSchedule(String name) {
    return scheduleStore().job(name).compose(this::enqueue);
  }

  private Features.Groups groupStore() {
    return vq.features().groups().apply(vq.redis(), keys);
  }

  @Override
  public Future<JsonObject> groups(String cursor, int limit) {
    return Failures.attempt(() -> groupStore().page(cursor, limit));
  }

  @Override
  public Future<JsonObject> group(String name) {
    return Failures.attempt(() -> groupStore().get(name));
  }

  @Override
  public Future<JsonObject> pauseGroup(String name, boolean paused) {
    return Failures.attempt(() -> groupStore().setPaused(name, paused));
  }

  @Override
  public Future<JsonObject> setGroupLimits(String name, GroupLimits limits) {
    if (limits == null)
      return Future.failedFuture(VertiqException.invalid("limits: expected them"));
    return Failures.attempt(() -> groupStore().setLimits(name, limits));
  }

  @Override
  public Future<JsonObject> clearGroupLimits(String name) {
    return Failures.attempt(() -> groupStore().setLimits(name, null));
  }

  @Override
  public Future<String> signal(String id, String name, Object data) {
    return admin.signal(id, name, data);
  }

  @Override
  public Future<JobState> cancel(String id) {
    return admin.cancel(id);
  }

  @Override
  public Future<Boolean> remove(String id) {
    return admin.remove(id);
  }

  @Override
  public Future<Long> retryDead(List<String> ids) {
    return admin.retryDead(ids);
  }

  @Override
  public Future<Long> clearDead() {
    return admin.clearDead();
  }

  @Override
  public Future<Long> clean(JobState state, long olderThanMs) {
    return admin.clean(state, olderThanMs);
  }

  @Override
  public Future<Void> pause() {
    return admin.pause();
  }

  @Override
  public Future<Void> resume() {
    return admin.resume();
  }

  @Override
  public Future<JobState> promote(String id) {
    return admin.promote(id);
  }

  @Override
  public Future<JobState> setPriority(String id, int priority) {
    return admin.setPriority(id, priority);
  }

  @Override
  public Future<JobState> setRunAt(String id, long epochMs) {
    return admin.setRunAt(id, epochMs);
  }

  @Override
  public Future<Job> get(String id) {
    return reads.get(id);
  }

  /** The jobs that exist among {@code ids}, in that order. */
  Future<List<Job>> getMany(List<String> ids) {
    return reads.getMany(ids);
  }

  @Override
  public Future<JobPage> list(JobState state, long offset, int limit) {
    return reads.list(state, offset, limit);
  }

  @Override
  public Future<List<Job>> search(String text) {
    return reads.search(text);
  }

  @Override
  public Future<JsonObject> history(int minutes) {
    return reads.history(minutes);
  }

  @Override
  public Future<List<JobNameMetrics>> metricsByName(long windowMs) {
    return runTimes.byName(windowMs);
  }

  @Override
  public Future<QueueCounts> counts() {
    return reads.counts();
  }

  /**
   * The counts, with the jobs started in the queue's rate window of {@code rateWindowMs} (0: not
   * read).
   */
  public Future<QueueCounts> counts(long rateWindowMs) {
    return reads.counts(rateWindowMs);
  }

  @Override
  public Future<List<JsonObject>> recentFailures(int limit) {
    return reads.recentFailures(limit);
  }
}
