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
      String bigId = await(service.queue(q).enqueue(NewJob.of("batch", big))).id();
      String orderId = await(service.queue(q).enqueue(NewJob.of("order", order))).id();
      String smallId = await(service.queue(q).enqueue(NewJob.of("mail", small))).id();
      String offId = await(service.queue(plainQ).enqueue(NewJob.of("batch", big))).id();
      Keys keys = new Keys(h.prefix, q);

      // stored: the large payloads as zstd frames in their job's hash, well under their size
      for (String id : new String[] {bigId, orderId}) {
        Buffer d = raw(h, Request.cmd(Command.HGET).arg(keys.job(id)).arg("d"));
        assertNotNull(d, "job " + id + " has its payload in its hash");
        assertTrue(zstd(d, 0), "job " + id + "'s payload is a zstd frame");
      }
      long stored = raw(h, Request.cmd(Command.HGET).arg(keys.job(bigId)).arg("d")).length();
      long text = big.encode().getBytes(StandardCharsets.UTF_8).length;
      assertTrue(stored * 3 < text, "20 KiB of events stored in " + stored + " bytes");
      // the small one is a plain job's spec, as without compression; so is every job of the queue
      // without compression
      assertEquals(
          1L,
          await(h.redis.send(Request.cmd(Command.HEXISTS).arg(keys.specs()).arg(smallId)))
              .toLong());
      Keys off = new Keys(h.prefix, plainQ);
      assertEquals(
          1L,
          await(h.redis.send(Request.cmd(Command.HEXISTS).arg(off.specs()).arg(offId))).toLong());

      // read back: the handler saw the payload (its result echoes it), and the API gives both
      Job done = completed(h, q, bigId);
      assertEquals(big, done.payload());
      assertEquals(big, ((JsonObject) done.result()).getJsonObject("echo"));
      assertEquals(order, ((JsonObject) completed(h, q, orderId).result()).getJsonObject("echo"));
      assertEquals(small, ((JsonObject) completed(h, q, smallId).result()).getJsonObject("echo"));
      assertEquals(big, ((JsonObject) completed(h, plainQ, offId).result()).getJsonObject("echo"));
      // the large result was stored compressed after its record's header (in the done hash:
      // "finished NUL attempt NUL started NUL result")
      Buffer record = raw(h, Request.cmd(Command.HGET).arg(keys.done()).arg(bigId));
      String latin = record.toString(StandardCharsets.ISO_8859_1);
      int third = latin.indexOf('\0', latin.indexOf('\0', latin.indexOf('\0') + 1) + 1);
      assertTrue(zstd(record, third + 1), "the result after the record's header is a zstd frame");
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
