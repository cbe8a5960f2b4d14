package io.vertiq.http;

import io.vertiq.config.HttpConfig;
import io.vertiq.observe.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: REST API, dashboard at /, /health, /ready, /metrics and /openapi.yaml. Bodies
 * are size-limited before they are parsed; with tokens configured every path but the probes and the
 * dashboard's files needs a bearer token.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  /** Seconds a connection may stay silent before it is closed. */
  static final int IDLE_TIMEOUT_S = 30;

  private final Node node;
  private final Future<OpenAPIContract> contract;
  private HttpServer server;

  /** {@code contract}: the document's contract, loading (see {@link HttpContract#load}). */
  public HttpVerticle(Node node, Future<OpenAPIContract> contract) {
    this.node = node;
    this.contract = contract;
  }

  private Router router;
  private QueueGauges gauges;
  private List<String> operations = List.of();

  /**
   * The operationIds of the OpenAPI document this server routes (every one of them, or it does not
   * start).
   */
  public List<String> operations() {
    return operations;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    HttpConfig c = node.options().http();
    gauges = new QueueGauges(node);
    return contract
        .compose(
            contract -> {
              router = router(contract, c);
              // a connection that sends nothing for IDLE_TIMEOUT_S (a half-sent request, a client
              // that went away) is closed;
              // request lines up to 64 KiB reach the router, which answers a long path itself (with
              // a JSON body)
              HttpServerOptions opts =
                  new HttpServerOptions()
                      .setHost(c.host())
                      .setPort(c.port())
                      .setCompressionSupported(true)
                      .setIdleTimeout(IDLE_TIMEOUT_S)
                      .setIdleTimeoutUnit(TimeUnit.SECONDS)
                      .setMaxInitialLineLength(RequestGuard.MAX_LINE)
                      .setTracingPolicy(
                          node.options()
                              .tracing()
                              .policy()); // with a tracer only (tracing.enabled)
              if (c.tls())
                opts.setSsl(true)
                    .setKeyCertOptions(
                        new PemKeyCertOptions().setCertPath(c.certPath()).setKeyPath(c.keyPath()));
              server =
                  vertx
                      .createHttpServer(opts)
                      .requestHandler(new RequestGuard(router))
                      .invalidRequestHandler(RequestGuard::invalid);
              return server
                  .listen()
                  .recover(
                      err ->
                          Future.failedFuture(
                              new IllegalStateException(
                                  "http.port "
                                      + c.port()
                                      + " on "
                                      + c.host()
                                      + ": cannot listen ("
                                      + err.getMessage()
                                      + "); set http.port to a free port, or http.enabled to false",
                                  err)));
            })
        .onSuccess(
            s ->
                LOG.info(
                    "HTTP API and dashboard on {}://{}:{}/",
                    c.tls() ? "https" : "http",
                    c.host(),
                    s.actualPort()));
  }

  private Router router(OpenAPIContract contract, HttpConfig c) {
    RouterBuilder api = RouterBuilder.create(vertx, contract, new ContractRequests());
    // both run before the body is read (vertx-web orders a route's handlers by kind: platform
    // handlers first), so
    // an unauthenticated client's body is never buffered and every answer, a 401 too, carries the
    // headers
    api.rootHandler((PlatformHandler) SecurityHeaders::add);
    // the dashboard's files hold no data and a browser cannot send a bearer token when it opens a
    // page: they are
    // public (as /health is), and the page asks for the token before it calls the API
    // made with or without tokens: an operation that names no role stops the start either way
    RoleGate roles = new RoleGate(api.getRoutes());
    if (c.authEnabled()) {
      api.rootHandler(new BearerAuth(c, HttpVerticle::isPublic));
      api.rootHandler(roles);
    }
    api.rootHandler(BodyHandler.create(false).setBodyLimit(c.bodyLimit()));
    HealthCheckHandler health =
        HealthCheckHandler.create(vertx).register("process", p -> p.complete(Status.OK()));
    Operations.on(api, "health", health);
    Operations.on(api, "healthHead", health);
    Operations.on(api, "ready", new Readiness(vertx, node).handler(c.authEnabled()));
    Operations.on(
        api,
        "metrics",
        ctx ->
            gauges
                .refresh()
                .onComplete(
                    v -> {
                      String text = Metrics.scrape();
                      ctx.response()
                          .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                          .end(text == null ? "" : text);
                    }));
    new QueueRoutes(node).mount(api);
    new JobRoutes(node).mount(api);
    new ScalingRoutes(node).mount(api);
    new FlowRoutes(node).mount(api);
    new AdminRoutes(node).mount(api);
    new ScheduleRoutes(node).mount(api);
    new GroupRoutes(node).mount(api);
    new MetricsRoutes(node).mount(api);
    List<String> missing = Operations.unserved(api);
    if (!missing.isEmpty())
      throw new IllegalStateException(
          "operations of " + HttpContract.PATH + " without a handler: " + missing);
    operations =
        api.getRoutes().stream().map(r -> r.getOperation().getOperationId()).sorted().toList();
    Router r = api.createRouter();
    r.getWithRegex("/(index\\.html|dashboard\\.js|dashboard\\.css|openapi\\.yaml)?")
        .handler(StaticHandler.create("webroot").setCachingEnabled(false));
    // the charting library the dashboard draws its history with, from its webjar (a versioned path:
    // cacheable)
    r.get("/webjars/uplot/*").handler(StaticHandler.create("META-INF/resources/webjars/uplot"));
    r.route().failureHandler(ApiErrors::handle);
    r.route()
        .last()
        .handler(
            ctx ->
                ApiErrors.send(ctx, 404, "not_found", "no such resource: " + ctx.request().path()));
    return r;
  }

  /**
   * Paths served without a token: the probes (a kubelet sends none; /ready then says only what is
   * up, see Readiness) and the dashboard's static files.
   */
  static boolean isPublic(String path) {
    return path.equals("/health")
        || path.equals("/ready")
        || path.equals("/")
        || path.equals("/index.html")
        || path.equals("/dashboard.js")
        || path.equals("/dashboard.css")
        || path.equals("/openapi.yaml")
        || path.startsWith("/webjars/");
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
