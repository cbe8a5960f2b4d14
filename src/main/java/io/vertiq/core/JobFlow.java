package io.vertiq.core;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a job's hash holds of its flow: its parent (a child), and for a parent its children, the
 * count still to end, its policy for a dead child, and its children's outcomes so far (results of
 * completed ones, errors of dead ones).
 */
final class JobFlow {
  String parentQueue;
  String parentId;
  long pending = -1;
  String policy;
  boolean waiting;

  /** A batch's record (see BatchStore): not a job that runs. */
  boolean batch;

  final JsonArray children = new JsonArray();
  final JsonObject results = new JsonObject();
  final JsonObject errors = new JsonObject();

  /** A flow child's link to its parent, as a child stored without a hash carries it (its spec). */
  static JobFlow child(String parentQueue, String parentId) {
    JobFlow f = new JobFlow();
    f.parentQueue = parentQueue;
    f.parentId = parentId;
    return f;
  }

  /** One field of the job's hash (see JobCodec's flow fields). */
  public void read(String field, String value) {
    switch (field) {
      case JobFields.PARENT_QUEUE -> parentQueue = value;
      case JobFields.PARENT_ID -> parentId = value;
      case JobFields.FLOW_PENDING -> pending = Long.parseLong(value);
      case JobFields.FLOW_POLICY -> policy = value;
      case JobFields.FLOW_WAITING -> waiting = true;
      case JobFields.BATCH -> batch = true;
      case JobFields.FLOW_CHILDREN -> {
        for (String line : value.split("\n")) {
          int nul = line.indexOf('\0');
          if (nul > 0)
            children.add(
                new JsonObject()
                    .put("queue", line.substring(0, nul))
                    .put("id", line.substring(nul + 1)));
        }
      }
      default -> {
        if (field.startsWith(JobFields.CHILD_RESULT))
          results.put(field.substring(2), Json.decodeValue(value));
        else if (field.startsWith(JobFields.CHILD_ERROR)) errors.put(field.substring(2), value);
      }
    }
  }

  /**
   * The flow's part of a job's JSON: its parent, and for a parent its children and their outcomes.
   */
  void writeTo(JsonObject j) {
    if (parentId != null)
      j.put("parent", new JsonObject().put("queue", parentQueue).put("id", parentId));
    if (policy != null) {
      JsonObject f =
          new JsonObject()
              .put("children", children.copy())
              .put("onChildDead", policy)
              .put("childrenResults", results.copy())
              .put("childrenFailed", errors.copy());
      if (waiting) f.put("waitingFor", pending);
      if (batch) f.put("batch", true);
      j.put("flow", f);
    }
  }
}
