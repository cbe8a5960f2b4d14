package io.vertiq.worker;

import io.vertx.redis.client.RedisOptions;

/**
 * What every worker verticle of a queue gets by constructor from the bootstrap: the queue's store on the
 * shared Redis client, and the options for its own blocking connection.
 */
public record WorkerContext(WorkerStore store, RedisOptions blockingOptions) {}
