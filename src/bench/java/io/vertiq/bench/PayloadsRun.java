package io.vertiq.bench;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertiq.config.Compression;
import io.vertiq.config.VertiqOptions;
import io.vertiq.redis.KeyScan;
import io.vertiq.server.Engines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The "payloads" scenario: Redis bytes per job for realistic JSON payloads (the sample files in
 * src/bench/payloads: an order of 2 KiB, an event batch of 20 KiB), with the queue's compression
 * off and on (threshold 1 KiB, level 3). Per case, on a key prefix of its own: the jobs are
 * enqueued while the queue is paused (used_memory before and after: bytes per waiting job, and the
 * bulk enqueue's rate), then run by a handler that returns its payload, every completed job kept
 * (bytes per completed job, payload and result).
 */
public final class PayloadsRun {
  /** Returns its payload: a result as large as the job's input. */
  public static final class Echo implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      return Future.succeededFuture(job.payload());
    }
  }

  private static final String[] SAMPLES = {"order-2k.json", "events-20k.json"};
  private static final Compression ON = new Compression(1024, Compression.DEFAULT_LEVEL);

  private PayloadsRun() {}

  static JsonObject run(String url, double scale) throws Exception {
    int n = Math.max(200, (int) (2_000 * scale));
    JsonObject out = new JsonObject().put("scenario", "payloads").put("jobs", n);
    for (String file : SAMPLES) {
      JsonObject payload = new JsonObject(Files.readString(Path.of("src/bench/payloads", file)));
      JsonObject off = measure(url, payload, n, false);
      JsonObject on = measure(url, payload, n, true);
      String name = file.replace(".json", "").replace("-", "");
      out.put(name + "Bytes", payload.encode().length())
          .put(name + "WaitingBytesOff", off.getLong("waiting"))
          .put(name + "WaitingBytesOn", on.getLong("waiting"))
          .put(name + "WaitingRatio", ratio(off.getLong("waiting"), on.getLong("waiting")))
          .put(name + "CompletedBytesOff", off.getLong("completed"))
          .put(name + "CompletedBytesOn", on.getLong("completed"))
          .put(name + "CompletedRatio", ratio(off.getLong("completed"), on.getLong("completed")))
          .put(name + "EnqueueJobsPerSecOff", off.getLong("enqueuePerSec"))
          .put(name + "EnqueueJobsPerSecOn", on.getLong("enqueuePerSec"));
    }
    return out;
  }

  private static double ratio(long off, long on) {
    return on <= 0 ? 0 : Math.round(off * 100.0 / on) / 100.0;
  }

  private static JsonObject measure(String url, JsonObject payload, int n, boolean compressed)
      throws Exception {
    String prefix = "vqbench-" + UUID.randomUUID().toString().substring(0, 8);
    String name = "payloads";
    Vertx service = Vertx.vertx();
    Vertx producer = Vertx.vertx();
    Redis redis = Redis.createClient(producer, url);
    try {
      JobQueue q =
          Engines.create(producer, redis, prefix, VertiqOptions.DEFAULT_MAX_PAYLOAD, 10_000)
              .withCompression(queue -> compressed ? ON : Compression.OFF)
              .queue(name);
      block(q.pause());
      JsonObject queueConf =
          new JsonObject()
              .put("handler", Echo.class.getName())
              .put("retention", new JsonObject().put("completed", "all"));
      if (compressed) queueConf.put("compression", new JsonObject().put("threshold", 1024));
      block(Vertiq.deploy(service, Bench.serviceConf(url, prefix, name, queueConf)));
      List<NewJob> jobs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) jobs.add(NewJob.of("sample", payload));
      long before = usedMemory(redis);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i += 500) block(q.enqueueBulk(jobs.subList(i, Math.min(n, i + 500))));
      long enqueueNanos = System.nanoTime() - t0;
      long waiting = usedMemory(redis);
      block(q.resume());
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (block(q.counts()).completed() < n) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("jobs did not complete");
        Thread.sleep(50); // polled: the drain's end, not a state to wait for in a test
      }
      long completed = usedMemory(redis);
      return new JsonObject()
          .put("waiting", (waiting - before) / n)
          .put("completed", (completed - before) / n)
          .put("enqueuePerSec", (long) (n * 1e9 / enqueueNanos));
    } finally {
      block(service.close());
      block(KeyScan.deleteByPrefix(redis, prefix));
      block(redis.send(Request.cmd(Command.DEL).arg(prefix + ":queues")));
      block(producer.close());
    }
  }

  private static long usedMemory(Redis redis) throws Exception {
    String info = block(redis.send(Request.cmd(Command.INFO).arg("memory"))).toString();
    for (String line : info.split("\r?\n"))
      if (line.startsWith("used_memory:")) return Long.parseLong(line.substring(12).trim());
    throw new IllegalStateException("INFO memory has no used_memory");
  }

  private static <T> T block(Future<T> f) throws Exception {
    return ProbeService.block(f);
  }
}
