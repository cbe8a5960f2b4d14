package io.vertiq.worker;

import io.vertx.core.tracing.TracingPolicy;
import io.vertx.redis.client.RedisOptions;

/**
 * What every worker verticle of a queue gets by constructor from the bootstrap: the queue's store
 * on the shared Redis client, the options for its own blocking connection, and how its runs are
 * traced when Vert.x has a tracer.
 */
public record WorkerContext(
    WorkerStore store, RedisOptions blockingOptions, TracingPolicy tracingPolicy) {}
