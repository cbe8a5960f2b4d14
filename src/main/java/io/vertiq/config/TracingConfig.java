package io.vertiq.config;

import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import java.net.URI;
import java.util.Set;

/**
 * {@code tracing}: OpenTelemetry through Vert.x's own support (vertx-opentelemetry), off by
 * default. When on, the launcher installs the tracer before Vert.x starts: HTTP requests, enqueues
 * and jobs' runs are spans of one trace, exported over OTLP (HTTP/protobuf) or written to the log.
 * Read once at start: a change needs a restart.
 */
public final class TracingConfig {
  /** The OTLP collector's traces endpoint (HTTP/protobuf) on this machine. */
  public static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";

  private static final Set<String> KEYS =
      Set.of("enabled", "exporter", "endpoint", "serviceName", "policy", "sampleRatio");

  private boolean enabled;
  private String exporter = "otlp";
  private String endpoint = DEFAULT_ENDPOINT;
  private String serviceName = "vertiq";
  private String policy = "always";
  private double sampleRatio = 1.0;

  static TracingConfig read(ConfReader r) {
    TracingConfig c = new TracingConfig();
    r.rejectUnknown(KEYS);
    c.enabled = r.bool("enabled", false);
    c.exporter = r.oneOf("exporter", "otlp", Set.of("otlp", "logging"));
    c.endpoint = r.string("endpoint", DEFAULT_ENDPOINT);
    try {
      URI u = URI.create(c.endpoint);
      if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())))
        throw new IllegalArgumentException();
    } catch (IllegalArgumentException e) {
      r.errors()
          .add(
              r.path("endpoint"),
              "expected an http:// or https:// URL of an OTLP traces endpoint, got \""
                  + c.endpoint
                  + "\"");
    }
    c.serviceName = r.string("serviceName", "vertiq");
    c.policy = r.oneOf("policy", "always", Set.of("always", "propagate"));
    c.sampleRatio = r.decimal("sampleRatio", 1.0, 0.0, 1.0);
    return c;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("exporter", exporter)
        .put("endpoint", endpoint)
        .put("serviceName", serviceName)
        .put("policy", policy)
        .put("sampleRatio", sampleRatio);
  }

  public boolean enabled() {
    return enabled;
  }

  public TracingConfig setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String exporter() {
    return exporter;
  }

  public String endpoint() {
    return endpoint;
  }

  public String serviceName() {
    return serviceName;
  }

  public double sampleRatio() {
    return sampleRatio;
  }

  /**
   * ALWAYS: every HTTP request and every run starts a trace when none came with it; PROPAGATE: only
   * what a trace reached is traced (a request with a traceparent header, a job enqueued in a
   * trace).
   */
  public TracingPolicy policy() {
    return "propagate".equals(policy) ? TracingPolicy.PROPAGATE : TracingPolicy.ALWAYS;
  }
}
