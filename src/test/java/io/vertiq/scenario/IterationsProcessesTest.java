package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A long iteration through the fat jar: 100,000 items with a checkpoint every 1,000, the process
 * SIGKILLed mid-way. Each item's run is written to a file outside the process (one write per item,
 * so a SIGKILL loses none of them): afterwards every item ran, and the items that ran twice are at
 * most the 1,000 since the last checkpoint before the kill.
 */
class IterationsProcessesTest {
  /** Walks payload.items items, every 1,000 a checkpoint, writing each item to payload.file. */
  public static final class ItemsToFile implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      long items = job.payload().getLong("items");
      Path file = Path.of(job.payload().getString("file"));
      Vertx vertx = Vertx.currentContext().owner();
      FileChannel out;
      try {
        out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        return Future.failedFuture(e);
      }
      return job.iterate(
              0,
              items,
              1_000,
              i -> {
                try {
                  out.write(ByteBuffer.wrap((i + "\n").getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                if (i % 100 != 99) return Future.succeededFuture();
                Promise<Void> p = Promise.promise(); // 100 items a millisecond or two: a long walk
                vertx.setTimer(1, t -> p.complete());
                return p.future();
              })
          .eventually(
              () -> {
                try {
                  out.close();
                } catch (IOException ignored) {
                  // the file stays readable
                }
                return Future.succeededFuture();
              })
          .map(v -> (Object) "walked");
    }
  }

  @Test
  void aSigkilledWalkRepeatsAtMostTheItemsSinceItsLastCheckpoint() throws Exception {
    Path file = Files.createTempFile("vertiq-items-", ".txt");
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("walk");
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      new JsonObject()
                          .put("handler", ItemsToFile.class.getName())
                          .put("lease", "1s")
                          .put("retention", new JsonObject().put("completed", "all"))));
      conf.put("maintenance", new JsonObject().put("interval", "200ms"));
      Path confFile = JarProcess.writeConf(conf);
      JobQueue q = h.queue(name);
      int items = 100_000;
      String id =
          await(
                  q.enqueue(
                      NewJob.of(
                          "walk",
                          new JsonObject().put("items", items).put("file", file.toString()))))
              .id();
      try (JarProcess p = JarProcess.startWithTestHandlers("-conf", confFile.toString())) {
        p.awaitStarted();
        until(
            "a third of the walk checkpointed",
            Duration.ofSeconds(120),
            () -> cursor(await(q.get(id))) >= 30_000);
        p.sigkill();
      }
      long cursorAtKill = cursor(await(q.get(id)));
      assertTrue(cursorAtKill < items, "killed mid-way, at " + cursorAtKill);
      try (JarProcess last = JarProcess.startWithTestHandlers("-conf", confFile.toString())) {
        last.awaitStarted();
        until(
            "completed",
            Duration.ofSeconds(120),
            () -> await(q.get(id)).state() == JobState.COMPLETED);
      }
      int[] runs = new int[items];
      try (var lines = Files.lines(file)) {
        lines.forEach(l -> runs[Integer.parseInt(l.trim())]++);
      }
      long twice = 0;
      long first = -1;
      long last = -1;
      for (int i = 0; i < items; i++) {
        assertTrue(runs[i] >= 1, "item " + i + " never ran");
        assertTrue(runs[i] <= 2, "item " + i + " ran " + runs[i] + " times");
        if (runs[i] == 2) {
          twice++;
          if (first < 0) first = i;
          last = i;
        }
      }
      System.out.println(
          "iteration SIGKILLed at cursor " + cursorAtKill + ": " + twice + " items ran twice");
      assertTrue(twice <= 1_000, twice + " items ran twice, more than one checkpoint's worth");
      if (twice > 0) {
        // the items the killed run walked after its last checkpoint, and only those
        assertEquals(0, first % 1_000, "the repeats begin at a checkpoint, item " + first);
        assertEquals(twice, last - first + 1, "the repeats are one run of items from there");
        assertTrue(first >= cursorAtKill, "from the kill's last checkpoint on: " + first);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static long cursor(Job job) {
    Object c = job.cursor();
    return c instanceof Number n ? n.longValue() : -1;
  }
}
