package io.vertiq.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain job's spec (a job with every option at its default): one string "id NUL created NUL payload NUL name",
 * its field in the queue's specs hash ({@link Keys#specs()}) and, while it is small, also its entry in the ready
 * fifo list, built once by the enqueue script (see fifoEntry in _common.lua). The name comes last, so a name
 * holding a NUL still splits right; payload JSON never holds a raw NUL.
 */
public record PlainSpec(String id, String created, String payload, String name) {
  /** The field a plain job's spec comes as in the job's fields the scripts read (and where earlier builds kept it). */
  public static final String FIELD = "s";

  /** What joins the specs of one fetch reply: byte 255 never occurs in UTF-8 text (see fetchJobs-7.lua). */
  private static final byte SPEC_END = (byte) 0xFF;

  /**
   * The entries of one fetch reply, joined by byte 255: each a spec, or null for an empty entry (a job the reply
   * sends as its hash). One pass over the bytes, each field a string made straight from its bytes.
   */
  public static List<PlainSpec> unpack(byte[] packed) {
    List<PlainSpec> specs = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = start;
      while (end < packed.length && packed[end] != SPEC_END) end++;
      specs.add(end == start ? null : spec(packed, start, end));
      if (end == packed.length) return specs;
      start = end + 1;
    }
  }

  private static PlainSpec spec(byte[] b, int start, int end) {
    int id = nul(b, start, end);
    int created = nul(b, id + 1, end);
    int payload = nul(b, created + 1, end);
    if (payload >= end) {
      throw new IllegalStateException("malformed job spec in Redis: "
          + new String(b, start, Math.min(40, end - start), StandardCharsets.UTF_8));
    }
    return new PlainSpec(text(b, start, id), text(b, id + 1, created), text(b, created + 1, payload), text(b, payload + 1, end));
  }

  /** The first NUL in {@code [from, end)}, or {@code end}. */
  private static int nul(byte[] b, int from, int end) {
    int i = from;
    while (i < end && b[i] != 0) i++;
    return i;
  }

  private static String text(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  public static PlainSpec parse(String spec) {
    String[] v = NulFields.split(spec, 4, "job spec");
    return new PlainSpec(v[0], v[1], v[2], v[3]);
  }
}
