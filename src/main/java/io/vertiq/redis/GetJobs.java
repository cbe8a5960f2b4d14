package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * getJobs-7.lua as a Java type: jobs by id, each with its state and its fields (its hash, a plain
 * job's spec as field s, a kept completed run as c and ft), compressed values read back as text.
 */
public final class GetJobs {
  /** A job that exists: its id, its state's word, its fields. */
  public record Found(String id, String state, Map<String, String> fields) {}

  private final Keys keys;

  public GetJobs(Keys keys) {
    this.keys = keys;
  }

  /** The jobs that exist among {@code ids}, in that order. */
  public Future<List<Found>> run(Redis redis, List<String> ids) {
    List<String> args = new ArrayList<>(ids.size() + 1);
    args.add(keys.jobPrefix());
    args.addAll(ids);
    List<String> k = new ArrayList<>(keys.stateSets());
    k.add(keys.specs());
    k.add(keys.done());
    return Scripts.run(redis, Scripts.GET_JOBS, k, args)
        .map(
            r -> {
              List<Found> found = new ArrayList<>();
              for (int i = 0; i < ids.size(); i++) {
                String state = r.get(2 * i).toString();
                if (!state.isEmpty())
                  found.add(new Found(ids.get(i), state, Responses.hash(r.get(2 * i + 1))));
              }
              return found;
            });
  }
}
