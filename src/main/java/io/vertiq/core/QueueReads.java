package io.vertiq.core;

import io.vertiq.Job;
import io.vertiq.JobPage;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.QueueCounts;
import io.vertiq.VertiqException;
import io.vertiq.observe.RunTimeHistogram;
import io.vertiq.redis.GetCounts;
import io.vertiq.redis.GetJobs;
import io.vertiq.redis.Keys;
import io.vertiq.redis.ListJobs;
import io.vertiq.redis.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One queue's reads: a job, many, a page of a state, a search, the counts, the minute history, the
 * last failures.
 */
final class QueueReads {
  private final VertiqImpl vq;
  private final Keys keys;

  QueueReads(VertiqImpl vq, Keys keys) {
    this.vq = vq;
    this.keys = keys;
  }

  private String name() {
    return keys.queue();
  }

  public Future<Job> get(String id) {
    return getMany(List.of(id))
        .compose(
            jobs ->
                jobs.isEmpty()
                    ? Future.failedFuture(
                        VertiqException.notFound("job " + id + " not found in queue " + name()))
                    : Future.succeededFuture(jobs.get(0)));
  }

  /** The jobs that exist among {@code ids}, in that order. */
  Future<List<Job>> getMany(List<String> ids) {
    if (ids.isEmpty()) return Future.succeededFuture(List.of());
    return new GetJobs(keys)
        .run(vq.redis(), ids)
        .map(
            found -> {
              List<Job> jobs = new ArrayList<>(found.size());
              for (GetJobs.Found f : found)
                jobs.add(JobCodec.fromHash(name(), f.id(), JobState.parse(f.state()), f.fields()));
              return jobs;
            });
  }

  public Future<JobPage> list(JobState state, long offset, int limit) {
    if (offset < 0 || offset > JobQueueImpl.MAX_OFFSET) {
      return Future.failedFuture(
          VertiqException.invalid(
              "cursor: expected an offset from 0 to "
                  + JobQueueImpl.MAX_OFFSET
                  + ", got "
                  + offset));
    }
    if (limit < 1 || limit > JobQueueImpl.MAX_PAGE) {
      return Future.failedFuture(
          VertiqException.invalid(
              "limit: expected 1 to " + JobQueueImpl.MAX_PAGE + ", got " + limit));
    }
    ListJobs lists = new ListJobs(keys);
    Future<ListJobs.IdPage> page =
        switch (state) {
          // ready spans the ready zset and the fifo list, in the order workers take jobs
          case READY -> lists.ready(vq.redis(), offset, limit);
          case DELAYED -> lists.of(vq.redis(), keys.delayed(), offset, limit, false);
          case ACTIVE -> lists.of(vq.redis(), keys.active(), offset, limit, false);
          case DEAD -> lists.of(vq.redis(), keys.dead(), offset, limit, true);
          case COMPLETED -> lists.of(vq.redis(), keys.completed(), offset, limit, true);
          case WAITING -> lists.of(vq.redis(), keys.waiting(), offset, limit, false);
        };
    return page.compose(
        p -> {
          String next =
              offset + p.ids().size() < p.total() && p.ids().size() == limit
                  ? Long.toString(offset + p.ids().size())
                  : null;
          return getMany(p.ids()).map(jobs -> new JobPage(state, p.total(), jobs, next));
        });
  }

  public Future<List<Job>> search(String text) {
    if (text == null || text.isEmpty() || text.length() > NewJob.MAX_UNIQUE_KEY) {
      return Future.failedFuture(
          VertiqException.invalid(
              "search: expected 1 to " + NewJob.MAX_UNIQUE_KEY + " characters"));
    }
    return vq.redis()
        .send(Request.cmd(Command.HGET).arg(keys.unique()).arg(text))
        .compose(
            holder -> {
              List<String> ids = new ArrayList<>(List.of(text));
              if (holder != null && !holder.toString().equals(text)) ids.add(holder.toString());
              return getMany(ids);
            });
  }

  /**
   * The last {@code minutes}: minute by minute up to a day (the minute hashes are kept 25 hours),
   * hour by hour beyond (the hour hashes, kept 8 days). Each step's runs completed, failed and
   * dead, its mean wait, and the p50 and p95 of its waits from the workers' wait histograms.
   */
  public Future<JsonObject> history(int minutes) {
    if (minutes < 1 || minutes > JobQueue.HISTORY_MINUTES) {
      return Future.failedFuture(
          VertiqException.invalid(
              "minutes: expected 1 to " + JobQueue.HISTORY_MINUTES + ", got " + minutes));
    }
    boolean hourly = minutes > MINUTE_STEPS_UP_TO;
    long stepMs = hourly ? 3_600_000 : 60_000;
    int steps = hourly ? (minutes + 59) / 60 : minutes;
    String prefix = keys.historyPrefix() + (hourly ? "h" : "");
    return StepHashes.read(vq.redis(), prefix, stepMs, steps)
        .map(h -> historyOf(h.rows(), h.firstStep() * stepMs, stepMs));
  }

  /** Up to this many minutes the history goes minute by minute; beyond, hour by hour. */
  static final int MINUTE_STEPS_UP_TO = 1440;

  private JsonObject historyOf(List<Response> rows, long from, long stepMs) {
    JsonArray completed = new JsonArray(),
        failed = new JsonArray(),
        dead = new JsonArray(),
        wait = new JsonArray(),
        p50 = new JsonArray(),
        p95 = new JsonArray();
    for (Response r : rows) {
      Map<String, String> h = Responses.hash(r);
      completed.add(count(h.get("c")));
      failed.add(count(h.get("f")));
      dead.add(count(h.get("d")));
      long n = count(h.get("wn"));
      wait.add(n == 0 ? null : (double) Math.round(count(h.get("ws")) * 10.0 / n) / 10.0);
      long[] waits = waitBuckets(h);
      p50.add(waits == null ? null : round(RunTimeHistogram.quantile(waits, 0.50)));
      p95.add(waits == null ? null : round(RunTimeHistogram.quantile(waits, 0.95)));
    }
    return new JsonObject()
        .put("queue", name())
        .put("from", from)
        .put("stepMs", stepMs)
        .put("completed", completed)
        .put("failed", failed)
        .put("dead", dead)
        .put("waitMs", wait)
        .put("waitP50Ms", p50)
        .put("waitP95Ms", p95);
  }

  /** A history hash's wait histogram (fields "w<bucket>", see recordRunTimes-1.lua), or null. */
  private static long[] waitBuckets(Map<String, String> h) {
    long[] b = null;
    for (Map.Entry<String, String> e : h.entrySet()) {
      String k = e.getKey();
      if (k.length() < 2 || k.charAt(0) != 'w' || !Character.isDigit(k.charAt(1))) continue;
      int i = Integer.parseInt(k, 1, k.length(), 10);
      if (i < 0 || i > RunTimeHistogram.LAST) continue;
      if (b == null) b = new long[RunTimeHistogram.LAST + 1];
      b[i] += count(e.getValue());
    }
    return b;
  }

  private static double round(double ms) {
    return ms >= 10 ? Math.round(ms) : Math.round(ms * 100) / 100.0;
  }

  private static long count(String v) {
    return v == null ? 0 : Long.parseLong(v);
  }

  public Future<QueueCounts> counts() {
    return counts(0);
  }

  /**
   * The counts, with the jobs started in the queue's rate window of {@code rateWindowMs} (0: not
   * read).
   */
  public Future<QueueCounts> counts(long rateWindowMs) {
    return new GetCounts(keys).read(vq.redis(), rateWindowMs);
  }

  public Future<List<JsonObject>> recentFailures(int limit) {
    return vq.redis()
        .send(Request.cmd(Command.LRANGE).arg(keys.failures()).arg(0).arg(Math.max(0, limit - 1)))
        .map(
            r -> {
              List<JsonObject> out = new ArrayList<>();
              for (Response e : r) {
                String[] p = e.toString().split("\\|", 3);
                if (p.length == 3)
                  out.add(
                      new JsonObject()
                          .put("id", p[0])
                          .put("at", Long.parseLong(p[1]))
                          .put("error", p[2]));
              }
              return out;
            });
  }
}
