package io.vertiq.redis;

/**
 * A plain job's spec (a job with every option at its default): one string "id NUL created NUL payload NUL name",
 * the one spec field {@value #FIELD} of its hash and, while it is small, also its entry in the ready fifo list,
 * built once by the enqueue script (see fifoEntry in _common.lua). The name comes last, so a name holding a NUL
 * still splits right; payload JSON never holds a raw NUL.
 */
public record PlainSpec(String id, String created, String payload, String name) {
  /** The hash field that holds a plain job's spec. */
  public static final String FIELD = "s";

  public static PlainSpec parse(String spec) {
    int created = spec.indexOf('\0') + 1;
    int payload = created == 0 ? 0 : spec.indexOf('\0', created) + 1;
    int name = payload == 0 ? 0 : spec.indexOf('\0', payload) + 1;
    if (name == 0) {
      throw new IllegalStateException("malformed job spec in Redis: " + spec.substring(0, Math.min(40, spec.length())));
    }
    return new PlainSpec(spec.substring(0, created - 1), spec.substring(created, payload - 1),
        spec.substring(payload, name - 1), spec.substring(name));
  }
}
