package io.vertiq.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Vertiq's own meters, per queue: jobs enqueued, completed, failed, retried, dead (counters),
 * processing time (histogram), running jobs and queue depth per state (gauges). They live in the
 * Vert.x Micrometer registry when metrics are on (the launcher turns them on), else in a registry
 * of our own; either is a composite with a Prometheus registry, and an OTLP one when the conf asks.
 */
public final class Metrics {
  private static final CompositeMeterRegistry FALLBACK = withPrometheus();
  private static final Map<String, Metrics> BY_QUEUE = new ConcurrentHashMap<>();
  private static final Map<String, AtomicLong> GAUGES = new ConcurrentHashMap<>();

  public final Counter enqueued;
  public final Counter completed;
  public final Counter failed;
  public final Counter retried;
  public final Counter dead;
  public final Timer duration;
  public final AtomicLong running;

  private Metrics(MeterRegistry reg, String queue) {
    enqueued =
        Counter.builder("vertiq_jobs_enqueued")
            .tag("queue", queue)
            .description("Jobs enqueued through this node")
            .register(reg);
    completed =
        Counter.builder("vertiq_jobs_completed")
            .tag("queue", queue)
            .description("Jobs completed on this node")
            .register(reg);
    failed =
        Counter.builder("vertiq_jobs_failed")
            .tag("queue", queue)
            .description("Failed runs on this node")
            .register(reg);
    retried =
        Counter.builder("vertiq_jobs_retried")
            .tag("queue", queue)
            .description("Failed runs scheduled for retry")
            .register(reg);
    dead =
        Counter.builder("vertiq_jobs_dead")
            .tag("queue", queue)
            .description("Jobs moved to dead on this node")
            .register(reg);
    duration =
        Timer.builder("vertiq_job_duration")
            .tag("queue", queue)
            .description("Handler run time")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(reg);
    running = new AtomicLong();
    Gauge.builder("vertiq_jobs_running", running, AtomicLong::doubleValue)
        .tag("queue", queue)
        .description("Jobs running on this node now")
        .strongReference(true)
        .register(reg);
  }

  public static MeterRegistry registry() {
    MeterRegistry reg = BackendRegistries.getDefaultNow();
    return reg != null ? reg : FALLBACK;
  }

  public static Metrics of(String queue) {
    return BY_QUEUE.computeIfAbsent(queue, q -> new Metrics(registry(), q));
  }

  /**
   * The depth gauge of one queue and state, set from the counts the metrics endpoint reads from
   * Redis.
   */
  public static AtomicLong depth(String queue, String state) {
    return gauge(
        queue + "\u0000" + state,
        "vertiq_queue_depth",
        "Jobs of the queue in the state, as Redis counts them",
        AtomicLong::doubleValue,
        Tags.of("queue", queue, "state", state));
  }

  /**
   * A queue-level gauge set from the counts the metrics endpoint reads: vertiq_queue_groups (live
   * groups) and vertiq_rate_window_started (jobs started in the rate limit's window now). Per-group
   * series are left out on purpose: a tenant per group would make one series per tenant; GET
   * /queues/{q}/groups lists them.
   */
  public static AtomicLong queueGauge(String name, String queue, String description) {
    return gauge(
        queue + "\u0000" + name,
        name,
        description,
        AtomicLong::doubleValue,
        Tags.of("queue", queue));
  }

  /**
   * A queue-level gauge in seconds, set in milliseconds (Prometheus wants base units in names and
   * values).
   */
  public static AtomicLong queueSecondsGauge(String name, String queue, String description) {
    return gauge(
        queue + "\u0000" + name,
        name,
        description,
        ms -> ms.get() / 1000.0,
        Tags.of("queue", queue));
  }

  /** A gauge over an AtomicLong the caller sets, registered once per {@code key}. */
  private static AtomicLong gauge(
      String key, String name, String description, ToDoubleFunction<AtomicLong> value, Tags tags) {
    return GAUGES.computeIfAbsent(
        key,
        k -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder(name, v, value)
              .tags(tags)
              .description(description)
              .strongReference(true)
              .register(registry());
          return v;
        });
  }

  private static final Map<String, Gauge> FUNCTION_GAUGES = new ConcurrentHashMap<>();

  /**
   * A queue-level gauge read from {@code value} at each scrape (registered once per name and
   * queue).
   */
  public static void queueGauge(
      String name, String queue, String description, Supplier<Number> value) {
    FUNCTION_GAUGES.computeIfAbsent(
        queue + "\u0000" + name,
        k ->
            Gauge.builder(name, value)
                .tag("queue", queue)
                .description(description)
                .strongReference(true)
                .register(registry()));
  }

  /**
   * The registry the service's meters go to: a composite holding a Prometheus registry (scraped at
   * /metrics), to which an OTLP registry is added when the conf asks (see {@link OtlpExport}).
   */
  public static CompositeMeterRegistry withPrometheus() {
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    composite.add(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    return composite;
  }

  /** The Prometheus text of the registry in use, or null when it holds no Prometheus one. */
  public static String scrape() {
    MeterRegistry reg = registry();
    if (reg instanceof PrometheusMeterRegistry p) return p.scrape();
    if (reg instanceof CompositeMeterRegistry c)
      for (MeterRegistry child : c.getRegistries())
        if (child instanceof PrometheusMeterRegistry p) return p.scrape();
    return null;
  }
}
