package io.vertiq.core;

import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;

/**
 * A generator that refuses what JSON cannot carry instead of storing something else: a non-finite
 * number (1e400 parses to Infinity, which Jackson would write as the string "Infinity") and a
 * string with a lone surrogate (which has no UTF-8 form: Jackson would write "?" or, worse, pair it
 * with the next character).
 */
final class StrictJsonGenerator extends JsonGeneratorDelegate {
  StrictJsonGenerator(JsonGenerator d) {
    super(d, false);
  }

  @Override
  public void writeNumber(double v) throws IOException {
    if (!Double.isFinite(v))
      throw new JsonGenerationException("a number out of JSON's range (" + v + ")", this);
    super.writeNumber(v);
  }

  @Override
  public void writeNumber(float v) throws IOException {
    if (!Float.isFinite(v))
      throw new JsonGenerationException("a number out of JSON's range (" + v + ")", this);
    super.writeNumber(v);
  }

  @Override
  public void writeString(String text) throws IOException {
    checkText(text);
    super.writeString(text);
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    checkText(name);
    super.writeFieldName(name);
  }

  private void checkText(String s) throws JsonGenerationException {
    int at = loneSurrogateAt(s);
    if (at >= 0) throw new JsonGenerationException(loneSurrogate(s, at), this);
  }

  /** The index of the first lone UTF-16 surrogate of {@code s}, or -1. */
  static int loneSurrogateAt(String s) {
    if (s == null) return -1;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) continue;
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      return i;
    }
    return -1;
  }

  static String loneSurrogate(String s, int at) {
    return "a string with a lone UTF-16 surrogate (\\u"
        + Integer.toHexString(s.charAt(at))
        + " at character "
        + at
        + "), which has no UTF-8 form";
  }
}
