package io.vertiq.redis;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * Every key of a queue carries its hash tag, so each script touches one slot of a Redis Cluster.
 */
class KeysTest {
  @Test
  void everyKeyOfAQueueCarriesItsHashTag() {
    Keys k = new Keys("vq", "emails");
    for (String key :
        new String[] {
          k.ready(),
          k.delayed(),
          k.active(),
          k.dead(),
          k.completed(),
          k.stats(),
          k.wake(),
          k.fifo(),
          k.specs(),
          k.meta(),
          k.unique(),
          k.failures(),
          k.done(),
          k.limiter(),
          k.flowOut(),
          k.job("7")
        }) {
      assertTrue(key.startsWith("vq:{emails}:"), key);
    }
    for (String key : k.enqueue()) assertTrue(key.contains("{emails}"), key);
  }

  @Test
  void keysOfTwoQueuesOrTwoPrefixesNeverMeet() {
    assertNotEquals(new Keys("vq", "a").ready(), new Keys("vq", "b").ready());
    assertNotEquals(new Keys("vq", "a").ready(), new Keys("other", "a").ready());
  }
}
