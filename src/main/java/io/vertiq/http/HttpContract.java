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
import java.util.Map;
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
 */
public final class HttpContract {
  /** The classpath resource of the document (also served at /openapi.yaml). */
  static final String PATH = "webroot/openapi.yaml";

  /** The same document as JSON, written by the build. */
  static final String JSON_PATH = "webroot/openapi.json";

  private HttpContract() {}

  /** Starts loading the contract: the JSON read on a worker thread, the contract built after. */
  public static Future<OpenAPIContract> load(Vertx vertx) {
    return vertx
        .executeBlocking(() -> new JsonObject(resource(JSON_PATH)), false)
        .compose(doc -> OpenAPIContract.from(vertx, doc));
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = HttpContract.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null)
        throw new IOException(
            "no "
                + path
                + " on the classpath: the build writes it from "
                + PATH
                + " (mvn package)");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The YAML document as JSON. Safe YAML (no types of its own); timestamps stay strings, as they
   * are in JSON.
   */
  static JsonObject fromYaml() throws IOException {
    SafeConstructor types =
        new SafeConstructor(new LoaderOptions()) {
          {
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
          }
        };
    Map<String, Object> doc = new Yaml(types).load(resource(PATH));
    return new JsonObject(doc);
  }

  /** The build's step: writes the YAML document as JSON to the path given. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out.getParent());
    Files.writeString(out, fromYaml().encode());
  }
}
