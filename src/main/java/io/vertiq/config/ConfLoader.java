package io.vertiq.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the conf comes from: a JSON file (watched for live reload through vertx-config), or the
 * JSON the launcher passed inline; environment variables and system properties are applied over
 * either.
 */
public final class ConfLoader {
  /** System property naming the conf file; the launcher sets it from -conf. */
  public static final String CONF_PROPERTY = "vertiq.conf";

  /** The conf file used when none is named. */
  public static final String DEFAULT_FILE = "conf/config.json";

  private ConfLoader() {}

  /** Reads and parses a conf file, failing with a message naming the file and the problem. */
  public static JsonObject readFile(String path) {
    Path p = Path.of(path);
    if (!Files.isRegularFile(p)) {
      throw new InvalidConfigException("conf file " + path + ": not found");
    }
    try {
      return new JsonObject(Files.readString(p));
    } catch (DecodeException e) {
      throw new InvalidConfigException("conf file " + path + ": not valid JSON: " + e.getMessage());
    } catch (IOException e) {
      throw new InvalidConfigException("conf file " + path + ": cannot be read: " + e);
    } catch (ClassCastException e) {
      throw new InvalidConfigException(
          "conf file " + path + ": expected a JSON object at the top level");
    }
  }

  /** Parses and validates a conf with the overrides applied. */
  public static VertiqOptions parse(JsonObject raw) {
    return new VertiqOptions(ConfigOverrides.applySystem(raw));
  }

  /** A retriever that watches {@code path} every {@code scanPeriodMs} (file changes only). */
  public static ConfigRetriever watch(Vertx vertx, String path, long scanPeriodMs) {
    ConfigStoreOptions file =
        new ConfigStoreOptions()
            .setType("file")
            .setFormat("json")
            .setConfig(new JsonObject().put("path", path));
    return ConfigRetriever.create(
        vertx,
        new ConfigRetrieverOptions()
            .addStore(file)
            .setScanPeriod(scanPeriodMs)
            .setIncludeDefaultStores(false));
  }

  /** The conf for a start: the file if named (or the default file exists), else the inline JSON. */
  public static Future<JsonObject> initial(Vertx vertx, String path, JsonObject inline) {
    return vertx.executeBlocking(
        () -> {
          if (path != null) return readFile(path);
          if (inline != null && !inline.isEmpty()) return inline;
          return readFile(DEFAULT_FILE);
        });
  }
}
