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
    int started = record.indexOf('\0') + 1;
    int result = started == 0 ? 0 : record.indexOf('\0', started) + 1;
    if (result == 0) {
      throw new IllegalStateException("malformed completed run in Redis: " + record.substring(0, Math.min(40, record.length())));
    }
    return new CompletedRecord(Long.parseLong(record.substring(0, started - 1)),
        Long.parseLong(record.substring(started, result - 1)), record.substring(result));
  }
}
