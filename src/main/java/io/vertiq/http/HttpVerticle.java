package io.vertiq.http;

import io.vertiq.server.Node;
import io.vertiq.config.HttpConfig;
import io.vertiq.impl.Metrics;
import io.vertiq.redis.TimedRedis;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: REST API, dashboard at /, /health, /ready, /metrics and /openapi.yaml. Bodies are
 * size-limited before they are parsed; with tokens configured every path but /health needs a bearer token.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  /** Seconds a connection may stay silent before it is closed. */
  static final int IDLE_TIMEOUT_S = 30;
  private final Node node;
  private HttpServer server;

  public HttpVerticle(Node node) {
    this.node = node;
  }

  private Router router;

  /**
   * The API's routes as "METHOD /path/{param}", the form of the OpenAPI document's paths (the dashboard's static
   * files and the catch-all handlers are not API routes).
   */
  public java.util.Set<String> apiRoutes() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (io.vertx.ext.web.Route r : router.getRoutes()) {
      // a route with path parameters is a regex route whose name is the path it was declared with
      String declared = r.getPath() != null ? r.getPath() : r.getName();
      // static files (the dashboard's, its charting library's) are not API operations
      if (declared == null || !declared.startsWith("/") || declared.contains("(") || declared.startsWith("/webjars/")
          || r.methods() == null) continue;
      String path = declared.replaceAll(":([A-Za-z]+)", "{$1}");
      for (io.vertx.core.http.HttpMethod m : r.methods()) out.add(m.name() + " " + path);
    }
    return out;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    HttpConfig c = node.options().http();
    router = Router.router(vertx);
    router.route().handler(SecurityHeaders::add);
    router.get("/health").handler(HealthCheckHandler.create(vertx).register("process", p -> p.complete(Status.OK())));
    // the dashboard's files hold no data and a browser cannot send a bearer token when it opens a page: they are
    // public, and the page asks for the token before it calls the API
    router.getWithRegex("/(index\\.html|dashboard\\.js|dashboard\\.css|openapi\\.yaml)?")
        .handler(StaticHandler.create("webroot").setCachingEnabled(false));
    // the charting library the dashboard draws its history with, from its webjar (a versioned path: cacheable)
    router.get("/webjars/uplot/*").handler(StaticHandler.create("META-INF/resources/webjars/uplot"));
    if (!c.tokens().isEmpty()) router.route().handler(new BearerAuth(c.tokens()));
    router.get("/ready").handler(readiness());
    router.get("/metrics").handler(ctx -> refreshDepth().onComplete(v -> {
      String text = Metrics.scrape();
      ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(text == null ? "" : text);
    }));
    router.route().handler(BodyHandler.create(false).setBodyLimit(c.bodyLimit()));
    new QueueRoutes(node).mount(router);
    new ScheduleRoutes(node).mount(router);
    new GroupRoutes(node).mount(router);
    router.route().failureHandler(ApiErrors::handle);
    router.route().last().handler(ctx -> ApiErrors.send(ctx, 404, "not_found", "no such resource: " + ctx.request().path()));

    // a connection that sends nothing for IDLE_TIMEOUT_S (a half-sent request, a client that went away) is closed
    HttpServerOptions opts = new HttpServerOptions().setHost(c.host()).setPort(c.port()).setCompressionSupported(true)
        .setIdleTimeout(IDLE_TIMEOUT_S).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        .setTracingPolicy(node.options().tracing().policy()); // with a tracer only (tracing.enabled)
    if (c.tls()) opts.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(c.certPath()).setKeyPath(c.keyPath()));
    server = vertx.createHttpServer(opts).requestHandler(new RequestGuard(router));
    return server.listen().onSuccess(s -> LOG.info("HTTP API and dashboard on {}://{}:{}/", c.tls() ? "https" : "http",
        c.host(), s.actualPort()));
  }

  private HealthCheckHandler readiness() {
    HealthCheckHandler h = HealthCheckHandler.create(vertx);
    // the PING gives up before the check's own timeout does: a check that times out counts as a failed procedure,
    // which the handler answers 500, where an unreachable Redis is a 503 (tryComplete: a late PONG finds it done)
    h.register("redis", 2_000, p -> new TimedRedis(vertx, node.redis(), 1_500).send(Request.cmd(Command.PING))
        .onSuccess(r -> p.tryComplete(Status.OK()))
        .onFailure(err -> p.tryComplete(Status.KO(new JsonObject().put("error", String.valueOf(err.getMessage()))))));
    h.register("workers", p -> {
      List<String> missing = new ArrayList<>(node.options().queues().keySet());
      missing.removeAll(node.deployer().groups().keySet());
      p.complete(missing.isEmpty() ? Status.OK(new JsonObject().put("groups", node.deployer().groups().size()))
          : Status.KO(new JsonObject().put("notDeployed", missing)));
    });
    // a rejected reload leaves the node running on the previous conf: ready, but say so
    h.register("config", p -> p.complete(Status.OK(node.lastReload())));
    return h;
  }

  private Future<Void> refreshDepth() {
    List<Future<?>> all = new ArrayList<>();
    for (var e : node.options().queues().entrySet()) {
      String q = e.getKey();
      long window = e.getValue().limits().ratePerMs();
      all.add(((io.vertiq.impl.JobQueueImpl) node.vertiq().queue(q)).counts(window).onSuccess(c -> {
        Metrics.depth(q, "ready").set(c.ready());
        Metrics.depth(q, "delayed").set(c.delayed());
        Metrics.depth(q, "active").set(c.active());
        Metrics.depth(q, "dead").set(c.dead());
        Metrics.depth(q, "completed").set(c.completed());
        Metrics.queueGauge("vertiq_queue_groups", q, "Groups with a waiting or running job, or paused").set(c.groups());
        if (window > 0) {
          Metrics.queueGauge("vertiq_rate_window_started", q, "Jobs started in the rate limit's window now")
              .set(c.startedInRateWindow());
        }
      }));
    }
    return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
