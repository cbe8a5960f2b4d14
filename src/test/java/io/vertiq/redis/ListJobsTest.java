package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** listReady-2.lua, listJobs-1.lua and getJobs-7.lua through their Java types. */
class ListJobsTest {
  @Test
  void pagesOfIdsAndTheJobsBehindThem() {
    try (VertiqHarness h = new VertiqHarness()) {
      String q = TestSupport.randomName("lists");
      Keys keys = new Keys(h.prefix, q);
      String a = await(h.vertiq.queue(q).enqueue(NewJob.of("a", new JsonObject()))).id();
      String b =
          await(h.vertiq.queue(q).enqueue(NewJob.of("b", new JsonObject()).setPriority(5))).id();
      String c = await(h.vertiq.queue(q).enqueue(NewJob.of("c", new JsonObject()))).id();
      String later =
          await(h.vertiq.queue(q).enqueue(NewJob.of("d", new JsonObject()).setDelayMs(60_000)))
              .id();
      ListJobs lists = new ListJobs(keys);
      // the priority job first, as workers take them, then the fifo in order
      ListJobs.IdPage first = await(lists.ready(h.redis, 0, 2));
      assertEquals(3, first.total());
      assertEquals(List.of(b, a), first.ids());
      assertEquals(List.of(c), await(lists.ready(h.redis, 2, 2)).ids());
      ListJobs.IdPage delayed = await(lists.of(h.redis, keys.delayed(), 0, 10, false));
      assertEquals(1, delayed.total());
      assertEquals(List.of(later), delayed.ids());

      List<GetJobs.Found> found = await(new GetJobs(keys).run(h.redis, List.of(a, "99999", later)));
      assertEquals(2, found.size(), "a missing id is left out");
      assertEquals("ready", found.get(0).state());
      assertTrue(found.get(0).fields().containsKey("s"), "a plain job comes as its spec");
      assertEquals("delayed", found.get(1).state());
      assertEquals("d", found.get(1).fields().get("n"));
    }
  }
}
