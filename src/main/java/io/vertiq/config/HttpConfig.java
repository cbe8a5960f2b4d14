package io.vertiq.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP API, dashboard and operations endpoints: where they listen, body limit, bearer tokens by
 * role (admin, operate, read), TLS.
 */
public final class HttpConfig {
  /** Default port: 8080. */
  public static final int DEFAULT_PORT = 8080;

  /** Default bind address: 0.0.0.0. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** Default request body limit: 16 MiB (a bulk enqueue of many jobs). */
  public static final int DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

  private static final Set<String> KEYS =
      Set.of("enabled", "host", "port", "bodyLimit", "auth", "tls");

  private boolean enabled = true;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int bodyLimit = DEFAULT_BODY_LIMIT;
  private List<String> tokens = List.of();
  private List<String> operateTokens = List.of();
  private List<String> readTokens = List.of();
  private boolean tls;
  private String certPath;
  private String keyPath;

  static HttpConfig read(ConfReader r) {
    HttpConfig c = new HttpConfig();
    r.rejectUnknown(KEYS);
    c.enabled = r.bool("enabled", true);
    c.host = r.string("host", DEFAULT_HOST);
    c.port = r.integer("port", DEFAULT_PORT, 0, 65535);
    c.bodyLimit = r.integer("bodyLimit", DEFAULT_BODY_LIMIT, 1024, Integer.MAX_VALUE);
    ConfReader auth = r.child("auth");
    auth.rejectUnknown(Set.of("tokens", "operateTokens", "readTokens"));
    // "tokens" are admin tokens: a plain list, as the conf has always given them, may do everything
    c.tokens = List.copyOf(auth.secrets("tokens"));
    c.operateTokens = List.copyOf(auth.secrets("operateTokens"));
    c.readTokens = List.copyOf(auth.secrets("readTokens"));
    oneRoleEach(auth, c);
    ConfReader tls = r.child("tls");
    tls.rejectUnknown(Set.of("enabled", "certPath", "keyPath"));
    c.tls = tls.bool("enabled", false);
    c.certPath = tls.string("certPath", null);
    c.keyPath = tls.string("keyPath", null);
    if (c.tls && (c.certPath == null || c.keyPath == null)) {
      tls.errors()
          .add(
              tls.path(c.certPath == null ? "certPath" : "keyPath"),
              "expected a PEM file path when tls.enabled is true");
    }
    return c;
  }

  /** A token in two lists would have two roles: named by its lists, never by its value. */
  private static void oneRoleEach(ConfReader auth, HttpConfig c) {
    Map<String, String> listOf = new HashMap<>();
    for (Map.Entry<String, List<String>> e :
        List.of(
            Map.entry("tokens", c.tokens),
            Map.entry("operateTokens", c.operateTokens),
            Map.entry("readTokens", c.readTokens))) {
      for (int i = 0; i < e.getValue().size(); i++) {
        String where = e.getKey() + "[" + i + "]";
        String before = listOf.putIfAbsent(e.getValue().get(i), where);
        if (before != null)
          auth.errors()
              .add(
                  auth.path(where),
                  "the same token as "
                      + auth.path(before)
                      + ": a token has one role (the value is not shown: it is a secret)");
      }
    }
  }

  public JsonObject toJson() {
    JsonObject tlsJson = new JsonObject().put("enabled", tls);
    if (certPath != null) tlsJson.put("certPath", certPath);
    if (keyPath != null) tlsJson.put("keyPath", keyPath);
    return new JsonObject()
        .put("enabled", enabled)
        .put("host", host)
        .put("port", port)
        .put("bodyLimit", bodyLimit)
        .put(
            "auth",
            new JsonObject()
                .put("tokens", new JsonArray(tokens))
                .put("operateTokens", new JsonArray(operateTokens))
                .put("readTokens", new JsonArray(readTokens)))
        .put("tls", tlsJson);
  }

  public boolean enabled() {
    return enabled;
  }

  public HttpConfig setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public HttpConfig setPort(int port) {
    this.port = port;
    return this;
  }

  public int bodyLimit() {
    return bodyLimit;
  }

  public List<String> tokens() {
    return tokens;
  }

  public HttpConfig setTokens(List<String> tokens) {
    this.tokens = List.copyOf(tokens);
    return this;
  }

  /** Tokens that may read and operate (enqueue, retry, cancel, pause, scale) but not delete. */
  public List<String> operateTokens() {
    return operateTokens;
  }

  public HttpConfig setOperateTokens(List<String> tokens) {
    this.operateTokens = List.copyOf(tokens);
    return this;
  }

  /** Tokens that may read everything and change nothing. */
  public List<String> readTokens() {
    return readTokens;
  }

  public HttpConfig setReadTokens(List<String> tokens) {
    this.readTokens = List.copyOf(tokens);
    return this;
  }

  /** Whether the API asks for a token at all: any list is non-empty. */
  public boolean authEnabled() {
    return !tokens.isEmpty() || !operateTokens.isEmpty() || !readTokens.isEmpty();
  }

  public boolean tls() {
    return tls;
  }

  public String certPath() {
    return certPath;
  }

  public String keyPath() {
    return keyPath;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpConfig c && c.toJson().equals(toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
