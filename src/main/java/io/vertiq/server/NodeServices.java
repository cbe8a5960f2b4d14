package io.vertiq.server;

import io.vertiq.config.QueueOptions;
import io.vertiq.config.VertiqOptions;
import io.vertiq.core.Admission;
import io.vertiq.core.VertiqImpl;
import io.vertiq.flow.FlowRelay;
import io.vertiq.redis.RedisConnector;
import io.vertiq.schedule.Scheduler;
import io.vertiq.worker.Maintenance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.Map;

/**
 * The node's own services on one Redis pool: the signal subscription, the flow relay, maintenance,
 * the scheduler and the memory watch. Built by the same code at start and when a reload moves the
 * node to a new pool, so the two cannot drift apart: the old set is closed and a new one started.
 */
final class NodeServices {
  private final SignalListener signals;
  private final FlowRelay flows;
  private final Maintenance maintenance;
  private final Scheduler scheduler;
  private final MemoryWatch memory;
  private final VertiqImpl engine;

  NodeServices(Vertx vertx, VertiqOptions opts, Redis redis, VertiqImpl engine) {
    this.engine = engine;
    String prefix = opts.redis().keyPrefix();
    this.signals = new SignalListener(vertx, RedisConnector.blockingOptions(opts.redis()), prefix);
    this.flows = new FlowRelay(vertx, () -> redis, () -> engine, prefix);
    this.maintenance = new Maintenance(vertx, redis, prefix, opts.maintenanceMs());
    this.scheduler = new Scheduler(vertx, redis, engine, prefix, opts.maintenanceMs());
    this.memory = new MemoryWatch(vertx, redis, opts.redis().memoryHighWater());
  }

  /**
   * Starts what must hear other nodes before the workers run: the signal subscription (cancels,
   * control).
   */
  Future<Void> listen() {
    return signals.start();
  }

  /** Starts the periodic passes over the queues of the conf. */
  void run(Map<String, QueueOptions> queues) {
    memory.start();
    engine.admission(memory);
    maintenance.start(queues);
    scheduler.start(queues.keySet());
  }

  /** A reload changed the queues: the passes take the new set. */
  void update(Map<String, QueueOptions> queues) {
    maintenance.update(queues);
    scheduler.update(queues.keySet());
  }

  /** Redis's memory against the high-water mark, as /ready shows it. */
  JsonObject memory() {
    return memory.status();
  }

  void close() {
    engine.admission(Admission.OPEN);
    memory.stop();
    maintenance.stop();
    scheduler.stop();
    signals.close();
    flows.close();
  }
}
