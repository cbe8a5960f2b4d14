package io.vertiq.server;

import io.vertiq.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code -cluster} needs before Vert.x starts: the Hazelcast conf to use ({@code
 * conf/cluster.xml}, TCP/IP join to listed members, unless -Dvertx.hazelcast.config names another)
 * and the values it leaves to the environment, as system properties Hazelcast's conf reads:
 * VERTIQ_CLUSTER_MEMBERS (comma-separated hosts, default 127.0.0.1), VERTIQ_CLUSTER_NAME (default
 * vertiq) and VERTIQ_CLUSTER_PORT (default 5701). A system property of the same name
 * (vertiq.cluster.members, ...) set on the command line wins.
 */
final class ClusterConf {
  static final String DEFAULT_FILE = "conf/cluster.xml";
  private static final String HAZELCAST_CONF = "vertx.hazelcast.config";

  private ClusterConf() {}

  static boolean wanted(String[] args) {
    for (String a : args) if (a.equals("-cluster") || a.equals("--cluster")) return true;
    return false;
  }

  static void apply(Map<String, String> env) {
    if (System.getProperty(HAZELCAST_CONF) == null) {
      if (!Files.isRegularFile(Path.of(DEFAULT_FILE))) {
        throw new InvalidConfigException(
            "-cluster: no "
                + DEFAULT_FILE
                + " (the cluster manager's conf) in "
                + Path.of("").toAbsolutePath()
                + "; run from the project, or name one with -D"
                + HAZELCAST_CONF
                + "=<file>");
      }
      System.setProperty(HAZELCAST_CONF, DEFAULT_FILE);
    }
    set("vertiq.cluster.members", env.get("VERTIQ_CLUSTER_MEMBERS"), "127.0.0.1");
    set("vertiq.cluster.name", env.get("VERTIQ_CLUSTER_NAME"), "vertiq");
    String port = env.get("VERTIQ_CLUSTER_PORT");
    if (port != null && !port.matches("\\d{1,5}")) {
      throw new InvalidConfigException(
          "VERTIQ_CLUSTER_PORT: expected a port number, got \"" + port + "\"");
    }
    set("vertiq.cluster.port", port, "5701");
    System.setProperty("hazelcast.logging.type", "slf4j");
  }

  private static void set(String property, String fromEnv, String fallback) {
    if (System.getProperty(property) != null) return;
    System.setProperty(property, fromEnv != null && !fromEnv.isBlank() ? fromEnv.trim() : fallback);
  }
}
