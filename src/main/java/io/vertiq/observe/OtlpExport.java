package io.vertiq.observe;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.vertiq.config.MetricsConfig;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the service's meters over OTLP (HTTP/protobuf) while the node runs: an OTLP registry added
 * to the composite the meters live in (see {@link Metrics#withPrometheus}), so every meter, those
 * registered before too, goes to both /metrics and the collector.
 */
public final class OtlpExport {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpExport.class);
  private final OtlpMeterRegistry otlp;
  private final CompositeMeterRegistry composite;

  private OtlpExport(OtlpMeterRegistry otlp, CompositeMeterRegistry composite) {
    this.otlp = otlp;
    this.composite = composite;
  }

  /** Starts the push the conf asks for; null when it asks none. */
  public static OtlpExport start(MetricsConfig conf) {
    if (conf.otlpEndpoint() == null) return null;
    MeterRegistry reg = Metrics.registry();
    if (!(reg instanceof CompositeMeterRegistry composite)) {
      LOG.warn(
          "metrics.otlp is set, but this Vert.x's metrics registry is not the service's"
              + " (Vertiq.deploy in a Vert.x of the application's own?): no OTLP push");
      return null;
    }
    OtlpConfig config =
        new OtlpConfig() {
          @Override
          public String get(String key) {
            return null; // every other setting at its default
          }

          @Override
          public String url() {
            return conf.otlpEndpoint();
          }

          @Override
          public Duration step() {
            return Duration.ofMillis(conf.stepMs());
          }

          @Override
          public Map<String, String> resourceAttributes() {
            return Map.of("service.name", conf.serviceName());
          }
        };
    OtlpMeterRegistry otlp = new OtlpMeterRegistry(config, Clock.SYSTEM);
    composite.add(otlp);
    LOG.info("metrics pushed over OTLP to {} every {} ms", conf.otlpEndpoint(), conf.stepMs());
    return new OtlpExport(otlp, composite);
  }

  /** Pushes once more and stops. */
  public void stop() {
    composite.remove(otlp);
    otlp.close();
  }
}
