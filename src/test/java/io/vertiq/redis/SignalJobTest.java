package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** signalJob-7.lua through its Java type: a signal kept with a job, and one for no job. */
class SignalJobTest {
  @Test
  void aSignalIsKeptWithAJobThatDoesNotWaitForItAndAMissingJobIsSaidSo() {
    try (VertiqHarness h = new VertiqHarness()) {
      String q = TestSupport.randomName("signal");
      SignalJob signal = new SignalJob(new Keys(h.prefix, q));
      String id = await(h.vertiq.queue(q).enqueue(NewJob.of("a", new JsonObject()))).id();
      assertEquals(SignalJob.Outcome.KEPT, await(signal.run(h.redis, id, "go", "{\"n\":1}")));
      assertEquals(SignalJob.Outcome.MISSING, await(signal.run(h.redis, "999999", "go", "{}")));
    }
  }
}
