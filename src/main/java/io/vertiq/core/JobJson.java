package io.vertiq.core;

import io.vertiq.config.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A job as the API shows it: every field it has, none it lacks. */
final class JobJson {
  private JobJson() {}

  static JsonObject of(JobImpl job) {
    JsonObject j =
        new JsonObject()
            .put("id", job.id())
            .put("queue", job.queue())
            .put("name", job.name())
            .put("state", job.state() == null ? null : job.state().id())
            .put("payload", job.payload())
            .put("priority", job.priority())
            .put("attemptsMade", job.attemptsMade())
            .put("stalls", job.stalls())
            .put("createdAt", job.createdAt());
    if (job.runAt() > 0) j.put("runAt", job.runAt());
    if (job.startedAt() > 0) j.put("startedAt", job.startedAt());
    if (job.finishedAt() > 0) j.put("finishedAt", job.finishedAt());
    if (job.timeoutMs() > 0) j.put("timeoutMs", job.timeoutMs());
    Integer attempts = job.attempts();
    if (attempts != null) j.put("attempts", attempts);
    JsonObject backoff = job.backoff();
    if (backoff != null) j.put("backoff", backoff);
    if (job.uniqueKey() != null) j.put("uniqueKey", job.uniqueKey());
    if (job.group() != null) j.put("group", job.group());
    if (job.uniqueForMs() > 0) j.put("uniqueFor", Durations.format(job.uniqueForMs()));
    if (job.flow() != null) job.flow().writeTo(j);
    if (job.error() != null)
      j.put("error", new JsonObject().put("message", job.error()).put("trace", job.errorTrace()));
    if (job.resultText() != null) j.put("result", job.result());
    if (job.progressText() != null) j.put("progress", job.progressValue());
    JsonArray history = job.history();
    if (!history.isEmpty()) j.put("history", history);
    if (job.deferrals() > 0) j.put("deferrals", job.deferrals());
    if (job.logsText() != null) j.put("logs", job.logs());
    Durable durable = job.durableIfAny();
    if (durable != null) {
      JsonObject steps = durable.steps();
      if (!steps.isEmpty()) j.put("steps", steps);
      JsonObject signals = durable.signals();
      if (!signals.isEmpty()) j.put("signals", signals);
      Object cursor = durable.cursor();
      if (cursor != null) j.put("cursor", cursor);
    }
    return j;
  }
}
