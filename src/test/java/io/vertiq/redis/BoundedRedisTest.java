package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.TestRedis;
import io.vertiq.testing.TestSupport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedRedisTest {

  @Test
  void keepsAtMostTheLimitInFlightAndAnswersEveryCallOnItsCallersContext() {
    Vertx vertx = Vertx.vertx();
    Redis raw = Redis.createClient(vertx, TestRedis.url());
    BoundedRedis bounded = new BoundedRedis(vertx, raw, 3);
    String key = TestSupport.randomPrefix() + ":counter";
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger wrongThread = new AtomicInteger();
    Promise<List<Long>> all = Promise.promise();
    try {
      vertx.runOnContext(
          v -> {
            Thread caller = Thread.currentThread();
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
              fs.add(
                  bounded
                      .send(Request.cmd(Command.INCR).arg(key))
                      .map(
                          r -> {
                            maxSeen.accumulateAndGet(bounded.inFlight(), Math::max);
                            if (Thread.currentThread() != caller) wrongThread.incrementAndGet();
                            return r.toLong();
                          }));
              maxSeen.accumulateAndGet(bounded.inFlight(), Math::max);
            }
            Future.all(fs).map(cf -> fs.stream().map(Future::result).toList()).onComplete(all);
          });
      Set<Long> values = new HashSet<>(await(all.future()));
      assertEquals(500, values.size(), "every INCR ran once");
      assertTrue(values.contains(1L) && values.contains(500L));
      assertTrue(maxSeen.get() <= 3, "in flight at most 3, saw " + maxSeen.get());
      assertTrue(maxSeen.get() >= 1);
      assertEquals(0, wrongThread.get(), "results came back on the caller's event loop");
      assertEquals(0, bounded.inFlight());
    } finally {
      await(raw.send(Request.cmd(Command.DEL).arg(key)));
      await(vertx.close());
    }
  }

  @Test
  void callsOnAClosedClientFailWithoutBlockingTheOthers() {
    Vertx vertx = Vertx.vertx();
    Redis raw = Redis.createClient(vertx, TestRedis.url());
    BoundedRedis bounded = new BoundedRedis(vertx, raw, 1);
    try {
      await(bounded.close());
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) fs.add(bounded.send(Request.cmd(Command.PING)));
      await(Future.join(fs).recover(err -> Future.succeededFuture()));
      assertTrue(fs.stream().allMatch(Future::failed), "a closed client fails every call");
      assertEquals(0, bounded.inFlight());
    } finally {
      await(vertx.close());
    }
  }
}
