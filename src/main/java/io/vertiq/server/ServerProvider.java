package io.vertiq.server;

import io.vertiq.Vertiq;
import io.vertiq.VertiqProvider;
import io.vertiq.config.RedisConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;

/**
 * The implementation {@link Vertiq}'s factories find (registered in
 * META-INF/services/io.vertiq.VertiqProvider).
 */
public final class ServerProvider implements VertiqProvider {
  @Override
  public Vertiq create(Vertx vertx, Redis redis, String keyPrefix, int maxPayloadBytes) {
    return Engines.create(
        vertx, redis, keyPrefix, maxPayloadBytes, RedisConfig.DEFAULT_COMMAND_TIMEOUT_MS);
  }

  @Override
  public Future<String> deploy(Vertx vertx, JsonObject conf) {
    return vertx.deployVerticle(new Bootstrap(null), new DeploymentOptions().setConfig(conf));
  }
}
