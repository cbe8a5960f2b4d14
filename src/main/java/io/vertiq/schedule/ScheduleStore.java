package io.vertiq.schedule;

import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.core.Features;
import io.vertiq.redis.Keys;
import io.vertiq.redis.Responses;
import io.vertiq.redis.Scripts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One queue's schedules in Redis: create, replace, pause, resume, remove, list, and the conf's
 * reconciled in.
 */
public final class ScheduleStore implements Features.Schedules {
  private final Redis redis;
  private final Keys keys;
  private final List<String> putKeys;

  public ScheduleStore(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
    this.putKeys =
        List.of(keys.schedules(), keys.scheduleNext(), keys.scheduleState(), keys.delayed());
  }

  public Keys keys() {
    return keys;
  }

  /** Redis time in ms: next fire times are computed from it, as the fires are judged on it. */
  Future<Long> now() {
    return redis
        .send(Request.cmd(Command.TIME))
        .map(t -> t.get(0).toLong() * 1000 + t.get(1).toLong() / 1000);
  }

  /**
   * Creates or replaces a schedule (validated first, naming the bad field); its next fire counts
   * from now.
   */
  @Override
  public Future<JsonObject> put(String name, JsonObject json, String source) {
    checkName(name);
    ScheduleSpec spec = ScheduleSpec.parse(json, "body");
    return now()
        .compose(
            now ->
                Scripts.run(
                    redis,
                    Scripts.PUT_SCHEDULE,
                    putKeys,
                    List.of(
                        name,
                        json.encode(),
                        source,
                        Long.toString(spec.nextAfter(now)),
                        "",
                        keys.jobPrefix(),
                        Keys.scheduleChannel(keys.prefix()),
                        keys.queue())))
        .compose(r -> get(name));
  }

  @Override
  public Future<Boolean> remove(String name) {
    checkName(name);
    return Scripts.run(redis, Scripts.REMOVE_SCHEDULE, putKeys, List.of(name, keys.jobPrefix()))
        .map(r -> r.toInteger() == 1);
  }

  /** Pauses (nothing fires) or resumes (fires from now on) a schedule. */
  @Override
  public Future<JsonObject> setPaused(String name, boolean paused) {
    checkName(name);
    return spec(name)
        .compose(
            spec ->
                now()
                    .compose(
                        now ->
                            Scripts.run(
                                redis,
                                Scripts.PUT_SCHEDULE,
                                putKeys,
                                List.of(
                                    name,
                                    "",
                                    "",
                                    paused ? "-1" : Long.toString(spec.nextAfter(now)),
                                    paused ? "1" : "0",
                                    keys.jobPrefix(),
                                    Keys.scheduleChannel(keys.prefix()),
                                    keys.queue()))))
        .compose(r -> get(name));
  }

  /** The stored spec, or NOT_FOUND. */
  @Override
  public Future<NewJob> job(String name) {
    return spec(name).map(ScheduleSpec::job);
  }

  public Future<ScheduleSpec> spec(String name) {
    return redis
        .send(Request.cmd(Command.HGET).arg(keys.schedules()).arg(name))
        .compose(
            r ->
                r == null
                    ? Future.failedFuture(
                        VertiqException.notFound(
                            "schedule " + name + " not found in queue " + keys.queue()))
                    : Future.succeededFuture(
                        ScheduleSpec.parse(new JsonObject(r.toString()), "schedules." + name)));
  }

  /**
   * One schedule as the API shows it: its spec, source, paused flag, fires so far and next fire
   * time.
   */
  public Future<JsonObject> get(String name) {
    // its own fields only, in one round trip: a conf of 10,000 schedules is reconciled in as many
    // puts, each of
    // which answers with this (reading the whole list here made that quadratic)
    return redis
        .batch(
            List.of(
                Request.cmd(Command.HGET).arg(keys.schedules()).arg(name),
                Request.cmd(Command.HMGET)
                    .arg(keys.scheduleState())
                    .arg(name + ":source")
                    .arg(name + ":paused")
                    .arg(name + ":fires"),
                Request.cmd(Command.ZSCORE).arg(keys.scheduleNext()).arg(name)))
        .compose(
            r -> {
              if (r.get(0) == null)
                return Future.failedFuture(
                    VertiqException.notFound(
                        "schedule " + name + " not found in queue " + keys.queue()));
              Response st = r.get(1);
              return Future.succeededFuture(
                  describe(
                      name,
                      r.get(0).toString(),
                      text(st.get(0)),
                      text(st.get(1)),
                      text(st.get(2)),
                      text(r.get(2))));
            });
  }

  private static String text(Response r) {
    return r == null ? null : r.toString();
  }

  /**
   * A schedule as the API shows it, from its stored spec, state fields and next fire time (null
   * when none).
   */
  private static JsonObject describe(
      String name, String spec, String source, String paused, String fires, String next) {
    JsonObject s =
        new JsonObject()
            .put("name", name)
            .put("spec", new JsonObject(spec))
            .put("source", source == null ? "api" : source)
            .put("paused", "1".equals(paused))
            .put("fires", fires == null ? 0 : Long.parseLong(fires));
    return next == null
        ? s
        : s.put("nextFireAt", (long) Double.parseDouble(next)); // absent when no fire is left
  }

  /** Every schedule of the queue, sorted by name. */
  @Override
  public Future<JsonArray> list() {
    return stored()
        .map(
            r -> {
              Map<String, String> specs = Responses.hash(r.get(0));
              Map<String, String> state = Responses.hash(r.get(1));
              Map<String, String> next = Responses.hash(r.get(2));
              JsonArray out = new JsonArray();
              specs.keySet().stream()
                  .sorted()
                  .forEach(
                      name ->
                          out.add(
                              describe(
                                  name,
                                  specs.get(name),
                                  state.get(name + ":source"),
                                  state.get(name + ":paused"),
                                  state.get(name + ":fires"),
                                  next.get(name))));
              return out;
            });
  }

  /**
   * Makes the conf's schedules of this queue the stored ones: new and changed ones are written (a
   * changed one's next fire counts from now), conf-made ones no longer in the conf removed; those
   * made through the API are kept.
   */
  public Future<Void> reconcile(Map<String, JsonObject> conf) {
    return stored()
        .compose(
            r -> {
              Map<String, String> stored = Responses.hash(r.get(0));
              Map<String, String> state = Responses.hash(r.get(1));
              List<Future<?>> steps = new ArrayList<>();
              conf.forEach(
                  (name, json) -> {
                    String text = stored.get(name);
                    boolean same =
                        text != null
                            && new JsonObject(text).equals(json)
                            && "conf".equals(state.get(name + ":source"));
                    if (!same) steps.add(put(name, json, "conf"));
                  });
              stored.keySet().stream()
                  .filter(n -> !conf.containsKey(n) && "conf".equals(state.get(n + ":source")))
                  .forEach(n -> steps.add(remove(n)));
              return Future.all(steps).mapEmpty();
            });
  }

  /**
   * The specs, the state and the next fire times, each a flat field/value array
   * (listSchedules-3.lua).
   */
  private Future<List<Response>> stored() {
    return Scripts.run(
            redis,
            Scripts.LIST_SCHEDULES,
            List.of(keys.schedules(), keys.scheduleState(), keys.scheduleNext()),
            List.of())
        .map(r -> List.of(r.get(0), r.get(1), r.get(2)));
  }

  private static void checkName(String name) {
    if (name == null || !ScheduleSpec.NAME.matcher(name).matches()) {
      throw VertiqException.invalid(
          "schedule name "
              + (name == null ? "null" : "\"" + name + "\"")
              + ": expected 1 to 128 characters of A-Z a-z 0-9 . _ : -");
    }
  }
}
