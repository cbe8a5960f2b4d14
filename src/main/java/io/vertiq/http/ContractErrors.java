package io.vertiq.http;

import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words a request the OpenAPI validator refused the way every other 400 is worded: where (a JSON
 * path such as "body.children[0].job.priority", "query parameter limit", "header Idempotency-Key"),
 * then what was expected.
 */
final class ContractErrors {
  private static final Pattern PARAMETER =
      Pattern.compile("The value of (\\w+) parameter (\\S+) is invalid");
  private static final Pattern MISSING = Pattern.compile("required (\\w+) parameter (\\S+)");
  private static final Pattern BOUND =
      Pattern.compile(
          "(\\S+) is (greater than|greater or equal to|less than|less or equal to) (\\S+)");
  private static final Pattern TYPE =
      Pattern.compile("Instance type (\\w+) is invalid\\. Expected (.+)");

  /**
   * What the names with a pattern in the document may be, in words (the validator says only "does
   * not match").
   */
  private static final Map<String, String> NAMES =
      Map.of(
          "path parameter queue", "a queue name: 1 to 128 characters of A-Z a-z 0-9 . _ : -",
          "path parameter name", "a schedule name: 1 to 128 characters of A-Z a-z 0-9 . _ : -",
          "path parameter group",
              "a group name: 1 to 128 characters of A-Z a-z 0-9 . _ : @ + = ~ -",
          "query parameter cursor", "a cursor from a previous page");

  private ContractErrors() {}

  static String message(ValidatorException e) {
    String text = e.getMessage() == null ? "" : e.getMessage();
    if (!(e instanceof SchemaValidationException sve) || sve.getOutputUnit() == null) {
      Matcher m = MISSING.matcher(text);
      if (m.find()) return where(m.group(1), m.group(2)) + ": required";
      if (text.contains("required body")) return "body: expected JSON, got nothing";
      return text;
    }
    Matcher m = PARAMETER.matcher(text);
    String where = m.find() ? where(m.group(1), m.group(2)) : "body";
    OutputUnit unit = mostRelevant(sve.getOutputUnit());
    if (unit == null) return where + ": " + text;
    String at = where.equals("body") ? where + path(unit.getInstanceLocation()) : where;
    if (keyword(unit).endsWith("/pattern") && NAMES.containsKey(at))
      return at + ": expected " + NAMES.get(at);
    return at + ": " + reason(unit);
  }

  private static String where(String in, String name) {
    return switch (in.toLowerCase()) {
      case "header" -> "header " + name;
      case "body" -> "body";
      default -> in.toLowerCase() + " parameter " + name;
    };
  }

  /**
   * The error at the deepest place in the instance, from a keyword that judges a value (type,
   * maximum, pattern...) rather than one that only reports a nested failure (properties, items,
   * $ref). The validator also reports a declared property that failed as not matching
   * additionalProperties, so that keyword counts only when nothing else is reported: then the field
   * is one the schema does not know.
   */
  private static OutputUnit mostRelevant(OutputUnit root) {
    if (root.getErrors() == null || root.getErrors().isEmpty()) return null;
    OutputUnit best = null;
    for (OutputUnit u : root.getErrors()) {
      if (!judges(u)) continue;
      if (best == null || depth(u) > depth(best)) best = u;
    }
    if (best != null) return best;
    for (OutputUnit u : root.getErrors())
      if (keyword(u).endsWith("/additionalProperties")) return u;
    return root.getErrors().get(root.getErrors().size() - 1);
  }

  private static String keyword(OutputUnit u) {
    return u.getKeywordLocation() == null ? "" : u.getKeywordLocation();
  }

  private static boolean judges(OutputUnit u) {
    String kw = keyword(u);
    return !(kw.endsWith("/properties")
        || kw.endsWith("/items")
        || kw.endsWith("/$ref")
        || kw.endsWith("/additionalProperties")
        || kw.endsWith("/allOf")
        || kw.endsWith("/anyOf"));
  }

  private static int depth(OutputUnit u) {
    String loc = u.getInstanceLocation();
    return loc == null ? 0 : loc.split("/", -1).length;
  }

  /** "/children/0/job" as ".children[0].job". */
  static String path(String pointer) {
    if (pointer == null || pointer.isEmpty() || pointer.equals("/") || pointer.equals("#"))
      return "";
    StringBuilder b = new StringBuilder();
    for (String part : pointer.replaceFirst("^#?/", "").split("/", -1)) {
      String p = part.replace("~1", "/").replace("~0", "~");
      if (p.matches("\\d+")) b.append('[').append(p).append(']');
      else b.append('.').append(p);
    }
    return b.toString();
  }

  private static String reason(OutputUnit u) {
    String error = u.getError() == null ? "invalid" : u.getError();
    String kw = u.getKeywordLocation() == null ? "" : u.getKeywordLocation();
    Matcher t = TYPE.matcher(error);
    if (t.matches()) return "expected " + article(t.group(2)) + ", got " + t.group(1);
    if (kw.endsWith("/additionalProperties")) return "unknown key";
    Matcher bound = BOUND.matcher(error);
    if (bound.matches()) {
      return "expected "
          + (bound.group(2).startsWith("greater") ? "at most " : "at least ")
          + bound.group(3)
          + ", got "
          + bound.group(1);
    }
    if (kw.endsWith("/required")) {
      Matcher q = Pattern.compile("\"([^\"]+)\"").matcher(error);
      if (q.find()) return "field " + q.group(1) + " is required";
    }
    return Character.toLowerCase(error.charAt(0)) + error.substring(1);
  }

  private static String article(String type) {
    return switch (type) {
      case "object" -> "a JSON object";
      case "array" -> "an array";
      case "integer" -> "an integer";
      default -> "a " + type;
    };
  }
}
