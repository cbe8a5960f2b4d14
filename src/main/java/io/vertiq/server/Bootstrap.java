package io.vertiq.server;

import io.vertiq.config.Compression;
import io.vertiq.config.ConfLoader;
import io.vertiq.config.ConfigErrors;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.VertiqOptions;
import io.vertiq.core.VertiqImpl;
import io.vertiq.http.HttpContract;
import io.vertiq.http.HttpVerticle;
import io.vertiq.http.Node;
import io.vertiq.observe.OtlpExport;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Layout;
import io.vertiq.redis.RedisConnector;
import io.vertiq.schedule.ScheduleStore;
import io.vertiq.worker.HandlerFactory;
import io.vertiq.worker.WorkerDeployer;
import io.vertx.config.ConfigRetriever;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Main-Verticle. Reads and validates the conf, opens the ONE shared Redis client and checks it,
 * deploys each queue's worker group through the {@link WorkerDeployer}, the event-bus API, the
 * maintenance loop and the HTTP verticle, then watches the conf file and applies valid changes
 * queue by queue. It closes the shared client last, after the children (workers first) have
 * drained.
 */
public class Bootstrap extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  private final String confPath;
  private Redis redis;
  private Node node;
  private WorkerDeployer deployer;
  private NodeServices services;

  /** The OTLP push of the meters, when the conf asks for one. */
  private OtlpExport otlp;

  private MessageConsumer<String> everyNode;
  private NodeRegistry registry;
  private EventBusApi eventBusApi;
  private ConfigRetriever watcher;
  private String httpDeployment;
  private HttpVerticle http;
  private Future<?> reloading = Future.succeededFuture();

  /** Pools replaced by a reload, closed once their old groups have drained (or at stop). */
  private final List<Redis> retired = new ArrayList<>();

  /** Used by the launcher: the conf file comes from -conf (see {@link VertiqApplication}). */
  public Bootstrap() {
    this(System.getProperty(ConfLoader.CONF_PROPERTY));
  }

  /** A bootstrap on a conf file; null to use the deployment's config (inline JSON). */
  public Bootstrap(String confPath) {
    this.confPath = confPath;
  }

  public Node node() {
    return node;
  }

  /** The HTTP verticle, or null when http.enabled is false. */
  public HttpVerticle http() {
    return http;
  }

  @Override
  public Future<?> start() {
    return ConfLoader.initial(vertx, confPath, config())
        .map(Bootstrap::validate)
        .compose(this::startWith)
        .onFailure(err -> LOG.error("Vertiq failed to start: {}", err.getMessage()));
  }

  /** Parses the conf and checks what the options classes cannot see alone (handler classes). */
  static VertiqOptions validate(JsonObject raw) {
    VertiqOptions opts = ConfLoader.parse(raw);
    ConfigErrors errors = new ConfigErrors();
    opts.queues()
        .forEach(
            (name, q) -> {
              String problem = HandlerFactory.check(q);
              if (problem != null) errors.add("queues." + name + ".handler", problem);
            });
    errors.throwIfAny();
    return opts;
  }

  private Future<Void> startWith(VertiqOptions opts) {
    LOG.info(
        "starting Vertiq: Redis {} ({}), {} queue(s): {}",
        opts.redis().maskedUrl(),
        opts.redis().type(),
        opts.queues().size(),
        String.join(", ", opts.queues().keySet()));
    // the API's contract loads beside the Redis checks: the two longest steps of a start
    Future<OpenAPIContract> contract =
        opts.http().enabled() ? HttpContract.load(vertx) : Future.succeededFuture();
    redis = RedisConnector.create(vertx, opts.redis());
    VertiqImpl vertiq = vertiq(opts, redis);
    deployer =
        new WorkerDeployer(
            vertx,
            redis,
            RedisConnector.blockingOptions(opts.redis()),
            opts.redis().keyPrefix(),
            opts.tracing().policy());
    node = new Node(opts, vertiq, redis, deployer);
    eventBusApi = new EventBusApi(vertx, vertiq, new ControlActions(node)::apply);
    return RedisConnector.check(vertx, redis, opts.redis())
        .compose(v -> Layout.check(redis, opts.redis().keyPrefix()))
        .compose(v -> vertiq.register(new ArrayList<>(opts.queues().keySet())))
        .compose(v -> startServices(opts, redis, vertiq))
        .compose(v -> deployer.deployAll(opts.queues()))
        .compose(v -> eventBusApi.start())
        .compose(
            v -> {
              // scale and redeploy asked of every node (Node#onEveryNode), as the node's
              // subscription hears them
              everyNode =
                  vertx
                      .eventBus()
                      .<String>localConsumer(
                          SignalListener.CONTROL_ADDRESS, m -> node.applyFromEveryNode(m.body()));
              return Future.<Void>succeededFuture();
            })
        .compose(v -> startHttp(opts, contract))
        .compose(
            v -> {
              services.run(opts.queues());
              watch(opts);
              return reconcileSchedules(opts);
            })
        .compose(
            v -> {
              // after the workers and the API are up: a node listed by /nodes can be reached and
              // runs what it says
              registry = new NodeRegistry(vertx, () -> redis, opts.redis().keyPrefix(), node);
              node.setRegistryId(registry.id());
              return registry.start();
            })
        .onSuccess(
            v -> {
              otlp = OtlpExport.start(opts.metrics());
              LOG.info("Vertiq started: {} worker group(s) deployed", deployer.groups().size());
            })
        .recover(
            err -> {
              if (services != null) services.close();
              return redis.close().transform(x -> Future.failedFuture(err));
            });
  }

  /**
   * The node's services (signal listener, flow relay, scheduler, maintenance, memory watch) on
   * {@code client}: built here at the start and again, replacing the old ones, on a Redis switch.
   */
  private Future<Void> startServices(VertiqOptions opts, Redis client, VertiqImpl vertiq) {
    if (services != null) services.close();
    services = new NodeServices(vertx, opts, client, vertiq);
    node.memory(services::memory);
    return services.listen();
  }

  /** The node's API on {@code client}, as the conf sets it up (durability, tracing). */
  private VertiqImpl vertiq(VertiqOptions opts, Redis client) {
    return Engines.create(
            vertx,
            client,
            opts.redis().keyPrefix(),
            opts.maxPayloadBytes(),
            opts.redis().commandTimeoutMs())
        .withDurability(opts.redis().waitReplicas(), opts.redis().waitTimeoutMs())
        .withTracingPolicy(opts.tracing().policy())
        .withCompression(queue -> compression(node == null ? opts : node.options(), queue));
  }

  /**
   * A queue's compression in the conf in force (a reload changes it); off for a queue not in it.
   */
  private static Compression compression(VertiqOptions opts, String queue) {
    QueueOptions q = opts.queues().get(queue);
    return q == null ? Compression.OFF : q.compression();
  }

  private Future<Void> startHttp(VertiqOptions opts, Future<OpenAPIContract> contract) {
    if (!opts.http().enabled()) return Future.succeededFuture();
    http = new HttpVerticle(node, contract);
    return vertx
        .deployVerticle(http, new DeploymentOptions())
        .map(
            id -> {
              httpDeployment = id;
              return null;
            });
  }

  private void watch(VertiqOptions opts) {
    if (confPath == null || opts.scanPeriodMs() <= 0) return;
    watcher = ConfLoader.watch(vertx, confPath, opts.scanPeriodMs());
    watcher.listen(
        change -> {
          reloading = reloading.transform(x -> reload(change.getNewConfiguration()));
        });
  }

  /**
   * Applies a changed conf: an invalid one changes nothing; a valid one redeploys only what differs
   * (see {@link ConfReload}).
   */
  public Future<Void> reload(JsonObject raw) {
    return new ConfReload(node, deployer, Bootstrap::validate, reloadTarget()).apply(raw);
  }

  private ConfReload.Target reloadTarget() {
    return new ConfReload.Target() {
      @Override
      public Future<Void> swapRedis(VertiqOptions neu) {
        return Bootstrap.this.swapRedis(neu);
      }

      @Override
      public Future<Void> reconcileSchedules(VertiqOptions opts) {
        return Bootstrap.this.reconcileSchedules(opts);
      }

      @Override
      public void queuesApplied(VertiqOptions neu) {
        services.update(neu.queues());
        node.vertiq().register(new ArrayList<>(neu.queues().keySet()));
      }
    };
  }

  /**
   * Makes the conf's schedules of each queue the stored ones (those made through the API are kept).
   */
  private Future<Void> reconcileSchedules(VertiqOptions opts) {
    List<Future<?>> each = new ArrayList<>();
    opts.queues()
        .forEach(
            (name, q) ->
                each.add(
                    new ScheduleStore(redis, new Keys(opts.redis().keyPrefix(), name))
                        .reconcile(q.schedules())));
    return Future.all(each).mapEmpty();
  }

  /** Opens and checks the new pool first; the old one closes only after every group moved over. */
  private Future<Void> swapRedis(VertiqOptions neu) {
    Redis fresh = RedisConnector.create(vertx, neu.redis());
    Redis old = redis;
    return RedisConnector.check(vertx, fresh, neu.redis())
        .compose(v -> Layout.check(fresh, neu.redis().keyPrefix()))
        .compose(
            v -> {
              redis = fresh;
              deployer.useRedis(fresh, RedisConnector.blockingOptions(neu.redis()));
              VertiqImpl vertiq = vertiq(neu, fresh);
              node.setClient(fresh, vertiq);
              startServices(neu, fresh, vertiq);
              services.run(neu.queues());
              // close the old pool once the redeploys that follow have drained the old groups
              retired.add(old);
              vertx.setTimer(
                  Math.max(
                      30_000,
                      neu.queues().values().stream()
                              .mapToLong(q -> q.drainTimeoutMs())
                              .max()
                              .orElse(0)
                          * 2),
                  t -> {
                    if (retired.remove(old)) old.close();
                  });
              return Future.<Void>succeededFuture();
            },
            err -> {
              fresh.close();
              return Future.failedFuture(err);
            });
  }

  @Override
  public Future<?> stop() {
    if (watcher != null) watcher.close();
    if (otlp != null) otlp.stop();
    Future<Void> unlisted = registry == null ? Future.succeededFuture() : registry.stop();
    if (services != null) services.close();
    if (everyNode != null) everyNode.unregister();
    // children (the worker groups, the HTTP verticle) are undeployed, and drained, before this runs
    Future<Void> api =
        unlisted.transform(
            x -> eventBusApi == null ? Future.succeededFuture() : eventBusApi.stop());
    return api.transform(x -> deployer == null ? Future.succeededFuture() : deployer.undeployAll())
        .transform(
            x -> {
              List<Future<?>> closing = new ArrayList<>();
              retired.forEach(r -> closing.add(r.close()));
              retired.clear();
              if (redis != null) closing.add(redis.close());
              return Future.join(closing);
            })
        .onComplete(x -> LOG.info("Vertiq stopped"));
  }
}
