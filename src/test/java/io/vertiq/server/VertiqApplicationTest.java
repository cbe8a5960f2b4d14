package io.vertiq.server;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.config.InvalidConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The launcher's options that would not do what they say are refused before anything starts; no
 * Redis.
 */
class VertiqApplicationTest {
  @Test
  void instancesOtherThanOneAreRefusedSayingWhatToDoInstead() {
    VertiqApplication.checkOptions(new String[] {"-conf", "x.json", "-instances", "1", "-cluster"});
    for (String[] args : new String[][] {{"-instances", "4"}, {"--instances=2"}, {"-instances"}}) {
      InvalidConfigException e =
          assertThrows(InvalidConfigException.class, () -> VertiqApplication.checkOptions(args));
      assertTrue(e.getMessage().contains("queues.<name>.instances"), e.getMessage());
    }
  }

  @Test
  void clusterTakesItsMembersFromTheEnvironmentAndABadPortIsRefused() {
    String[] props = {
      "vertx.hazelcast.config",
      "vertiq.cluster.members",
      "vertiq.cluster.name",
      "vertiq.cluster.port"
    };
    try {
      for (String p : props) System.clearProperty(p);
      assertTrue(ClusterConf.wanted(new String[] {"-conf", "c.json", "-cluster"}));
      assertFalse(ClusterConf.wanted(new String[] {"-conf", "c.json"}));
      ClusterConf.apply(
          Map.of("VERTIQ_CLUSTER_MEMBERS", "10.0.0.1,10.0.0.2", "VERTIQ_CLUSTER_PORT", "5801"));
      assertEquals("conf/cluster.xml", System.getProperty("vertx.hazelcast.config"));
      assertEquals("10.0.0.1,10.0.0.2", System.getProperty("vertiq.cluster.members"));
      assertEquals("vertiq", System.getProperty("vertiq.cluster.name"));
      assertEquals("5801", System.getProperty("vertiq.cluster.port"));
      for (String p : props) System.clearProperty(p);
      InvalidConfigException e =
          assertThrows(
              InvalidConfigException.class,
              () -> ClusterConf.apply(Map.of("VERTIQ_CLUSTER_PORT", "fifty")));
      assertTrue(
          e.getMessage().contains("VERTIQ_CLUSTER_PORT: expected a port number"), e.getMessage());
    } finally {
      for (String p : props) System.clearProperty(p);
    }
  }
}
