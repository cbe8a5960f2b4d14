package io.vertiq.redis;

/**
 * How a completed run is stored: "attempt NUL started at NUL result JSON", kept with its finish time in the
 * queue's done hash ({@link Keys#done()}) and read back as field {@value #FIELD} next to "ft" (earlier builds
 * wrote both into the job's hash). The worker builds it and finishJobs stores it as it is: one value instead of
 * three costs Redis less per job and the script builds nothing. The result comes last, so it may hold anything.
 */
public record CompletedRecord(long attempts, long startedAt, String resultJson) {
  /** The field a completed run comes as in the job fields the scripts read (and where earlier builds kept it). */
  public static final String FIELD = "c";

  public static String of(int attempt, String startedAt, String resultJson) {
    return attempt + "\0" + startedAt + "\0" + resultJson;
  }

  public static CompletedRecord parse(String record) {
    String[] v = NulFields.split(record, 3, "completed run");
    return new CompletedRecord(Long.parseLong(v[0]), Long.parseLong(v[1]), v[2]);
  }
}
