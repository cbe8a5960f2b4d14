package io.vertiq.observe;

import io.vertiq.redis.Keys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the node registry every node writes its entry to (see io.vertiq.server.NodeRegistry): who
 * runs, and what.
 */
public final class Nodes {
  private Nodes() {}

  /**
   * Every live node's entry, sorted by id; ids whose entry expired are dropped from the set on the
   * way.
   */
  public static Future<JsonArray> list(Redis redis, String prefix) {
    return redis
        .send(Request.cmd(Command.SMEMBERS).arg(Keys.nodes(prefix)))
        .compose(
            ids -> {
              List<String> all = new ArrayList<>();
              for (Response id : ids) all.add(id.toString());
              all.sort(null);
              List<Future<Response>> each = new ArrayList<>();
              for (String id : all)
                each.add(redis.send(Request.cmd(Command.HGETALL).arg(Keys.node(prefix, id))));
              return Future.all(each)
                  .map(
                      v -> {
                        JsonArray out = new JsonArray();
                        for (int i = 0; i < all.size(); i++) {
                          Response h = each.get(i).result();
                          if (h == null || h.size() == 0) {
                            redis.send(
                                Request.cmd(Command.SREM)
                                    .arg(Keys.nodes(prefix))
                                    .arg(all.get(i))); // expired: it stopped beating
                            continue;
                          }
                          JsonObject n = new JsonObject();
                          for (String f : h.getKeys()) n.put(f, h.get(f).toString());
                          out.add(
                              new JsonObject()
                                  .put("id", n.getString("id"))
                                  .put("host", n.getString("host"))
                                  .put("pid", Long.parseLong(n.getString("pid", "0")))
                                  .put("version", n.getString("version"))
                                  .put("startedAt", Long.parseLong(n.getString("startedAt", "0")))
                                  .put(
                                      "heartbeatAt",
                                      Long.parseLong(n.getString("heartbeatAt", "0")))
                                  .put("running", Long.parseLong(n.getString("running", "0")))
                                  .put("queues", new JsonObject(n.getString("queues", "{}"))));
                        }
                        return out;
                      });
            });
  }
}
