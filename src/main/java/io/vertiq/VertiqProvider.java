package io.vertiq;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.ServiceLoader;

/**
 * How {@link Vertiq}'s factories reach the implementation without the API importing it: the service
 * package registers one provider (META-INF/services), found once with {@link ServiceLoader}, as
 * JDBC finds its drivers.
 */
public interface VertiqProvider {
  /** The queues API on a Redis client, every feature wired in. */
  Vertiq create(Vertx vertx, Redis redis, String keyPrefix, int maxPayloadBytes);

  /**
   * Deploys the service (workers, maintenance, the event-bus and, as the conf says, the HTTP API)
   * in this Vert.x.
   */
  Future<String> deploy(Vertx vertx, JsonObject conf);

  /** The provider on the class path. */
  static VertiqProvider get() {
    return Holder.PROVIDER;
  }

  /** Loads the provider on first use only. */
  final class Holder {
    private static final VertiqProvider PROVIDER =
        ServiceLoader.load(VertiqProvider.class)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no io.vertiq.VertiqProvider on the class path: is the vertiq jar whole?"));

    private Holder() {}
  }
}
