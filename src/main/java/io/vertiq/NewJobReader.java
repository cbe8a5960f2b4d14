package io.vertiq;

import io.vertiq.config.ConfReader;
import io.vertiq.config.ConfigErrors;
import io.vertiq.config.Durations;
import io.vertiq.config.RetryPolicy;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A {@link NewJob} read from JSON (HTTP, the event bus, a schedule's job), every problem named by
 * its path, and the checks of a job built in Java, which throw naming the first bad field.
 */
final class NewJobReader {
  private NewJobReader() {}

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

  static NewJob read(JsonObject json, String path, ConfigErrors errors) {
    ConfReader r = new ConfReader(json, path, errors);
    r.rejectUnknown(FIELDS);
    NewJob j = new NewJob().setName(r.string("name", "job"));
    Object payload = json.containsKey("payload") ? json.getValue("payload") : new JsonObject();
    if (payload instanceof JsonObject o) j.setPayload(o);
    else errors.add(r.path("payload"), "expected a JSON object, got " + kind(payload));
    if (r.has("delay") && negative(json.getValue("delay"))) {
      errors.add(r.path("delay"), "expected a duration of zero or more, got a negative value");
    } else {
      j.setDelayMs(r.millis("delay", 0, 0));
    }
    if (r.has("runAt")) {
      Object v = json.getValue("runAt");
      String problem =
          v instanceof Number n && n.doubleValue() == n.longValue()
              ? runAtProblem(n.longValue())
              : "";
      if (problem == null) j.setRunAt(((Number) v).longValue());
      else
        errors.add(
            r.path("runAt"),
            "expected epoch milliseconds"
                + (problem.isEmpty() ? "" : " " + problem)
                + ", got "
                + v);
    }
    j.setPriority(r.integer("priority", 0, NewJob.MIN_PRIORITY, NewJob.MAX_PRIORITY));
    if (r.has("attempts")) {
      Object v = json.getValue("attempts");
      if (v instanceof Number n && n.intValue() >= 1 && n.doubleValue() == n.intValue())
        j.setAttempts(n.intValue());
      else errors.add(r.path("attempts"), "expected a positive integer, got " + v);
    }
    if (r.has("backoff")) {
      int before = errors.size();
      RetryPolicy.read(
          new ConfReader(new JsonObject().put("backoff", json.getValue("backoff")), path, errors),
          RetryPolicy.defaults());
      if (errors.size() == before) j.setBackoff(json.getJsonObject("backoff"));
    }
    j.setTimeoutMs(r.millis("timeout", 0, 1));
    String uniqueKey = r.string("uniqueKey", null);
    j.setUniqueKey(uniqueKey);
    j.setUniqueForMs(r.millis("uniqueFor", 0, 1));
    j.setDebounce(r.bool("debounce", false));
    if (uniqueKey == null) {
      if (r.has("uniqueFor"))
        errors.add(
            r.path("uniqueFor"), "holds a uniqueKey after its job finished: set uniqueKey too");
      if (r.has("debounce"))
        errors.add(
            r.path("debounce"), "replaces the waiting job of a uniqueKey: set uniqueKey too");
    }
    j.setIdempotencyKey(r.string("idempotencyKey", null));
    String group = r.string("group", null);
    j.setGroup(group);
    if (group != null && !NewJob.GROUP_NAME.matcher(group).matches())
      errors.add(r.path("group"), NewJob.GROUP_RULE + ", got \"" + group + "\"");
    return j;
  }

  private static String kind(Object v) {
    return v == null
        ? "null"
        : v.getClass()
            .getSimpleName()
            .replace("JsonArray", "an array")
            .replace("String", "a string")
            .replace("Integer", "a number");
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
   * Checks every field of {@code j} but the payload (an object by its setters' types; its size is
   * checked once the queue has encoded it); throws naming the first bad one.
   */
  static void check(NewJob j) {
    String name = j.name();
    if (name == null || name.isEmpty() || name.length() > 256)
      throw VertiqException.invalid("name: expected 1 to 256 characters");
    long delayMs = j.delayMs();
    if (delayMs < 0 || delayMs > Durations.MAX_MS) {
      throw VertiqException.invalid(
          "delay: expected 0 to " + Durations.MAX_MS + "ms, got " + delayMs + "ms");
    }
    long runAt = j.runAt();
    if (runAt != 0 && runAtProblem(runAt) != null) {
      throw VertiqException.invalid(
          "runAt: expected epoch milliseconds " + runAtProblem(runAt) + ", got " + runAt);
    }
    int priority = j.priority();
    if (priority < NewJob.MIN_PRIORITY || priority > NewJob.MAX_PRIORITY) {
      throw VertiqException.invalid(
          "priority: expected "
              + NewJob.MIN_PRIORITY
              + " to "
              + NewJob.MAX_PRIORITY
              + ", got "
              + priority);
    }
    if (j.attempts() != null && j.attempts() < 1)
      throw VertiqException.invalid("attempts: expected at least 1, got " + j.attempts());
    long timeoutMs = j.timeoutMs();
    if (timeoutMs < 0 || timeoutMs > Durations.MAX_MS) {
      throw VertiqException.invalid(
          "timeout: expected 1 to " + Durations.MAX_MS + "ms, got " + timeoutMs + "ms");
    }
    String uniqueKey = j.uniqueKey();
    int maxKey = NewJob.MAX_UNIQUE_KEY;
    if (uniqueKey != null && (uniqueKey.isEmpty() || uniqueKey.length() > maxKey))
      throw VertiqException.invalid("uniqueKey: expected 1 to " + maxKey + " characters");
    long uniqueForMs = j.uniqueForMs();
    if (uniqueForMs < 0 || uniqueForMs > Durations.MAX_MS) {
      throw VertiqException.invalid(
          "uniqueFor: expected 1 to " + Durations.MAX_MS + "ms, got " + uniqueForMs + "ms");
    }
    if ((uniqueForMs > 0 || j.debounce()) && uniqueKey == null) {
      throw VertiqException.invalid(
          (j.debounce() ? "debounce" : "uniqueFor") + ": set uniqueKey too");
    }
    String idem = j.idempotencyKey();
    if (idem != null && (idem.isEmpty() || idem.length() > maxKey))
      throw VertiqException.invalid("idempotencyKey: expected 1 to " + maxKey + " characters");
    if (j.group() != null && !NewJob.GROUP_NAME.matcher(j.group()).matches())
      throw VertiqException.invalid("group: " + NewJob.GROUP_RULE);
  }
}
