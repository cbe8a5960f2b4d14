package io.vertiq.server;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.config.InvalidConfigException;
import org.junit.jupiter.api.Test;

/** The launcher's options that would not do what they say are refused before anything starts; no Redis. */
class VertiqApplicationTest {
  @Test
  void instancesOtherThanOneAndClusterAreRefusedSayingWhatToDoInstead() {
    VertiqApplication.checkOptions(new String[] {"-conf", "x.json", "-instances", "1"});
    for (String[] args : new String[][] {{"-instances", "4"}, {"--instances=2"}, {"-instances"}}) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> VertiqApplication.checkOptions(args));
      assertTrue(e.getMessage().contains("queues.<name>.instances"), e.getMessage());
    }
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> VertiqApplication.checkOptions(new String[] {"-cluster"}));
    assertTrue(e.getMessage().contains("no cluster manager"), e.getMessage());
  }
}
