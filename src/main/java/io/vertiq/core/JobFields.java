package io.vertiq.core;

/**
 * The names of a job's stored fields: its hash (vq:{q}:j:&lt;id&gt;), which the scripts write with
 * the same names (see the KEYS/ARGV comment of each), and the values the scripts hand out with
 * them. {@link JobCodec} reads and writes the values.
 */
public final class JobFields {
  // a job's hash (vq:{q}:j:<id>)
  public static final String NAME = "n";
  public static final String PAYLOAD = "d";
  public static final String CREATED = "ct";
  public static final String PRIORITY = "p";
  public static final String RETRY = "r";
  public static final String TIMEOUT = "to";
  public static final String UNIQUE_KEY = "uk";

  /** The job's group (see lua/includes/groups.lua). */
  public static final String GROUP = "g";

  /** A flow child's parent: its queue and id (see enqueueJobs-15.lua). */
  public static final String PARENT_QUEUE = "pq";

  public static final String PARENT_ID = "pi";

  /**
   * A flow parent's children still to end, its policy for a dead child, its children ("queue NUL
   * id" per line).
   */
  public static final String FLOW_PENDING = "fp";

  public static final String FLOW_POLICY = "fo";
  public static final String FLOW_CHILDREN = "fk";

  /**
   * A flow parent's completed child's result ("k:<queue>:<id>" -> JSON), a dead one's error
   * ("x:<queue>:<id>").
   */
  public static final String CHILD_RESULT = "k:";

  public static final String CHILD_ERROR = "x:";

  /** A flow parent still waiting for its children; a batch's record (see BatchStore). */
  public static final String FLOW_WAITING = "fw";

  public static final String BATCH = "bt";

  /**
   * How long the job's unique key is held after it finished, ms (uniqueFor; see
   * enqueueJobs-15.lua).
   */
  public static final String UNIQUE_FOR = "uf";

  public static final String RUN_AT = "ra";
  public static final String ATTEMPTS_MADE = "am";
  public static final String STALLS = "sc";

  /**
   * Runs that ended with "retry later" (io.vertiq.RetryLater): they used no attempt of the retry
   * policy.
   */
  public static final String DEFERRALS = "df";

  public static final String STARTED = "st";
  public static final String FINISHED = "ft";
  public static final String ERROR = "e";
  public static final String TRACE = "et";
  public static final String RESULT = "res";

  /**
   * The W3C trace context of the span that enqueued the job (see JobTracing): its runs' spans
   * continue it.
   */
  public static final String TRACE_PARENT = "tp";

  public static final String PROGRESS = "pg";

  /**
   * The job's ended runs that failed or stalled, a JSON array, oldest first (historyWith in the
   * scripts).
   */
  public static final String HISTORY = "h";

  /** The job's log: a JSON array of {"at", "line"}, oldest first (appendLog-2.lua). */
  public static final String LOGS = "lg";

  /** A step's result: field "sr:<step name>", its JSON (see Job#step and recordStep-2.lua). */
  public static final String STEP = "sr:";

  /** The job's cursor: field "cp", its JSON (see Job#checkpoint). */
  public static final String CURSOR = "cp";

  /**
   * A signal sent to the job: field "sg:<signal name>", its data as JSON (see Job#waitFor and
   * signalJob-7.lua).
   */
  public static final String SIGNAL = "sg:";

  /**
   * A plain job's spec, as the scripts hand it out with the job's fields (and where earlier builds
   * kept it).
   */
  public static final String SPEC = "s";

  /** A kept completed run's record, as the scripts hand it out with the job's fields. */
  public static final String COMPLETED = "c";

  private JobFields() {}
}
