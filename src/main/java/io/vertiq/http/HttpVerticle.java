package io.vertiq.http;

import io.vertiq.Node;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Placeholder until the HTTP API lands. */
public final class HttpVerticle extends VerticleBase {
  private final Node node;

  public HttpVerticle(Node node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
