package io.vertiq;

import io.vertx.core.json.JsonObject;

/**
 * One job name's runs over a window (the metrics per job name): how many ran and failed, and their
 * run time's mean and percentiles in milliseconds (the percentiles read from a histogram of four
 * buckets per doubling: within 9% of the true value).
 */
public record JobNameMetrics(
    String name,
    long runs,
    long failures,
    double meanMs,
    double p50Ms,
    double p95Ms,
    double p99Ms) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("runs", runs)
        .put("failures", failures)
        .put("meanMs", round(meanMs))
        .put("p50Ms", round(p50Ms))
        .put("p95Ms", round(p95Ms))
        .put("p99Ms", round(p99Ms));
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
