package io.vertiq.worker;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The worker's word that a queue's flow-out list holds children's ends to relay (its finish script
 * pushed them, or maintenance found the list not empty). The flow package's relay listens; the
 * worker imports no feature.
 */
public final class FlowEnds {
  /** The local address the node's flow relay drains on (body: the queue's name). */
  public static final String ADDRESS = "vertiq.internal.flow";

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private FlowEnds() {}

  /** Asks this node's relay to drain a queue's flow-out list. */
  public static void pushed(Vertx vertx, String queue) {
    vertx.eventBus().publish(ADDRESS, queue, LOCAL);
  }
}
