package io.vertiq.redis;

/**
 * How a completed run is stored: one field {@value #FIELD} of the job's hash, "attempt NUL started at NUL result
 * JSON", next to its finish time "ft". The worker builds it and finishJobs writes it as it is: one field instead
 * of three costs Redis less per job and the script builds nothing. The result comes last, so it may hold anything.
 */
public record CompletedRecord(long attempts, long startedAt, String resultJson) {
  /** The hash field that holds a completed run. */
  public static final String FIELD = "c";

  public static String of(int attempt, String startedAt, String resultJson) {
    return attempt + "\0" + startedAt + "\0" + resultJson;
  }

  public static CompletedRecord parse(String record) {
    String[] v = NulFields.split(record, 3, "completed run");
    return new CompletedRecord(Long.parseLong(v[0]), Long.parseLong(v[1]), v[2]);
  }
}
