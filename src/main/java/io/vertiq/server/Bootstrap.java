package io.vertiq.server;

import io.vertiq.config.Compression;
import io.vertiq.config.ConfLoader;
import io.vertiq.config.ConfigDiff;
import io.vertiq.config.ConfigErrors;
import io.vertiq.config.InvalidConfigException;
import io.vertiq.config.QueueOptions;
import io.vertiq.config.VertiqOptions;
import io.vertiq.core.VertiqImpl;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
        .compose(
            v -> {
              services = new NodeServices(vertx, opts, redis, vertiq);
              node.memory(services::memory);
              return services.listen();
            })
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
        .compose(v -> startHttp(opts))
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

  private Future<Void> startHttp(VertiqOptions opts) {
    if (!opts.http().enabled()) return Future.succeededFuture();
    http = new HttpVerticle(node);
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
   * Applies a changed conf: an invalid one changes nothing; a valid one redeploys only what
   * differs.
   */
  public Future<Void> reload(JsonObject raw) {
    VertiqOptions neu;
    try {
      neu = validate(raw);
    } catch (InvalidConfigException e) {
      LOG.error(
          "conf reload REJECTED, still running on the previous conf:\n  {}",
          String.join("\n  ", e.errors()));
      node.reloadRejected(e.errors());
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      LOG.error("conf reload REJECTED: {}", e.getMessage());
      node.reloadRejected(List.of(String.valueOf(e.getMessage())));
      return Future.succeededFuture();
    }
    VertiqOptions old = node.options();
    ConfigDiff diff = ConfigDiff.between(old, neu);
    if (diff.isEmpty()) {
      boolean schedulesChanged = !old.toJson().equals(neu.toJson());
      node.setOptions(neu);
      if (schedulesChanged) {
        // only schedules differ: they are reconciled in Redis, the workers stay as they are
        return reconcileSchedules(neu)
            .transform(
                ar -> {
                  if (ar.failed())
                    node.reloadRejected(List.of("schedules: " + ar.cause().getMessage()));
                  else node.reloadAccepted(new JsonArray().add("schedules reconciled"));
                  LOG.info("conf reloaded: schedules reconciled");
                  return Future.succeededFuture();
                });
      }
      // the file is back to the conf in force: a rejection reported before no longer holds
      if ("rejected".equals(node.lastReload().getString("status"))) {
        LOG.info("conf reloaded: the file matches the running conf again");
        node.reloadAccepted(new JsonArray());
      }
      return Future.succeededFuture();
    }
    JsonArray changes = new JsonArray();
    List<Future<?>> steps = new ArrayList<>();
    Future<Void> redisSwap = Future.succeededFuture();
    if (diff.redisChanged()) {
      redisSwap = swapRedis(neu);
      changes.add("redis: new shared pool, every worker group redeployed");
    }
    return redisSwap
        .compose(
            v -> {
              for (String name : diff.added()) {
                changes.add("queues." + name + ": deployed");
                steps.add(deployer.deploy(name, neu.queues().get(name)));
              }
              List<String> redeploy = new ArrayList<>(diff.changed());
              if (diff.redisChanged()) {
                neu.queues().keySet().stream()
                    .filter(n -> !diff.added().contains(n) && !redeploy.contains(n))
                    .forEach(redeploy::add);
              }
              for (String name : redeploy) {
                changes.add("queues." + name + ": redeployed");
                steps.add(deployer.deploy(name, neu.queues().get(name)));
              }
              for (String name : diff.removed()) {
                changes.add("queues." + name + ": drained and removed");
                steps.add(deployer.undeploy(name));
              }
              if (diff.httpChanged()) changes.add("http: changes take effect at the next restart");
              return Future.join(steps);
            })
        .transform(
            ar -> {
              node.setOptions(neu);
              services.update(neu.queues());
              reconcileSchedules(neu)
                  .onFailure(
                      err ->
                          LOG.error(
                              "schedules not reconciled with the conf: {}", err.getMessage()));
              node.vertiq().register(new ArrayList<>(neu.queues().keySet()));
              if (ar.failed()) {
                LOG.error("conf reload partly failed: {}", ar.cause().getMessage());
                node.reloadRejected(List.of("apply failed: " + ar.cause().getMessage()));
              } else {
                LOG.info("conf reloaded: {}", changes.encode());
                node.reloadAccepted(changes);
              }
              return Future.succeededFuture();
            });
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
              services.close();
              services = new NodeServices(vertx, neu, fresh, vertiq);
              node.memory(services::memory);
              services.listen();
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
