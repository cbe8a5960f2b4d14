package io.vertiq.core;

import io.vertiq.JobState;
import io.vertiq.redis.NulFields;
import io.vertiq.redis.StoredText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one home of the job storage format's values: a job read from the fields of its hash (named in
 * {@link JobFields}), a plain job's spec string and a completed run's record (a job's own retry
 * policy as stored: {@link StoredRetry}). Everything that reads or writes those goes through here;
 * the scripts write the same format (see the KEYS/ARGV comment of each).
 */
public final class JobCodec {
  private JobCodec() {}

  /**
   * A plain job's spec (a job with every option at its default): "id NUL created NUL payload NUL
   * name", its field in the queue's specs hash and, while it is small, its entry in the ready fifo
   * list (fifoEntry in the scripts). The name comes last, so a name holding a NUL still splits
   * right; payload JSON never holds a raw NUL. Two options need no hash of their own and ride in
   * the spec before its payload, each after a byte of its own: a flow child's parent ("\2 parent
   * queue NUL parent id NUL") and a group ("\1 group NUL"); names, ids and groups hold no NUL.
   */
  public record Spec(
      String id,
      long created,
      String group,
      String parentQueue,
      String parentId,
      String payload,
      String name) {
    /** The spec of a job with neither a group nor a parent. */
    public Spec(String id, long created, String payload, String name) {
      this(id, created, null, null, null, payload, name);
    }
  }

  /**
   * Reads a spec; a fetch reads one per job, so the created time is parsed where it lies, not cut
   * out first.
   */
  public static Spec spec(String text) {
    int a = text.indexOf('\0');
    int b = a < 0 ? -1 : text.indexOf('\0', a + 1);
    String group = null, parentQueue = null, parentId = null;
    int from = b + 1;
    while (b >= 0 && from > 0 && from < text.length()) {
      char mark = text.charAt(from);
      if (mark == '\1') {
        int g = text.indexOf('\0', from + 1);
        if (g >= 0) group = text.substring(from + 1, g);
        from = g + 1;
      } else if (mark == '\2') {
        int q = text.indexOf('\0', from + 1);
        int i = q < 0 ? -1 : text.indexOf('\0', q + 1);
        if (i >= 0) {
          parentQueue = text.substring(from + 1, q);
          parentId = text.substring(q + 1, i);
        }
        from = i + 1;
      } else {
        break;
      }
    }
    int c = b < 0 || from == 0 ? -1 : text.indexOf('\0', from);
    if (c < 0) {
      throw new IllegalStateException(
          "malformed job spec in Redis: " + text.substring(0, Math.min(40, text.length())));
    }
    return new Spec(
        text.substring(0, a),
        Long.parseLong(text, a + 1, b, 10),
        group,
        parentQueue,
        parentId,
        text.substring(from, c),
        text.substring(c + 1));
  }

  /** The flow link a spec carries (a child's parent), or null. */
  static JobFlow flowOf(Spec spec) {
    return spec.parentId() == null ? null : JobFlow.child(spec.parentQueue(), spec.parentId());
  }

  /**
   * A completed run: "attempt NUL started at NUL result JSON", kept with its finish time in the
   * queue's done hash. The worker builds it and finishJobs stores it as it is (one value instead of
   * three costs Redis less per job).
   */
  public record Completed(long attempts, long startedAt, String resultJson) {}

  public static String completed(int attempt, String startedAt, String resultJson) {
    return attempt + "\0" + startedAt + "\0" + resultJson;
  }

  /**
   * {@link #completed(int, String, String)} with the result stored compressed at {@code level} (see
   * StoredText): the header stays text, which finishJobs reads.
   */
  public static byte[] completed(int attempt, String startedAt, byte[] resultUtf8, int level) {
    byte[] head = (attempt + "\0" + startedAt + "\0").getBytes(StandardCharsets.US_ASCII);
    byte[] frame = StoredText.compress(resultUtf8, resultUtf8.length, level);
    byte[] record = Arrays.copyOf(head, head.length + frame.length);
    System.arraycopy(frame, 0, record, head.length, frame.length);
    return record;
  }

  public static Completed completed(String record) {
    String[] v = NulFields.split(record, 3, "completed run");
    return new Completed(Long.parseLong(v[0]), Long.parseLong(v[1]), v[2]);
  }

  /**
   * A plain new job just reserved, from its spec: its first run, every option at the queue's
   * default.
   */
  public static JobImpl fetchedPlain(String queue, Spec spec, long startedAt) {
    return new JobBuilder(spec.id(), queue, JobState.ACTIVE)
        .named(spec.name(), spec.payload())
        .times(spec.created(), 0, startedAt, 0)
        .runs(1, 0)
        .grouped(spec.group(), 0)
        .linked(flowOf(spec), null)
        .build();
  }

  /**
   * A job just reserved, from the fields of its hash a fetch returns; fields of ended runs are
   * skipped.
   */
  public static JobImpl fetched(
      String queue, String id, int attempt, Response hash, long startedAt) {
    String name = null,
        payload = null,
        retry = null,
        timeout = null,
        created = null,
        priority = null,
        stalls = null,
        uk = null;
    String deferrals = null, group = null, traceParent = null;
    JobFlow flow = null;
    Map<String, String> steps = null;
    for (int j = 0; j + 1 < hash.size(); j += 2) {
      String field = hash.get(j).toString();
      if (field.startsWith(JobFields.STEP)
          || field.startsWith(JobFields.SIGNAL)
          || field.equals(JobFields.CURSOR)) {
        // the steps an earlier run of the job finished, and the signals sent to it, come with the
        // fetch: reusing a step costs nothing
        if (steps == null) steps = new HashMap<>();
        steps.put(field, hash.get(j + 1).toString());
        continue;
      }
      if (isFlowField(field)) {
        if (flow == null) flow = new JobFlow();
        flow.read(field, StoredText.text(hash.get(j + 1)));
        continue;
      }
      switch (field) {
        case JobFields.NAME -> name = hash.get(j + 1).toString();
        case JobFields.PAYLOAD -> payload = StoredText.text(hash.get(j + 1));
        case JobFields.CREATED -> created = hash.get(j + 1).toString();
        case JobFields.RETRY -> retry = hash.get(j + 1).toString();
        case JobFields.TIMEOUT -> timeout = hash.get(j + 1).toString();
        case JobFields.PRIORITY -> priority = hash.get(j + 1).toString();
        case JobFields.STALLS -> stalls = hash.get(j + 1).toString();
        case JobFields.UNIQUE_KEY -> uk = hash.get(j + 1).toString();
        case JobFields.DEFERRALS -> deferrals = hash.get(j + 1).toString();
        case JobFields.GROUP -> group = hash.get(j + 1).toString();
        case JobFields.TRACE_PARENT -> traceParent = hash.get(j + 1).toString();
        case JobFields.SPEC -> {
          // a spec whose tail is compressed (see StoredText) is listed by id, so it comes here
          Spec spec = spec(StoredText.anyText(hash.get(j + 1)));
          name = spec.name();
          payload = spec.payload();
          if (spec.group() != null) group = spec.group();
          if (flow == null) flow = flowOf(spec);
          created = Long.toString(spec.created());
        }
        default -> {} // attempts, outcome and times of ended runs
      }
    }
    return new JobBuilder(id, queue, JobState.ACTIVE)
        .named(name, payload)
        .options((int) num(priority), retry, num(timeout), uk)
        .times(num(created), 0, startedAt, 0)
        .runs(attempt, (int) num(stalls))
        .grouped(group, (int) num(deferrals))
        .linked(flow, traceParent)
        .build()
        .withSteps(steps);
  }

  /**
   * Whether a hash field is a flow's (its parent, its children and their outcomes): see {@link
   * JobFlow}.
   */
  private static final Set<String> FLOW_FIELDS =
      Set.of(
          JobFields.PARENT_QUEUE,
          JobFields.PARENT_ID,
          JobFields.FLOW_PENDING,
          JobFields.FLOW_POLICY,
          JobFields.FLOW_CHILDREN,
          JobFields.FLOW_WAITING,
          JobFields.BATCH);

  private static boolean isFlowField(String field) {
    return FLOW_FIELDS.contains(field)
        || field.startsWith(JobFields.CHILD_RESULT)
        || field.startsWith(JobFields.CHILD_ERROR);
  }

  /**
   * A job read back from its fields (getJobs: the hash, a plain job's spec, a kept completed run).
   */
  public static JobImpl fromHash(String queue, String id, JobState state, Map<String, String> h) {
    // The hash is written when a run ends: a running job's current run is one attempt more, and the
    // start and
    // finish times there are its previous run's, so they are left out while it runs.
    boolean running = state == JobState.ACTIVE;
    // fields am, st, e of an earlier failed run may still be there beside a completed run
    String completedText = h.get(JobFields.COMPLETED);
    Completed completed = completedText == null ? null : completed(completedText);
    int attempts =
        completed != null
            ? (int) completed.attempts()
            : (int) num(h.get(JobFields.ATTEMPTS_MADE)) + (running ? 1 : 0);
    long startedAt =
        completed != null ? completed.startedAt() : running ? 0 : num(h.get(JobFields.STARTED));
    String result = completed != null ? completed.resultJson() : h.get(JobFields.RESULT);
    String specText = h.get(JobFields.SPEC);
    Spec spec = specText == null ? null : spec(specText);
    String name = spec == null ? h.get(JobFields.NAME) : spec.name();
    String payload = spec == null ? h.get(JobFields.PAYLOAD) : spec.payload();
    long created = spec == null ? num(h.get(JobFields.CREATED)) : spec.created();
    // an earlier attempt's error is not the job's once it completed
    String error = state == JobState.COMPLETED ? null : h.get(JobFields.ERROR);
    String trace = state == JobState.COMPLETED ? null : h.get(JobFields.TRACE);
    JsonArray history =
        h.get(JobFields.HISTORY) == null
            ? new JsonArray()
            : new JsonArray(h.get(JobFields.HISTORY));
    if (completed != null) {
      history.add(
          new JsonObject()
              .put("attempt", completed.attempts())
              .put("startedAt", completed.startedAt())
              .put("finishedAt", num(h.get(JobFields.FINISHED)))
              .put("completed", true));
    }
    return new JobBuilder(id, queue, state)
        .named(name, payload)
        .options(
            (int) num(h.get(JobFields.PRIORITY)),
            h.get(JobFields.RETRY),
            num(h.get(JobFields.TIMEOUT)),
            h.get(JobFields.UNIQUE_KEY))
        .times(
            created,
            num(h.get(JobFields.RUN_AT)),
            startedAt,
            running ? 0 : num(h.get(JobFields.FINISHED)))
        .runs(attempts, (int) num(h.get(JobFields.STALLS)))
        .outcome(error, trace, result, h.get(JobFields.PROGRESS))
        .grouped(
            h.get(JobFields.GROUP) != null || spec == null ? h.get(JobFields.GROUP) : spec.group(),
            (int) num(h.get(JobFields.DEFERRALS)))
        .linked(flowOf(h, spec), null)
        .past(history, h.get(JobFields.LOGS), num(h.get(JobFields.UNIQUE_FOR)))
        .build()
        .withSteps(stepsOf(h));
  }

  /** The steps' results and the signals among a job's fields, by field; null when it has none. */
  private static Map<String, String> stepsOf(Map<String, String> h) {
    Map<String, String> steps = null;
    for (Map.Entry<String, String> e : h.entrySet()) {
      String k = e.getKey();
      if (!k.startsWith(JobFields.STEP)
          && !k.startsWith(JobFields.SIGNAL)
          && !k.equals(JobFields.CURSOR)) continue;
      if (steps == null) steps = new HashMap<>();
      steps.put(e.getKey(), e.getValue());
    }
    return steps;
  }

  /** The flow fields of a job's hash, or else the parent its spec carries; null for neither. */
  private static JobFlow flowOf(Map<String, String> h, Spec spec) {
    JobFlow f = flowOf(h);
    return f != null || spec == null ? f : flowOf(spec);
  }

  private static JobFlow flowOf(Map<String, String> h) {
    JobFlow flow = null;
    for (Map.Entry<String, String> e : h.entrySet()) {
      if (!isFlowField(e.getKey())) continue;
      if (flow == null) flow = new JobFlow();
      flow.read(e.getKey(), e.getValue());
    }
    return flow;
  }

  private static long num(String s) {
    if (s == null || s.isEmpty()) return 0;
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return (long) Double.parseDouble(s);
    }
  }
}
