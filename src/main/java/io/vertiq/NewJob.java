package io.vertiq;

import io.vertiq.config.ConfReader;
import io.vertiq.config.ConfigErrors;
import io.vertiq.config.Durations;
import io.vertiq.config.RetryPolicy;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A job to enqueue: name, payload and options. Built fluently from Java or parsed from JSON (HTTP,
 * event bus) with {@link #fromJson}; {@link #validate} names the first bad field. Unset options
 * take the queue's conf.
 */
public final class NewJob {
  public static final int MIN_PRIORITY = -1000;
  public static final int MAX_PRIORITY = 1000;
  public static final int MAX_UNIQUE_KEY = 512;
  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "payload",
          "delay",
          "runAt",
          "priority",
          "attempts",
          "backoff",
          "timeout",
          "uniqueKey",
          "uniqueFor",
          "debounce",
          "idempotencyKey",
          "group");

  /**
   * A group name: 1 to 128 of these characters (it is part of Redis keys and of the API's paths).
   */
  public static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._:@+=~-]{1,128}");

  public static final String GROUP_RULE =
      "expected 1 to 128 characters of A-Z a-z 0-9 . _ : @ + = ~ -";

  private String name = "job";
  // null until set: an empty object (most jobs set their own, and a bulk call makes thousands of
  // NewJobs)
  private Object payload;
  private long delayMs;
  private long runAt;
  private int priority;
  private Integer attempts;
  private JsonObject backoff;
  private long timeoutMs;
  private String uniqueKey;
  private long uniqueForMs;
  private boolean debounce;
  private String idempotencyKey;
  private String group;
  private String payloadText;

  public static NewJob of(String name, JsonObject payload) {
    return new NewJob().setName(name).setPayload(payload);
  }

  /**
   * Parses one job from JSON; every problem is added to {@code errors} under {@code path} (e.g.
   * "jobs[3].delay"). Durations accept "30s" or milliseconds.
   */
  public static NewJob fromJson(JsonObject json, String path, ConfigErrors errors) {
    ConfReader r = new ConfReader(json, path, errors);
    r.rejectUnknown(FIELDS);
    NewJob j = new NewJob();
    j.name = r.string("name", "job");
    j.payload = json.containsKey("payload") ? json.getValue("payload") : new JsonObject();
    if (!(j.payload instanceof JsonObject)) {
      errors.add(
          r.path("payload"),
          "expected a JSON object, got "
              + (j.payload == null
                  ? "null"
                  : j.payload
                      .getClass()
                      .getSimpleName()
                      .replace("JsonArray", "an array")
                      .replace("String", "a string")
                      .replace("Integer", "a number")));
    }
    if (r.has("delay") && negative(json.getValue("delay"))) {
      errors.add(r.path("delay"), "expected a duration of zero or more, got a negative value");
    } else {
      j.delayMs = r.millis("delay", 0, 0);
    }
    if (r.has("runAt")) {
      Object v = json.getValue("runAt");
      String problem =
          v instanceof Number n && n.doubleValue() == n.longValue()
              ? runAtProblem(n.longValue())
              : "";
      if (problem == null) j.runAt = ((Number) v).longValue();
      else
        errors.add(
            r.path("runAt"),
            "expected epoch milliseconds"
                + (problem.isEmpty() ? "" : " " + problem)
                + ", got "
                + v);
    }
    j.priority = r.integer("priority", 0, MIN_PRIORITY, MAX_PRIORITY);
    if (r.has("attempts")) {
      Object v = json.getValue("attempts");
      if (v instanceof Number n && n.intValue() >= 1 && n.doubleValue() == n.intValue())
        j.attempts = n.intValue();
      else errors.add(r.path("attempts"), "expected a positive integer, got " + v);
    }
    if (r.has("backoff")) {
      int before = errors.size();
      RetryPolicy.read(
          new ConfReader(new JsonObject().put("backoff", json.getValue("backoff")), path, errors),
          RetryPolicy.defaults());
      if (errors.size() == before) j.backoff = json.getJsonObject("backoff");
    }
    j.timeoutMs = r.millis("timeout", 0, 1);
    j.uniqueKey = r.string("uniqueKey", null);
    j.uniqueForMs = r.millis("uniqueFor", 0, 1);
    j.debounce = r.bool("debounce", false);
    if (j.uniqueKey == null) {
      if (r.has("uniqueFor"))
        errors.add(
            r.path("uniqueFor"), "holds a uniqueKey after its job finished: set uniqueKey too");
      if (r.has("debounce"))
        errors.add(
            r.path("debounce"), "replaces the waiting job of a uniqueKey: set uniqueKey too");
    }
    j.idempotencyKey = r.string("idempotencyKey", null);
    j.group = r.string("group", null);
    if (j.group != null && !GROUP_NAME.matcher(j.group).matches())
      errors.add(r.path("group"), GROUP_RULE + ", got \"" + j.group + "\"");
    return j;
  }

  /**
   * Why a run-at time is refused, or null: after 1970 and at most {@link Durations#MAX_MS} from
   * now.
   */
  private static String runAtProblem(long epochMs) {
    if (epochMs <= 0) return "after 1970";
    if (epochMs - System.currentTimeMillis() > Durations.MAX_MS)
      return "at most " + Durations.format(Durations.MAX_MS) + " from now";
    return null;
  }

  private static boolean negative(Object v) {
    return (v instanceof Number n && n.doubleValue() < 0)
        || (v instanceof String s && s.trim().startsWith("-"));
  }

  /**
   * Checks every field but the payload's size, which is known only once the queue has encoded it
   * (internal, used by the queue); throws naming the first bad field.
   */
  public void validateOptions() {
    if (name == null || name.isEmpty() || name.length() > 256)
      throw VertiqException.invalid("name: expected 1 to 256 characters");
    if (payload != null && !(payload instanceof JsonObject))
      throw VertiqException.invalid("payload: expected a JSON object");
    if (delayMs < 0 || delayMs > Durations.MAX_MS) {
      throw VertiqException.invalid(
          "delay: expected 0 to " + Durations.MAX_MS + "ms, got " + delayMs + "ms");
    }
    if (runAt != 0 && runAtProblem(runAt) != null) {
      throw VertiqException.invalid(
          "runAt: expected epoch milliseconds " + runAtProblem(runAt) + ", got " + runAt);
    }
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw VertiqException.invalid(
          "priority: expected " + MIN_PRIORITY + " to " + MAX_PRIORITY + ", got " + priority);
    }
    if (attempts != null && attempts < 1)
      throw VertiqException.invalid("attempts: expected at least 1, got " + attempts);
    if (timeoutMs < 0 || timeoutMs > Durations.MAX_MS) {
      throw VertiqException.invalid(
          "timeout: expected 1 to " + Durations.MAX_MS + "ms, got " + timeoutMs + "ms");
    }
    if (uniqueKey != null && (uniqueKey.isEmpty() || uniqueKey.length() > MAX_UNIQUE_KEY)) {
      throw VertiqException.invalid("uniqueKey: expected 1 to " + MAX_UNIQUE_KEY + " characters");
    }
    if (uniqueForMs < 0 || uniqueForMs > Durations.MAX_MS) {
      throw VertiqException.invalid(
          "uniqueFor: expected 1 to " + Durations.MAX_MS + "ms, got " + uniqueForMs + "ms");
    }
    if ((uniqueForMs > 0 || debounce) && uniqueKey == null) {
      throw VertiqException.invalid((debounce ? "debounce" : "uniqueFor") + ": set uniqueKey too");
    }
    if (idempotencyKey != null
        && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_UNIQUE_KEY)) {
      throw VertiqException.invalid(
          "idempotencyKey: expected 1 to " + MAX_UNIQUE_KEY + " characters");
    }
    if (group != null && !GROUP_NAME.matcher(group).matches())
      throw VertiqException.invalid("group: " + GROUP_RULE);
  }

  public String name() {
    return name;
  }

  public NewJob setName(String name) {
    this.name = name;
    return this;
  }

  public Object payload() {
    if (payload == null) payload = new JsonObject();
    return payload;
  }

  public NewJob setPayload(JsonObject payload) {
    if (payload == null) throw VertiqException.invalid("payload: expected a JSON object, got null");
    this.payload = payload;
    this.payloadText = null;
    return this;
  }

  /** The payload's JSON text when it was set with {@link #setPayloadText}, else null. */
  public String payloadText() {
    return payloadText;
  }

  /** Sets the payload from JSON text already encoded by the caller (it must be a JSON object). */
  public NewJob setPayloadText(String json) {
    this.payload = new JsonObject(json);
    this.payloadText = json;
    return this;
  }

  public long delayMs() {
    return delayMs;
  }

  public NewJob setDelayMs(long delayMs) {
    this.delayMs = delayMs;
    return this;
  }

  public long runAt() {
    return runAt;
  }

  public NewJob setRunAt(long epochMs) {
    this.runAt = epochMs;
    return this;
  }

  public int priority() {
    return priority;
  }

  public NewJob setPriority(int priority) {
    this.priority = priority;
    return this;
  }

  public Integer attempts() {
    return attempts;
  }

  public NewJob setAttempts(int attempts) {
    this.attempts = attempts;
    return this;
  }

  public JsonObject backoff() {
    return backoff;
  }

  /**
   * Backoff as in the conf: {"type": "fixed"|"exponential", "delay": "1s", "max": "1h", "jitter":
   * 0.2}.
   */
  public NewJob setBackoff(JsonObject backoff) {
    this.backoff = backoff;
    return this;
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  public NewJob setTimeoutMs(long timeoutMs) {
    this.timeoutMs = timeoutMs;
    return this;
  }

  public String uniqueKey() {
    return uniqueKey;
  }

  public NewJob setUniqueKey(String uniqueKey) {
    this.uniqueKey = uniqueKey;
    return this;
  }

  public long uniqueForMs() {
    return uniqueForMs;
  }

  /**
   * Keeps the unique key for this long after the job has finished (completed or dead): an enqueue
   * with the same key within that window creates nothing and answers with this job's id. 0 (the
   * default) frees it when the job finishes.
   */
  public NewJob setUniqueForMs(long ms) {
    this.uniqueForMs = ms;
    return this;
  }

  public boolean debounce() {
    return debounce;
  }

  /**
   * With a unique key: when a job holding the key is still waiting (ready or delayed), this enqueue
   * replaces its payload (and, when this job has a delay or run-at, its run-at) instead of being
   * dropped: the last of a burst wins.
   */
  public NewJob setDebounce(boolean debounce) {
    this.debounce = debounce;
    return this;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }

  public String group() {
    return group;
  }

  /**
   * The job's group (a tenant, a customer, an API key): the queue's fetches take turns between
   * groups, and its {@code groups} limits (concurrency, rate) hold per group. Null for none.
   */
  public NewJob setGroup(String group) {
    this.group = group;
    return this;
  }

  /**
   * A key that makes a retried enqueue safe: within {@link JobQueue#IDEMPOTENCY_WINDOW_MS} of the
   * first enqueue with it, the same key creates no job and returns the first one's id (for a
   * producer that timed out and does not know whether its call was stored). Unlike a unique key it
   * holds after the job has finished.
   */
  public NewJob setIdempotencyKey(String key) {
    this.idempotencyKey = key;
    return this;
  }
}
