package io.vertiq.limit;

import io.vertiq.GroupLimits;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.core.Features;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;

/**
 * One queue's groups in Redis (see lua/includes/groups.lua): each group's waiting and running jobs,
 * whether it is paused, whether a group limit holds it back and the limits set for it at run time;
 * pause and resume one group, set or clear its limits.
 */
public final class GroupStore implements Features.Groups {
  /** Most groups one page lists. */
  public static final int MAX_PAGE = 500;

  private final Redis redis;
  private final Keys keys;

  public GroupStore(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Throws INVALID_ARGUMENT naming the group when it is not a valid group name. */
  public static void checkName(String group) {
    if (group == null || !NewJob.GROUP_NAME.matcher(group).matches()) {
      throw VertiqException.invalid("group: " + NewJob.GROUP_RULE + ", got \"" + group + "\"");
    }
  }

  /**
   * A page of the queue's live groups (with a waiting or running job, or paused), sorted by name
   * within the page: {"groups": [...], "next": cursor or null}. A cursor is the one a previous page
   * returned ("0" to start).
   */
  @Override
  public Future<JsonObject> page(String cursor, int limit) {
    if (!validCursor(cursor))
      throw VertiqException.invalid(
          "cursor: expected a cursor a previous page returned, got \"" + cursor + "\"");
    if (limit < 1 || limit > MAX_PAGE)
      throw VertiqException.invalid("limit: expected 1 to " + MAX_PAGE + ", got " + limit);
    return Scripts.run(
            redis,
            Scripts.LIST_GROUPS,
            List.of(keys.groupsKnown()),
            List.of(keys.jobPrefix(), cursor, Integer.toString(limit)))
        .map(
            r -> {
              JsonObject page = new JsonObject().put("groups", groups(r));
              return "0".equals(r.get(0).toString())
                  ? page
                  : page.put("next", r.get(0).toString()); // absent on the last
            });
  }

  /** An SSCAN cursor: an unsigned 64-bit number, as Redis takes it. */
  private static boolean validCursor(String cursor) {
    if (cursor == null || !cursor.matches("\\d{1,20}")) return false;
    try {
      Long.parseUnsignedLong(cursor);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** One group's state (a group nobody used shows zeros). */
  @Override
  public Future<JsonObject> get(String group) {
    checkName(group);
    return Scripts.run(
            redis,
            Scripts.LIST_GROUPS,
            List.of(keys.groupsKnown()),
            List.of(keys.jobPrefix(), "0", "1", group))
        .map(r -> groups(r).getJsonObject(0));
  }

  /** Pauses (its jobs wait; its running ones finish) or resumes one group; returns its state. */
  @Override
  public Future<JsonObject> setPaused(String group, boolean paused) {
    checkName(group);
    return Scripts.run(
            redis,
            Scripts.SET_GROUP_PAUSED,
            List.of(keys.groupsPaused(), keys.wake()),
            List.of(keys.jobPrefix(), group, paused ? "1" : "0"))
        .compose(r -> get(group));
  }

  /**
   * Sets one group's limits at run time (null: back to the queue's); every node's next fetch
   * applies them. Returns the group's state.
   */
  @Override
  public Future<JsonObject> setLimits(String group, GroupLimits limits) {
    checkName(group);
    return Scripts.run(
            redis,
            Scripts.SET_GROUP_LIMITS,
            List.of(keys.groupLimits(), keys.meta(), keys.wake()),
            List.of(keys.jobPrefix(), group, limits == null ? "" : encode(limits)))
        .compose(r -> get(group));
  }

  /** The stored form (see groups.lua's group-limits): 0 for a limit left to the queue. */
  static String encode(GroupLimits l) {
    return l.concurrency()
        + "|"
        + l.rateMax()
        + "|"
        + l.ratePerMs()
        + "|"
        + l.weight()
        + "|"
        + (l.smooth() ? "1" : "0");
  }

  /** The limits a stored value holds, or null for "" (none set). */
  static GroupLimits decode(String v) {
    if (v == null || v.isEmpty()) return null;
    String[] p = v.split("\\|");
    GroupLimits l = GroupLimits.none().weight(Integer.parseInt(p[3]));
    if (!"0".equals(p[0])) l = l.concurrency(Integer.parseInt(p[0]));
    if (!"0".equals(p[1]))
      l =
          l.rateLimit(
              Integer.parseInt(p[1]), Duration.ofMillis(Long.parseLong(p[2])), "1".equals(p[4]));
    return l;
  }

  private static final int FIELDS = 6;

  private static JsonArray groups(Response r) {
    JsonArray out = new JsonArray();
    for (int i = 1; i + FIELDS - 1 < r.size(); i += FIELDS) {
      long until = r.get(i + 4).toLong();
      JsonObject g =
          new JsonObject()
              .put("name", r.get(i).toString())
              .put("waiting", r.get(i + 1).toLong())
              .put("active", r.get(i + 2).toLong())
              .put("paused", r.get(i + 3).toInteger() == 1);
      if (until == -2) g.put("limited", "concurrency");
      else if (until > 0) g.put("limited", "rate").put("limitedUntil", until);
      GroupLimits set = decode(r.get(i + 5).toString());
      if (set != null) g.put("limits", set.toJson());
      out.add(g);
    }
    return out;
  }
}
