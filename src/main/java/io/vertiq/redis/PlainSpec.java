package io.vertiq.redis;

/**
 * A plain job's spec (a job with every option at its default): one string "id NUL created NUL payload NUL name",
 * its field in the queue's specs hash ({@link Keys#specs()}) and, while it is small, also its entry in the ready
 * fifo list, built once by the enqueue script (see fifoEntry in _common.lua). The name comes last, so a name
 * holding a NUL still splits right; payload JSON never holds a raw NUL.
 */
public record PlainSpec(String id, long created, String payload, String name) {
  /** The field a plain job's spec comes as in the job's fields the scripts read (and where earlier builds kept it). */
  public static final String FIELD = "s";

  /** Reads a spec; a fetch reads one per job, so the created time is parsed where it lies, not cut out first. */
  public static PlainSpec parse(String spec) {
    int a = spec.indexOf('\0');
    int b = a < 0 ? -1 : spec.indexOf('\0', a + 1);
    int c = b < 0 ? -1 : spec.indexOf('\0', b + 1);
    if (c < 0) {
      throw new IllegalStateException("malformed job spec in Redis: " + spec.substring(0, Math.min(40, spec.length())));
    }
    return new PlainSpec(spec.substring(0, a), Long.parseLong(spec, a + 1, b, 10), spec.substring(b + 1, c),
        spec.substring(c + 1));
  }
}
