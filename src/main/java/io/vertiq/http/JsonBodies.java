package io.vertiq.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertiq.VertiqException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

/** The checks of a JSON request body that answer with our words: its media type and its syntax. */
final class JsonBodies {
  private JsonBodies() {}

  /**
   * UNSUPPORTED_MEDIA_TYPE unless the Content-Type is application/json (parameters such as charset
   * allowed).
   */
  static void checkContentType(String type) {
    if (type != null) {
      String base = type.split(";", 2)[0].strip(); // whitespace only: trim() would drop a NUL too
      if (base.equalsIgnoreCase("application/json")) return;
    }
    throw new VertiqException(
        VertiqException.Code.UNSUPPORTED_MEDIA_TYPE,
        "header Content-Type: expected application/json, got "
            + (type == null ? "none" : "\"" + printable(type) + "\""));
  }

  /**
   * The parsed body, or INVALID_ARGUMENT saying where it stops being JSON (never the parser's
   * internals).
   */
  static Object checkSyntax(Buffer body) {
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      throw VertiqException.invalid("body: not valid JSON" + where(e));
    }
  }

  private static String where(DecodeException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException jp) {
        String what = jp.getOriginalMessage();
        // the first sentence says what was found; the rest restates it with the parser's option
        // names
        int cut = what.indexOf(':');
        if (cut > 0 && what.startsWith("Unexpected")) what = what.substring(0, cut);
        String at =
            jp.getLocation() == null
                ? ""
                : " at line "
                    + jp.getLocation().getLineNr()
                    + ", column "
                    + jp.getLocation().getColumnNr();
        return " ("
            + printable(what.length() > 200 ? what.substring(0, 200) + "..." : what)
            + ")"
            + at;
      }
    }
    return "";
  }

  /** Text fit for a message: control characters shown as \\uXXXX. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.toString();
  }
}
