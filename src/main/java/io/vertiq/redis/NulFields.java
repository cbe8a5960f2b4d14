package io.vertiq.redis;

/**
 * Several values packed in one Redis string, separated by NUL (the scripts write such strings to
 * spare Redis a field or an argument per value). The last value takes the rest, so it may itself
 * hold a NUL.
 */
public final class NulFields {
  private NulFields() {}

  /**
   * The {@code parts} values of {@code text}; {@code what} names the value in the error when it has
   * fewer.
   */
  public static String[] split(String text, int parts, String what) {
    String[] out = new String[parts];
    int from = 0;
    for (int i = 0; i < parts - 1; i++) {
      int nul = text.indexOf('\0', from);
      if (nul < 0) {
        throw new IllegalStateException(
            "malformed " + what + " in Redis: " + text.substring(0, Math.min(40, text.length())));
      }
      out[i] = text.substring(from, nul);
      from = nul + 1;
    }
    out[parts - 1] = text.substring(from);
    return out;
  }
}
