package io.vertiq.redis;

/**
 * A plain job's spec (a job with every option at its default): one string "id NUL created NUL payload NUL name",
 * its field in the queue's specs hash ({@link Keys#specs()}) and, while it is small, also its entry in the ready
 * fifo list, built once by the enqueue script (see fifoEntry in _common.lua). The name comes last, so a name
 * holding a NUL still splits right; payload JSON never holds a raw NUL.
 */
public record PlainSpec(String id, String created, String payload, String name) {
  /** The field a plain job's spec comes as in the job's fields the scripts read (and where earlier builds kept it). */
  public static final String FIELD = "s";

  public static PlainSpec parse(String spec) {
    String[] v = NulFields.split(spec, 4, "job spec");
    return new PlainSpec(v[0], v[1], v[2], v[3]);
  }
}
