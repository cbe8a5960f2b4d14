package io.vertiq;

import io.vertiq.config.ConfigErrors;
import io.vertx.core.json.JsonObject;
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
    return NewJobReader.read(json, path, errors);
  }

  /**
   * Checks every field but the payload's size, which is known only once the queue has encoded it
   * (internal, used by the queue); throws naming the first bad field.
   */
  public void validateOptions() {
    NewJobReader.check(this);
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
