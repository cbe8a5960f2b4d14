package io.vertiq.core;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Flow;
import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.redis.Keys;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * queues.&lt;q&gt;.compression: a payload and a result over the threshold are stored as zstd
 * frames, and every reader (the handler, the API, a flow's parent on the same queue and on another)
 * gets the text back; below the threshold, or on a queue without compression, nothing changes.
 */
class PayloadCompressionTest {
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};

  /** Returns its payload and what its children returned. */
  public static final class Echo implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      return Future.succeededFuture(
          new JsonObject().put("echo", job.payload()).put("children", job.childrenResults()));
    }
  }

  private static JsonObject sample(String file) throws Exception {
    return new JsonObject(Files.readString(Path.of("src/bench/payloads", file)));
  }

  private static JsonObject queue(boolean compressed) {
    JsonObject q =
        VertiqHarness.queue(Echo.class.getName(), 1, 10)
            .put("retention", new JsonObject().put("completed", "all"));
    if (compressed) q.put("compression", new JsonObject().put("threshold", 1024));
    return q;
  }

  private static Buffer raw(VertiqHarness h, Request r) {
    Response v = await(h.redis.send(r));
    return v == null ? null : v.toBuffer();
  }

  private static boolean zstd(Buffer b, int at) {
    for (int i = 0; i < ZSTD_MAGIC.length; i++)
      if (b.getByte(at + i) != ZSTD_MAGIC[i]) return false;
    return true;
  }

  /** Where the byte after the {@code n}th NUL is. */
  private static int nulAfter(Buffer b, int n) {
    for (int i = 0; i < b.length(); i++) if (b.getByte(i) == 0 && --n == 0) return i + 1;
    throw new AssertionError("fewer NULs than expected in " + b.length() + " bytes");
  }

  private static Job completed(VertiqHarness h, String queue, String id) {
    until(
        "job " + id + " completed",
        Duration.ofSeconds(20),
        () -> await(h.vertiq.queue(queue).get(id)).state() == JobState.COMPLETED);
    return await(h.vertiq.queue(queue).get(id));
  }

  @Test
  void largePayloadsAndResultsAreStoredCompressedAndReadBackAsTheyWere() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String q = TestSupport.randomName("zq");
      String plainQ = TestSupport.randomName("zp");
      Vertiq service =
          h.deploy(h.conf(new JsonObject().put(q, queue(true)).put(plainQ, queue(false))))
              .node()
              .vertiq();
      JsonObject big = sample("events-20k.json");
      JsonObject order = sample("order-2k.json");
      JsonObject small = new JsonObject().put("to", "a@example.com").put("subject", "hi");
      // paused while it is looked at in Redis, so no worker takes the jobs meanwhile
      await(service.queue(q).pause());
      String bigId = await(service.queue(q).enqueue(NewJob.of("batch", big))).id();
      String changedId = await(service.queue(q).enqueue(NewJob.of("batch", big))).id();
      String orderId = await(service.queue(q).enqueue(NewJob.of("order", order))).id();
      String smallId = await(service.queue(q).enqueue(NewJob.of("mail", small))).id();
      String offId = await(service.queue(plainQ).enqueue(NewJob.of("batch", big))).id();
      Keys keys = new Keys(h.prefix, q);

      // stored: a large plain job's spec keeps its header as text and its tail ("payload NUL
      // name") as a zstd frame, well under the payload's size; a job with options has the frame
      // in its hash
      for (String id : new String[] {bigId, orderId}) {
        Buffer spec = raw(h, Request.cmd(Command.HGET).arg(keys.specs()).arg(id));
        assertNotNull(spec, "job " + id + " is a plain job's spec");
        assertTrue(zstd(spec, nulAfter(spec, 2)), "job " + id + "'s spec tail is a zstd frame");
      }
      long stored = raw(h, Request.cmd(Command.HGET).arg(keys.specs()).arg(bigId)).length();
      long text = big.encode().getBytes(StandardCharsets.UTF_8).length;
      assertTrue(stored * 3 < text, "20 KiB of events stored in " + stored + " bytes");
      // listed by id in the fifo list, not held a second time there
      assertEquals(
          0L, await(h.redis.send(Request.cmd(Command.LPOS).arg(keys.fifo()).arg(bigId))).toLong());
      String optId = await(service.queue(q).enqueue(NewJob.of("batch", big).setPriority(5))).id();
      Buffer d = raw(h, Request.cmd(Command.HGET).arg(keys.job(optId)).arg("d"));
      assertTrue(zstd(d, 0), "a job with options has its payload's frame in its hash");
      // the small one is a plain job's spec in text, as without compression; so is every job of
      // the queue without compression
      assertFalse(
          zstd(
              raw(h, Request.cmd(Command.HGET).arg(keys.specs()).arg(smallId)),
              nulAfter(raw(h, Request.cmd(Command.HGET).arg(keys.specs()).arg(smallId)), 2)));
      Keys off = new Keys(h.prefix, plainQ);
      Buffer offSpec = raw(h, Request.cmd(Command.HGET).arg(off.specs()).arg(offId));
      assertEquals(
          big.encode() + "\0batch", offSpec.getString(nulAfter(offSpec, 2), offSpec.length()));

      // a plain job given a priority gets a hash of its own, which keeps the compressed spec whole
      assertEquals(JobState.READY, await(service.queue(q).setPriority(changedId, 7)));
      assertTrue(
          zstd(
              raw(h, Request.cmd(Command.HGET).arg(keys.job(changedId)).arg("s")),
              nulAfter(raw(h, Request.cmd(Command.HGET).arg(keys.job(changedId)).arg("s")), 2)));
      assertEquals(big, await(service.queue(q).get(changedId)).payload());
      await(service.queue(q).resume());

      // read back: the handler saw the payload (its result echoes it), and the API gives both
      assertEquals(big, ((JsonObject) completed(h, q, optId).result()).getJsonObject("echo"));
      assertEquals(big, ((JsonObject) completed(h, q, changedId).result()).getJsonObject("echo"));
      Job done = completed(h, q, bigId);
      assertEquals(big, done.payload());
      assertEquals(big, ((JsonObject) done.result()).getJsonObject("echo"));
      assertEquals(order, ((JsonObject) completed(h, q, orderId).result()).getJsonObject("echo"));
      assertEquals(small, ((JsonObject) completed(h, q, smallId).result()).getJsonObject("echo"));
      assertEquals(big, ((JsonObject) completed(h, plainQ, offId).result()).getJsonObject("echo"));
      // the large result was stored compressed after its record's header (in the done hash:
      // "finished NUL attempt NUL started NUL result")
      Buffer record = raw(h, Request.cmd(Command.HGET).arg(keys.done()).arg(bigId));
      assertTrue(
          zstd(record, nulAfter(record, 3)),
          "the result after the record's header is a zstd frame");
      assertTrue(record.length() * 3 < text, "the result stored in " + record.length() + " bytes");
    }
  }

  @Test
  void aFlowParentReadsItsChildrensCompressedResultsOnItsQueueAndAcrossQueues() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String a = TestSupport.randomName("zfa");
      String b = TestSupport.randomName("zfb");
      Vertiq service =
          h.deploy(h.conf(new JsonObject().put(a, queue(true)).put(b, queue(true))))
              .node()
              .vertiq();
      JsonObject big = sample("events-20k.json");
      JsonObject ids =
          await(
              service.enqueueFlow(
                  Flow.of(a, NewJob.of("report", new JsonObject()))
                      .child(Flow.of(a, NewJob.of("same-queue", big)))
                      .child(Flow.of(b, NewJob.of("other-queue", big)))));
      String parent = ids.getString("id");
      JsonObject children =
          ((JsonObject) completed(h, a, parent).result()).getJsonObject("children");
      assertEquals(2, children.size(), children.encode());
      for (String key : children.fieldNames())
        assertEquals(big, children.getJsonObject(key).getJsonObject("echo"), "child " + key);
    }
  }
}
