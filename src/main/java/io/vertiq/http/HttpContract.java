package io.vertiq.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The OpenAPI document the HTTP routes are built from and every request is checked against. It is
 * written in YAML (served at /openapi.yaml); the build stores it as JSON too ({@link #main}, run by
 * the exec plugin), because loading it is the longest step of a start: on 2 cores reading the YAML
 * takes about a third of a second, the JSON a twentieth. A node begins the load before it connects
 * to Redis, so the contract's own build (about half a second more) runs beside the Redis checks.
 * The JSON names the SHA-1 of the YAML it was made from: a copy that is missing or older than the
 * YAML (a build that skipped Maven's step, an IDE's) is passed over for the YAML itself.
 */
public final class HttpContract {
  private static final Logger LOG = LoggerFactory.getLogger(HttpContract.class);

  /** The classpath resource of the document (also served at /openapi.yaml). */
  static final String PATH = "webroot/openapi.yaml";

  /** The same document as JSON, {"yamlSha1": ..., "document": ...}, written by the build. */
  static final String JSON_PATH = "webroot/openapi.json";

  private HttpContract() {}

  /**
   * Starts loading the contract: the document read on a worker thread, the contract built after.
   */
  public static Future<OpenAPIContract> load(Vertx vertx) {
    return vertx
        .executeBlocking(HttpContract::document, false)
        .compose(doc -> OpenAPIContract.from(vertx, doc));
  }

  /** The document: the build's JSON when it was made from this YAML, else the YAML read now. */
  static JsonObject document() throws IOException {
    return document(resource(PATH), resourceOrNull(JSON_PATH));
  }

  /** The document from the YAML and the build's JSON of it (null when there is none). */
  static JsonObject document(byte[] yaml, byte[] json) {
    if (json != null) {
      JsonObject copy = new JsonObject(new String(json, StandardCharsets.UTF_8));
      if (sha1(yaml).equals(copy.getString("yamlSha1"))) return copy.getJsonObject("document");
    }
    LOG.warn(
        "{} is missing or older than {} (a build that skipped mvn process-classes): reading the"
            + " YAML, which takes longer",
        JSON_PATH,
        PATH);
    return fromYaml(yaml);
  }

  /**
   * The YAML document as JSON. Safe YAML (no types of its own); timestamps stay strings, as they
   * are in JSON.
   */
  static JsonObject fromYaml(byte[] yaml) {
    SafeConstructor types =
        new SafeConstructor(new LoaderOptions()) {
          {
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
          }
        };
    Map<String, Object> doc = new Yaml(types).load(new String(yaml, StandardCharsets.UTF_8));
    return new JsonObject(doc);
  }

  static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] resource(String path) throws IOException {
    byte[] bytes = resourceOrNull(path);
    if (bytes == null) throw new IOException("no " + path + " on the classpath");
    return bytes;
  }

  private static byte[] resourceOrNull(String path) throws IOException {
    try (InputStream in = HttpContract.class.getClassLoader().getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  /**
   * The build's step: writes the YAML document as JSON, with the YAML's SHA-1, to the path given.
   */
  public static void main(String[] args) throws IOException {
    byte[] yaml = resource(PATH);
    Path out = Path.of(args[0]);
    Files.createDirectories(out.getParent());
    Files.writeString(
        out, new JsonObject().put("yamlSha1", sha1(yaml)).put("document", fromYaml(yaml)).encode());
  }
}
