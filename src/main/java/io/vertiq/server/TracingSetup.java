package io.vertiq.server;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertiq.config.TracingConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;

/**
 * The OpenTelemetry SDK the launcher installs in Vert.x when the conf's {@code tracing.enabled} is
 * true: spans go through a batch processor to an OTLP (HTTP/protobuf) collector or to the log,
 * sampled by ratio (a sampled parent's decision is kept, so a trace is whole or absent), under the
 * conf's service name.
 */
final class TracingSetup {
  private TracingSetup() {}

  static OpenTelemetrySdk sdk(TracingConfig c) {
    SpanExporter exporter =
        "logging".equals(c.exporter())
            ? LoggingSpanExporter.create()
            : OtlpHttpSpanExporter.builder().setEndpoint(c.endpoint()).build();
    SdkTracerProvider traces =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                AttributeKey.stringKey("service.name"), c.serviceName()))))
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(c.sampleRatio())))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    return OpenTelemetrySdk.builder()
        .setTracerProvider(traces)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /** A Vert.x builder whose tracer is {@code sdk}'s (vertx-opentelemetry). */
  static VertxBuilder builder(VertxOptions options, OpenTelemetrySdk sdk) {
    return Vertx.builder()
        .with(options.setTracingOptions(new OpenTelemetryOptions()))
        .withTracer(new OpenTelemetryTracingFactory(sdk));
  }
}
