package io.vertiq.redis;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.BulkType;
import io.vertx.redis.client.impl.types.MultiType;
import io.vertx.redis.client.impl.types.NumberType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fetch reply's layout, read in one place: the header, then per job a spec string or hash, id and
 * attempt.
 */
class FetchJobsTest {
  private static Response bulk(String s) {
    return BulkType.create(Buffer.buffer(s), false);
  }

  private static Response num(long n) {
    return NumberType.create(n);
  }

  @Test
  void readsTheHeaderAndEachKindOfEntry() {
    MultiType fields = MultiType.create(2, false);
    fields.add(bulk("n"));
    fields.add(bulk("mail"));
    MultiType r = MultiType.create(9, false);
    for (Response h : List.of(num(1_700_000_000_000L), num(-1), num(1), num(42), num(0))) r.add(h);
    r.add(bulk("spec-a")); // a plain job: one slot
    r.add(fields); // a job with a hash: three slots
    r.add(bulk("17"));
    r.add(num(3));
    FetchJobs.Reply<String> f =
        FetchJobs.decode(
            r,
            new FetchJobs.Jobs<>() {
              @Override
              public String plain(String spec, long now) {
                return "plain " + spec + " at " + now;
              }

              @Override
              public String hashed(Response h, String id, int attempt, long now) {
                return "hashed " + id + " attempt " + attempt + " named " + h.get(1);
              }
            });
    assertEquals(1_700_000_000_000L, f.now());
    assertEquals(-1, f.nextDelayedAt());
    assertTrue(f.paused());
    assertEquals(42, f.leaseEpoch());
    assertEquals(0, f.limitedUntil());
    assertEquals(
        List.of("plain spec-a at 1700000000000", "hashed 17 attempt 3 named mail"), f.jobs());
  }

  @Test
  void aReplyWithNoJobIsTheHeaderAlone() {
    MultiType r = MultiType.create(5, false);
    for (Response h : List.of(num(0), num(-1), num(0), num(0), num(-2))) r.add(h);
    FetchJobs.Reply<Object> f = FetchJobs.decode(r, null);
    assertTrue(f.jobs().isEmpty());
    assertEquals(-2, f.limitedUntil());
  }
}
