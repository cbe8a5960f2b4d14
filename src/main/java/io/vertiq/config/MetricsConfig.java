package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Set;

/**
 * {@code metrics}: besides Prometheus at /metrics (always on), the same meters pushed over OTLP
 * (HTTP/protobuf) to a collector when {@code metrics.otlp.endpoint} is set, every {@code step}.
 */
public final class MetricsConfig {
  /** How often the meters are pushed: 10 s unless said. */
  public static final long DEFAULT_STEP_MS = 10_000;

  private String otlpEndpoint;
  private long stepMs = DEFAULT_STEP_MS;
  private String serviceName = "vertiq";

  static MetricsConfig read(ConfReader r) {
    MetricsConfig c = new MetricsConfig();
    r.rejectUnknown(Set.of("otlp"));
    ConfReader otlp = r.child("otlp");
    otlp.rejectUnknown(Set.of("endpoint", "step", "serviceName"));
    c.otlpEndpoint = otlp.string("endpoint", null);
    if (c.otlpEndpoint != null) {
      try {
        URI u = URI.create(c.otlpEndpoint);
        if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())))
          throw new IllegalArgumentException();
      } catch (IllegalArgumentException e) {
        otlp.errors()
            .add(
                otlp.path("endpoint"),
                "expected an http:// or https:// URL of an OTLP metrics endpoint, got \""
                    + c.otlpEndpoint
                    + "\"");
      }
    }
    c.stepMs = otlp.millis("step", DEFAULT_STEP_MS, 100, 3_600_000);
    c.serviceName = otlp.string("serviceName", "vertiq");
    return c;
  }

  /** The OTLP metrics endpoint (e.g. http://collector:4318/v1/metrics), or null: no push. */
  public String otlpEndpoint() {
    return otlpEndpoint;
  }

  public long stepMs() {
    return stepMs;
  }

  /** The service.name resource attribute of the pushed metrics. */
  public String serviceName() {
    return serviceName;
  }

  public JsonObject toJson() {
    JsonObject otlp =
        new JsonObject().put("step", Durations.format(stepMs)).put("serviceName", serviceName);
    if (otlpEndpoint != null) otlp.put("endpoint", otlpEndpoint);
    return new JsonObject().put("otlp", otlp);
  }
}
