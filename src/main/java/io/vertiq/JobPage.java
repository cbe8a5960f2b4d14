package io.vertiq;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One page of a state listing; {@code nextCursor} is null on the last page (and absent from the
 * JSON).
 */
public record JobPage(JobState state, long total, List<Job> jobs, String nextCursor) {
  public JsonObject toJson() {
    JsonArray arr = new JsonArray();
    jobs.forEach(j -> arr.add(j.toJson()));
    JsonObject page =
        new JsonObject().put("state", state.id()).put("total", total).put("jobs", arr);
    return nextCursor == null
        ? page
        : page.put("nextCursor", nextCursor); // absent on the last page
  }
}
