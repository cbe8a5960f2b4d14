package io.vertiq.testing;

import io.vertiq.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process of its own for the clustered event-bus tests: a clustered Vert.x (the project's
 * conf/cluster.xml, the cluster's name and members from system properties) that serves a job
 * address and counts a queue's lifecycle events, printing "ready" once it serves and then its
 * counts every 200 ms ("handled=N events=M"). Usage: ClusterConsumer address queue
 */
public final class ClusterConsumer {
  public static void main(String[] args) throws Exception {
    String address = args[0];
    String queue = args[1];
    System.setProperty(
        "vertx.hazelcast.config", System.getProperty("vertx.hazelcast.config", "conf/cluster.xml"));
    System.setProperty("hazelcast.logging.type", "slf4j");
    Vertx vertx =
        Vertx.builder()
            .withClusterManager(new HazelcastClusterManager())
            .buildClustered()
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    // a SIGTERM leaves the cluster cleanly (its consumers unregistered at once), as a stopping
    // service does
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    vertx
                        .close()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);
                  } catch (Exception ignored) {
                    // exiting anyway
                  }
                }));
    AtomicLong handled = new AtomicLong();
    AtomicLong events = new AtomicLong();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            address,
            msg -> {
              handled.incrementAndGet();
              msg.reply(
                  new JsonObject().put("ranOn", "consumer").put("id", msg.body().getString("id")));
            })
        .completion()
        .toCompletionStage()
        .toCompletableFuture()
        .get();
    vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.events(queue), msg -> events.incrementAndGet())
        .completion()
        .toCompletionStage()
        .toCompletableFuture()
        .get();
    System.out.println("ready");
    // a control request across the cluster: the service node answers it (this process runs no
    // Vertiq)
    vertx.setPeriodic(
        500,
        t ->
            vertx
                .eventBus()
                .<JsonObject>request(
                    Addresses.CONTROL, new JsonObject().put("action", "stats").put("queue", queue))
                .onSuccess(
                    r -> {
                      if (Boolean.TRUE.equals(r.body().getBoolean("ok")))
                        System.out.println("control=ok");
                    }));
    vertx.setPeriodic(
        200, t -> System.out.println("handled=" + handled.get() + " events=" + events.get()));
  }
}
