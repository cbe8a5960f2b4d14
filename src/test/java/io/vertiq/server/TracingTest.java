package io.vertiq.server;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertiq.Job;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.TracingConfig;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestRedis;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.client.WebClient;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tracing (vertx-opentelemetry, an in-memory exporter): a producer's HTTP request to node A, the
 * enqueue it makes, and the job's run on node B (another Vert.x, another Redis pool, its own SDK
 * naming it) are one trace, parent to child, with the job's id and queue as attributes; a run that
 * fails records the handler's exception.
 */
class TracingTest {
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final List<Vertx> nodes = new ArrayList<>();
  private final List<OpenTelemetrySdk> sdks = new ArrayList<>();
  private final String prefix = TestSupport.randomPrefix();
  private Redis redis;

  private Vertx node(String name) {
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .setResource(
                        Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), name)))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    sdks.add(sdk);
    Vertx v = TracingSetup.builder(new VertxOptions(), sdk).build();
    nodes.add(v);
    return v;
  }

  private JsonObject conf(JsonObject queues) {
    JsonObject c = TestSupport.conf(prefix, queues);
    c.getJsonObject("redis").put("url", TestRedis.url());
    return c;
  }

  private void deploy(Vertx v, JsonObject conf) {
    String id =
        await(v.deployVerticle(new Bootstrap(null), new DeploymentOptions().setConfig(conf)));
    undeploys.add(() -> await(v.undeploy(id)));
  }

  private final List<Runnable> undeploys = new ArrayList<>();

  @AfterEach
  void tearDown() {
    undeploys.forEach(Runnable::run); // first: a running service would write its keys back
    if (redis != null) TestSupport.deleteKeys(redis, prefix);
    for (Vertx v : nodes) await(v.close());
    sdks.forEach(OpenTelemetrySdk::close);
  }

  @Test
  void aRequestItsEnqueueAndTheJobsRunOnAnotherNodeAreOneTrace() {
    String queue = TestSupport.randomName("traced");
    int port = RedisServerProcess.freePort();
    // node A: the HTTP API, and no worker of the queue; node B: the workers, no HTTP
    Vertx a = node("node-a");
    JsonObject confA =
        conf(
            new JsonObject()
                .put(TestSupport.randomName("other"), new JsonObject().put("handler", "noop")));
    confA.put("http", VertiqHarness.http(port));
    deploy(a, confA);
    Vertx b = node("node-b");
    deploy(b, conf(new JsonObject().put(queue, new JsonObject().put("handler", "echo"))));
    redis = Redis.createClient(a, TestRedis.url());

    WebClient web = WebClient.create(a);
    JsonObject made =
        await(
                web.post(port, "127.0.0.1", "/queues/" + queue + "/jobs")
                    .putHeader("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                    .sendJsonObject(
                        new JsonObject()
                            .put("name", "email")
                            .put("payload", new JsonObject().put("to", "a@example.com"))))
            .bodyAsJsonObject();
    String id = made.getString("id");
    assertNotNull(id, made.encode());
    until(
        "the job completed on node B",
        Duration.ofSeconds(10),
        () ->
            state(Vertiq.create(a, redis, prefix, 1 << 20).queue(queue), id) == JobState.COMPLETED);
    until(
        "the run's span was exported",
        Duration.ofSeconds(5),
        () -> find(SpanKind.CONSUMER, "run " + queue).isPresent());

    // the request's span ends when its response has been written, which the caller may see
    // before the span reaches the exporter: wait for it as for the run's
    until(
        "the request's span was exported", Duration.ofSeconds(10), () -> serverSpan().isPresent());
    SpanData server = serverSpan().orElseThrow();
    assertEquals(
        CALLER_SPAN, server.getParentSpanId(), "the HTTP request continues the caller's trace");
    SpanData enqueue = find(SpanKind.PRODUCER, "enqueue " + queue).orElseThrow();
    assertEquals(
        server.getSpanId(), enqueue.getParentSpanId(), "the enqueue is part of the request");
    assertEquals(id, enqueue.getAttributes().get(AttributeKey.stringKey("messaging.message.id")));
    SpanData run = find(SpanKind.CONSUMER, "run " + queue).orElseThrow();
    assertEquals(CALLER_TRACE, run.getTraceId(), "the run is in the producer's trace");
    assertEquals(enqueue.getSpanId(), run.getParentSpanId(), "the run continues the enqueue");
    assertEquals(
        "node-b",
        run.getResource().getAttribute(AttributeKey.stringKey("service.name")),
        "it ran on node B");
    assertEquals(id, run.getAttributes().get(AttributeKey.stringKey("vertiq.job.id")));
    assertEquals(
        queue, run.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
    assertEquals("email", run.getAttributes().get(AttributeKey.stringKey("vertiq.job.name")));
    assertTrue(run.getEvents().isEmpty(), "no exception: " + run.getEvents());
  }

  @Test
  void aFailedRunRecordsItsErrorAJobEnqueuedOutsideAnyTraceStartsOneAndAFlowsJobsKeepTheTrace() {
    String queue = TestSupport.randomName("tracefail");
    Vertx b = node("node-b");
    String address = TestSupport.randomName("mailer");
    b.eventBus().consumer(address, m -> m.fail(500, "no such mailbox"));
    String flows = TestSupport.randomName("traceflow");
    int port = RedisServerProcess.freePort();
    JsonObject conf =
        conf(
            new JsonObject()
                .put(queue, new JsonObject().put("address", address).put("attempts", 1))
                .put(flows, new JsonObject().put("handler", "echo")));
    conf.put("http", VertiqHarness.http(port));
    WebClient web = WebClient.create(b);
    deploy(b, conf);
    redis = Redis.createClient(b, TestRedis.url());
    // from a thread of the test's, in no trace: the job carries none, and its run is a trace of its
    // own
    JobQueue q = Vertiq.create(b, redis, prefix, 1 << 20).queue(queue);
    String id = await(q.enqueue(NewJob.of("boom", new JsonObject()))).id();
    until("the job is dead", Duration.ofSeconds(10), () -> state(q, id) == JobState.DEAD);
    until(
        "the run's span was exported",
        Duration.ofSeconds(5),
        () -> find(SpanKind.CONSUMER, "run " + queue).isPresent());
    SpanData run = find(SpanKind.CONSUMER, "run " + queue).orElseThrow();
    assertTrue(
        run.getEvents().stream()
            .anyMatch(
                e ->
                    e.getName().equals("exception")
                        && String.valueOf(
                                e.getAttributes().get(AttributeKey.stringKey("exception.message")))
                            .contains("no such mailbox")),
        "the handler's failure is recorded on the span: " + run.getEvents());
    assertFalse(
        run.getParentSpanContext().isValid(), "no trace came with the job: its run starts one");
    assertTrue(
        find(SpanKind.PRODUCER, "enqueue " + queue).isEmpty(),
        "an enqueue in no trace makes no span");
    assertEquals(TracingPolicy.ALWAYS, new TracingConfig().policy(), "always is the default");
    // the handler's own Vert.x calls are part of the run: here its event-bus request to the address
    assertTrue(
        exporter.getFinishedSpanItems().stream()
            .anyMatch(
                x -> x.getKind() == SpanKind.CLIENT && x.getParentSpanId().equals(run.getSpanId())),
        "the handler's event-bus request is a child of the run");

    // a flow posted in the caller's trace: its parent's and its children's runs are in it too
    exporter.reset();
    String flowTrace = "5bf92f3577b34da6a3ce929d0e0e4737";
    JsonObject flow =
        await(
                web.post(port, "127.0.0.1", "/flows")
                    .putHeader("traceparent", "00-" + flowTrace + "-" + CALLER_SPAN + "-01")
                    .sendJsonObject(
                        new JsonObject()
                            .put("queue", flows)
                            .put("job", new JsonObject().put("name", "report"))
                            .put(
                                "children",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("queue", flows)
                                            .put("job", new JsonObject().put("name", "part")))
                                    .add(
                                        new JsonObject()
                                            .put("queue", flows)
                                            .put("job", new JsonObject().put("name", "part"))))))
            .bodyAsJsonObject();
    assertNotNull(flow.getString("id"), flow.encode());
    until(
        "the flow's three runs exported",
        Duration.ofSeconds(10),
        () ->
            exporter.getFinishedSpanItems().stream()
                    .filter(
                        x -> x.getKind() == SpanKind.CONSUMER && x.getTraceId().equals(flowTrace))
                    .count()
                == 3);
    assertEquals(
        List.of("part", "part", "report"),
        exporter.getFinishedSpanItems().stream()
            .filter(x -> x.getKind() == SpanKind.CONSUMER && x.getTraceId().equals(flowTrace))
            .map(x -> x.getAttributes().get(AttributeKey.stringKey("vertiq.job.name")))
            .sorted()
            .toList());
  }

  private static JobState state(JobQueue q, String id) {
    Job j = await(q.get(id));
    return j == null ? null : j.state();
  }

  private Optional<SpanData> serverSpan() {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(CALLER_TRACE))
        .findFirst();
  }

  private Optional<SpanData> find(SpanKind kind, String name) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == kind && s.getName().equals(name))
        .findFirst();
  }
}
