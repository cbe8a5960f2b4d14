package io.vertiq;

import io.vertiq.config.ConfReader;
import io.vertiq.config.ConfigErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A flow: a job (on a queue) that runs only once all its children have ended, its handler reading
 * their results ({@link Job#childrenResults()}). Children may be on other queues and may be flows
 * themselves. Built in Java with {@link #of} and {@link #child}, or read from JSON ({"queue",
 * "job", "onChildDead", "children": [...]}) with {@link #fromJson}; enqueued with {@link
 * Vertiq#enqueueFlow}.
 */
public final class Flow {
  /** What happens to a parent when one of its children is dead. */
  public enum OnChildDead {
    /** The parent is dead too, its error naming the child (the default). */
    FAIL,
    /**
     * The child counts as ended: the parent runs once the others have, without that child's result.
     */
    IGNORE,
    /**
     * The parent is deleted, and the children it still waits for are deleted (or cancelled, when
     * running).
     */
    REMOVE;

    public String id() {
      return name().toLowerCase();
    }
  }

  /** Most jobs in one flow, and its deepest nesting. */
  public static final int MAX_JOBS = 10_000;

  public static final int MAX_DEPTH = 32;
  private static final Set<String> FIELDS = Set.of("queue", "job", "onChildDead", "children");

  private final String queue;
  private final NewJob job;
  private final List<Flow> children = new ArrayList<>();
  private OnChildDead onChildDead = OnChildDead.FAIL;

  private Flow(String queue, NewJob job) {
    this.queue = queue;
    this.job = job;
  }

  public static Flow of(String queue, NewJob job) {
    return new Flow(queue, job);
  }

  public Flow child(Flow child) {
    children.add(child);
    return this;
  }

  public Flow onChildDead(OnChildDead policy) {
    this.onChildDead = policy;
    return this;
  }

  public String queue() {
    return queue;
  }

  public NewJob job() {
    return job;
  }

  public List<Flow> children() {
    return List.copyOf(children);
  }

  public OnChildDead onChildDeadPolicy() {
    return onChildDead;
  }

  /**
   * Reads and checks a flow (internal, for the HTTP and event-bus APIs): every problem of its JSON
   * at once, then {@link #validate(String, Set)}; throws INVALID_ARGUMENT naming the paths.
   */
  public static Flow parse(Object json, String path, Set<String> knownQueues) {
    if (!(json instanceof JsonObject o))
      throw VertiqException.invalid(path + ": expected a flow object");
    ConfigErrors errors = new ConfigErrors();
    Flow flow = fromJson(o, path, errors);
    if (!errors.isEmpty()) throw VertiqException.invalid(String.join("; ", errors.messages()));
    flow.validate(path, knownQueues);
    return flow;
  }

  /**
   * Reads a flow; every problem goes to {@code errors} under its path ("body.children[1].queue").
   */
  public static Flow fromJson(JsonObject json, String path, ConfigErrors errors) {
    return read(json, path, errors, 1);
  }

  private static Flow read(JsonObject json, String path, ConfigErrors errors, int depth) {
    ConfReader r = new ConfReader(json, path, errors);
    r.rejectUnknown(FIELDS);
    String queue = r.string("queue", null);
    if (queue == null) errors.add(r.path("queue"), "expected the queue the job goes to");
    Object jobValue = json.getValue("job", new JsonObject());
    NewJob job =
        jobValue instanceof JsonObject o ? NewJob.fromJson(o, r.path("job"), errors) : null;
    if (job == null)
      errors.add(r.path("job"), "expected the job, an object as POST /queues/{queue}/jobs takes");
    Flow f = new Flow(queue, job);
    String policy = r.oneOf("onChildDead", "fail", Set.of("fail", "ignore", "remove"));
    f.onChildDead = OnChildDead.valueOf(policy.toUpperCase());
    Object kids = json.getValue("children");
    if (kids != null && !(kids instanceof JsonArray)) {
      errors.add(r.path("children"), "expected an array of flows");
    } else if (kids != null) {
      if (depth >= MAX_DEPTH) {
        errors.add(r.path("children"), "a flow nests at most " + MAX_DEPTH + " levels");
        return f;
      }
      JsonArray a = (JsonArray) kids;
      for (int i = 0; i < a.size(); i++) {
        String at = r.path("children") + "[" + i + "]";
        if (a.getValue(i) instanceof JsonObject o) f.children.add(read(o, at, errors, depth + 1));
        else errors.add(at, "expected a flow object");
      }
    }
    return f;
  }

  /**
   * Checks what the options alone cannot (internal, used before a flow is written): its size, and
   * that its jobs take no key that could make an enqueue answer with another job (a unique or
   * idempotency key), which would leave a parent waiting for a child that is not its own. Throws
   * naming the first problem.
   */
  public void validate() {
    validate("flow", null);
  }

  /**
   * As {@link #validate()}, naming paths from {@code root}; with {@code knownQueues}, every queue
   * must be one.
   */
  public void validate(String root, Set<String> knownQueues) {
    int[] count = {0};
    check(this, root, count, knownQueues);
  }

  private static void check(Flow f, String path, int[] count, Set<String> known) {
    if (++count[0] > MAX_JOBS)
      throw VertiqException.invalid(path + ": a flow holds at most " + MAX_JOBS + " jobs");
    if (f.queue == null)
      throw VertiqException.invalid(path + ".queue: expected the queue the job goes to");
    if (known != null && !known.contains(f.queue)) {
      throw VertiqException.invalid(
          path
              + ".queue: unknown queue \""
              + f.queue
              + "\" (no such queue in this service's conf)");
    }
    if (f.job == null) throw VertiqException.invalid(path + ".job: expected the job");
    if (f.job.uniqueKey() != null || f.job.idempotencyKey() != null) {
      throw VertiqException.invalid(
          path + ".job: a flow's job takes no uniqueKey or idempotencyKey");
    }
    try {
      f.job.validateOptions();
    } catch (VertiqException e) {
      throw VertiqException.invalid(path + ".job." + e.getMessage());
    }
    for (int i = 0; i < f.children.size(); i++)
      check(f.children.get(i), path + ".children[" + i + "]", count, known);
  }

  /** Every queue the flow's jobs go to, once each. */
  public Set<String> queues() {
    Set<String> out = new TreeSet<>();
    collect(this, out);
    return out;
  }

  private static void collect(Flow f, Set<String> out) {
    out.add(f.queue);
    for (Flow c : f.children) collect(c, out);
  }
}
