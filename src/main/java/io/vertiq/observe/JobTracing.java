package io.vertiq.observe;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import java.util.List;
import java.util.Map;

/**
 * A job's trace through Vert.x's own tracing SPI (vertx-opentelemetry when the conf turns tracing
 * on, or any tracer the embedding application installed): an enqueue made while a trace is current
 * (an HTTP request, a handler's run) is a producer span, whose context the job carries (its {@code
 * traceparent}, stored with it); the job's run, on whichever node, is a consumer span with that
 * parent, in a context of its own, so what the handler does through Vert.x (HTTP, event bus, Redis)
 * is part of it. Without a tracer (the default) {@link #of} gives null and nothing here runs.
 */
public final class JobTracing {
  /** The W3C trace context header, the one a job keeps. */
  public static final String TRACEPARENT = "traceparent";

  @SuppressWarnings("rawtypes")
  private final VertxTracer tracer;

  private final TracingPolicy policy;

  @SuppressWarnings("rawtypes")
  private JobTracing(VertxTracer tracer, TracingPolicy policy) {
    this.tracer = tracer;
    this.policy = policy;
  }

  /**
   * The tracing of {@code vertx}, or null without a tracer. {@code policy}: PROPAGATE traces only
   * what a trace reached (a request that came with one, a job enqueued in one); ALWAYS also starts
   * a trace for the others.
   */
  public static JobTracing of(Vertx vertx, TracingPolicy policy) {
    VertxTracer<?, ?> t = vertx instanceof VertxInternal vi ? vi.tracer() : null;
    return t == null || t == VertxTracer.NOOP ? null : new JobTracing(t, policy);
  }

  /**
   * What an enqueue span's attributes are made of: the queue, and the number of jobs (ids once
   * known).
   */
  public record Enqueue(String queue, int jobs, List<String> ids) {}

  /** A span started and the trace context its jobs carry (null: no trace). */
  public record Producer(Object span, String traceParent, Context context) {}

  private static final TagExtractor<Enqueue> ENQUEUE_TAGS =
      new TagExtractor<>() {
        @Override
        public int len(Enqueue e) {
          return e.ids() != null && e.ids().size() == 1 ? 4 : 3;
        }

        @Override
        public String name(Enqueue e, int i) {
          return switch (i) {
            case 0 -> "messaging.system";
            case 1 -> "messaging.destination.name";
            case 2 -> "messaging.batch.message_count";
            default -> "messaging.message.id";
          };
        }

        @Override
        public String value(Enqueue e, int i) {
          return switch (i) {
            case 0 -> "vertiq";
            case 1 -> e.queue();
            case 2 -> Integer.toString(e.jobs());
            default -> e.ids().get(0);
          };
        }
      };

  /** The run of a job: queue, id, name, attempt. */
  public record Run(String queue, String id, String name, int attempt) {}

  private static final TagExtractor<Run> RUN_TAGS =
      new TagExtractor<>() {
        @Override
        public int len(Run r) {
          return 6;
        }

        @Override
        public String name(Run r, int i) {
          return switch (i) {
            case 0 -> "messaging.system";
            case 1 -> "messaging.destination.name";
            case 2 -> "messaging.message.id";
            case 3 -> "vertiq.job.id";
            case 4 -> "vertiq.job.name";
            default -> "vertiq.job.attempt";
          };
        }

        @Override
        public String value(Run r, int i) {
          return switch (i) {
            case 0 -> "vertiq";
            case 1 -> r.queue();
            case 2, 3 -> r.id();
            case 4 -> r.name();
            default -> Integer.toString(r.attempt());
          };
        }
      };

  /**
   * Starts the span of an enqueue on the caller's context; null when no trace is current (and the
   * policy asks one).
   */
  @SuppressWarnings("unchecked")
  public Producer enqueueStarted(String queue, int jobs) {
    Context ctx = Vertx.currentContext();
    if (ctx == null) return null;
    String[] parent = new String[1];
    Object span =
        tracer.sendRequest(
            ctx,
            SpanKind.MESSAGING,
            policy,
            new Enqueue(queue, jobs, null),
            "enqueue " + queue,
            (k, v) -> {
              if (TRACEPARENT.equals(k)) parent[0] = (String) v;
            },
            ENQUEUE_TAGS);
    return span == null ? null : new Producer(span, parent[0], ctx);
  }

  /**
   * Ends an enqueue's span, with the ids it made (the one id as an attribute for a single job) or
   * its failure.
   */
  @SuppressWarnings("unchecked")
  public void enqueueEnded(Producer p, String queue, List<String> ids, Throwable failure) {
    if (p == null) return;
    tracer.receiveResponse(
        p.context(),
        new Enqueue(queue, ids == null ? 0 : ids.size(), ids),
        p.span(),
        failure,
        ENQUEUE_TAGS);
  }

  /** A run's span and the context of its own the handler runs on. */
  public record Consumer(Object span, ContextInternal context, Run run) {}

  /**
   * Starts a run's span as a child of the trace the job carries (none: a new trace under ALWAYS,
   * else no span) on a duplicate of {@code worker}, the context the handler is then called on.
   */
  @SuppressWarnings("unchecked")
  public Consumer runStarted(Context worker, Run run, String traceParent) {
    ContextInternal dup = ((ContextInternal) worker).duplicate();
    Iterable<Map.Entry<String, String>> headers =
        traceParent == null ? List.of() : List.of(Map.entry(TRACEPARENT, traceParent));
    Object span =
        tracer.receiveRequest(
            dup, SpanKind.MESSAGING, policy, run, "run " + run.queue(), headers, RUN_TAGS);
    return span == null ? null : new Consumer(span, dup, run);
  }

  /**
   * Ends a run's span: failed with the handler's error, else as it ended (completed, or given
   * back).
   */
  @SuppressWarnings("unchecked")
  public void runEnded(Consumer c, Throwable failure) {
    if (c == null) return;
    tracer.sendResponse(c.context(), c.run(), c.span(), failure, RUN_TAGS);
  }
}
