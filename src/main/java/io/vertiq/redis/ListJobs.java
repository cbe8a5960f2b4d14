package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * listReady-2.lua and listJobs-1.lua as a Java type: a page of a state's job ids and the state's
 * total.
 */
public final class ListJobs {
  /** A page of ids, in the order of their state, and how many jobs the state holds. */
  public record IdPage(long total, List<String> ids) {}

  private final Keys keys;

  public ListJobs(Keys keys) {
    this.keys = keys;
  }

  /** The ready jobs, across the ready zset and the fifo list, in the order workers take them. */
  public Future<IdPage> ready(Redis redis, long offset, int limit) {
    return Scripts.run(
            redis,
            Scripts.LIST_READY,
            List.of(keys.ready(), keys.fifo()),
            List.of(Long.toString(offset), Integer.toString(limit)))
        .map(ListJobs::page);
  }

  /** The jobs of one state's sorted set ({@code set}), oldest first or newest first. */
  public Future<IdPage> of(Redis redis, String set, long offset, int limit, boolean newestFirst) {
    return Scripts.run(
            redis,
            Scripts.LIST,
            List.of(set),
            List.of(Long.toString(offset), Integer.toString(limit), newestFirst ? "1" : "0"))
        .map(ListJobs::page);
  }

  /** The reply: the total, then the ids. */
  private static IdPage page(Response r) {
    List<String> ids = new ArrayList<>(Math.max(0, r.size() - 1));
    for (int i = 1; i < r.size(); i++) ids.add(r.get(i).toString());
    return new IdPage(r.get(0).toLong(), ids);
  }
}
