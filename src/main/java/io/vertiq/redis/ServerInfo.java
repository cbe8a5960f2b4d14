package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * Reads the server's INFO text: its fields, which server it is (Redis, or Valkey with the Redis
 * version it matches), and the overview the console shows (memory used of max, clients, uptime).
 */
public final class ServerInfo {
  private ServerInfo() {}

  /** A field of an INFO reply ("name:value" lines), or null when it has none. */
  public static String field(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) return line.substring(name.length() + 1).trim();
    }
    return null;
  }

  /** A numeric field of an INFO reply, 0 when it has none. */
  public static long number(String info, String name) {
    String v = field(info, name);
    return v == null ? 0 : Long.parseLong(v);
  }

  /** The server and its version: "Redis 7.0.15", or "valkey 8.0.1 (Redis 7.2.4 compatible)". */
  public static String name(String info) {
    String version = field(info, "redis_version");
    // Valkey says which server it is, with its own version beside the Redis one it matches
    String server = field(info, "server_name");
    String own = server == null ? null : field(info, server + "_version");
    return server == null || own == null
        ? "Redis " + version
        : server + " " + own + " (Redis " + version + " compatible)";
  }

  /**
   * The overview of the server behind {@code redis}: {"server", "usedMemory", "maxMemory" (0: no
   * limit), "clients", "uptimeSeconds"}.
   */
  public static Future<JsonObject> overview(Redis redis) {
    return redis
        .send(Request.cmd(Command.INFO))
        .map(
            r -> {
              String info = r.toString();
              return new JsonObject()
                  .put("server", name(info))
                  .put("usedMemory", number(info, "used_memory"))
                  .put("maxMemory", number(info, "maxmemory"))
                  .put("clients", number(info, "connected_clients"))
                  .put("uptimeSeconds", number(info, "uptime_in_seconds"));
            });
  }
}
