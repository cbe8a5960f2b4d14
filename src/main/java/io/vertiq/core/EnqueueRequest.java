package io.vertiq.core;

import io.vertiq.EnqueueResult;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.config.ConfigErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One enqueue as every transport takes it (HTTP, the event bus): a job object, or an array of jobs
 * for a bulk, parsed and checked with the JSON path of each problem, sent the same way, and
 * answered in the same shape.
 */
public final class EnqueueRequest {
  private final List<NewJob> jobs;
  private final boolean bulk;

  private EnqueueRequest(List<NewJob> jobs, boolean bulk) {
    this.jobs = jobs;
    this.bulk = bulk;
  }

  /**
   * Parses a job ({@code body} an object) or a bulk (an array) whose problems are named under
   * {@code path} ("body[3].priority", "jobs[3].priority"); throws INVALID_ARGUMENT listing every
   * problem.
   */
  public static EnqueueRequest parse(Object body, String path) {
    ConfigErrors errors = new ConfigErrors();
    List<NewJob> jobs = new ArrayList<>();
    String where = path.isEmpty() ? "body" : path;
    if (body instanceof JsonObject o) {
      jobs.add(NewJob.fromJson(o, path, errors));
    } else if (body instanceof JsonArray a) {
      if (a.isEmpty()) errors.add(where, "expected at least one job");
      if (a.size() > JobQueue.MAX_BULK) {
        throw VertiqException.invalid(
            where + ": a bulk holds at most " + JobQueue.MAX_BULK + " jobs, got " + a.size());
      }
      for (int i = 0; i < a.size(); i++) {
        if (a.getValue(i) instanceof JsonObject o)
          jobs.add(NewJob.fromJson(o, where + "[" + i + "]", errors));
        else errors.add(where + "[" + i + "]", "expected a job object");
      }
    } else {
      errors.add(where, "expected a job object or an array of jobs");
    }
    if (!errors.isEmpty()) throw VertiqException.invalid(String.join("; ", errors.messages()));
    return new EnqueueRequest(jobs, body instanceof JsonArray);
  }

  public List<NewJob> jobs() {
    return jobs;
  }

  public boolean bulk() {
    return bulk;
  }

  /**
   * Sends it: a single job joins the other single enqueues of this event-loop turn in one script
   * call.
   */
  public Future<List<EnqueueResult>> send(JobQueue queue) {
    return bulk ? queue.enqueueBulk(jobs) : queue.enqueue(jobs.get(0)).map(List::of);
  }

  /**
   * The answer: {"id", "created"} for a job; {"results": [{"id", "created"}...], "created": n} for
   * a bulk.
   */
  public JsonObject reply(List<EnqueueResult> results) {
    if (!bulk) return results.get(0).toJson();
    JsonArray arr = new JsonArray();
    results.forEach(r -> arr.add(r.toJson()));
    return new JsonObject().put("results", arr).put("created", created(results));
  }

  public static long created(List<EnqueueResult> results) {
    long n = 0;
    for (EnqueueResult r : results) if (r.created()) n++;
    return n;
  }
}
