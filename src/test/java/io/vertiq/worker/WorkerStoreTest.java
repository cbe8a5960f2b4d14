package io.vertiq.worker;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Flow;
import io.vertiq.Job;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.config.QueueOptions;
import io.vertiq.core.JobCodec;
import io.vertiq.redis.FinishJobs;
import io.vertiq.redis.Keys;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The run token through the store's scripts: only the run that holds a job now can report it. */
class WorkerStoreTest {
  private final VertiqHarness h = new VertiqHarness();
  private final String name = TestSupport.randomName("store");
  private final WorkerStore store = new WorkerStore(h.redis, new Keys(h.prefix, name));
  private final QueueOptions q =
      new QueueOptions(
          new JsonObject()
              .put("handler", "noop")
              .put("retention", new JsonObject().put("completed", "all")));

  @AfterEach
  void cleanup() {
    h.close();
  }

  /** The lease epoch each fetched run reports with, as the worker keeps it. */
  private final Map<Job, Long> epochs = new IdentityHashMap<>();

  private Job fetchOne(long leaseMs) {
    WorkerStore.Fetched f = await(store.fetch(10, leaseMs));
    assertEquals(1, f.jobs().size());
    epochs.put(f.jobs().get(0), f.leaseEpoch());
    return f.jobs().get(0);
  }

  /**
   * Reports outcomes of {@code run} as its worker would: with the lease epoch of the fetch that
   * brought it.
   */
  /** A failed run's entry as the worker writes it: error "boom", no delay, started at 1. */
  private static List<String> failedRun(String id, String token, FinishJobs.Failure outcome) {
    List<String> entry = new ArrayList<>();
    FinishJobs.failed(entry, id, token, outcome, "boom", "", 0, "1");
    return entry;
  }

  private FinishJobs.Reply report(Job run, List<String> done, List<String> failed) {
    return await(store.finish(q, done, failed, epochs.get(run)));
  }

  @Test
  void aFlowChildsTokenNamesItsParentAndATokenWithoutItStillReachesTheParent() {
    JsonObject ids =
        await(
            h.vertiq.enqueueFlow(
                Flow.of(name, NewJob.of("parent", new JsonObject()))
                    .child(Flow.of(name, NewJob.of("a", new JsonObject())))
                    .child(Flow.of(name, NewJob.of("b", new JsonObject())))));
    String parent = ids.getString("id");
    Job a = fetchSingle();
    assertEquals("\0" + name + "\0" + parent + "\0" + "1f", WorkerStore.token(a));
    report(a, completedRun(a.id(), WorkerStore.token(a)), List.of());
    // a token as an earlier build wrote it (no parent): the finish reads the child's parent
    Job b = fetchSingle();
    report(b, completedRun(b.id(), "1f"), List.of());
    Job parentRun = fetchSingle();
    assertEquals(parent, parentRun.id(), "both children told the parent, which is ready");
    assertEquals(2, parentRun.childrenResults().size());
  }

  /** One job, with the lease epoch its worker would report with. */
  private Job fetchSingle() {
    WorkerStore.Fetched f = await(store.fetch(1, 60_000));
    assertEquals(1, f.jobs().size());
    epochs.put(f.jobs().get(0), f.leaseEpoch());
    return f.jobs().get(0);
  }

  /** A completed run's entry as the worker writes it, with result {"ok":true}. */
  private static List<String> completedRun(String id, String token) {
    List<String> entry = new ArrayList<>();
    FinishJobs.done(entry, id, token, JobCodec.completed(1, "1", "{\"ok\":true}"));
    return entry;
  }

  @Test
  void aReportFromARunWhoseLeaseExpiredIsStaleAndTheCurrentRunsIsStored() {
    JobQueue queue = h.queue(name);
    String id = await(queue.enqueue(NewJob.of("t", new JsonObject()).setUniqueKey("k1"))).id();
    Job first = fetchOne(1);
    assertEquals(1, first.attemptsMade());
    assertEquals("1u", WorkerStore.token(first));
    until(
        "the lease expired and maintenance requeued the job",
        Duration.ofSeconds(5),
        () -> await(new MaintainPass(h.redis, store.keys()).run(q, 50)).requeued() == 1);
    Job second = fetchOne(60_000);
    assertEquals(2, second.attemptsMade(), "the stalled run counted as an attempt");
    Job running = await(queue.get(id));
    assertEquals(JobState.ACTIVE, running.state());
    assertEquals(2, running.attemptsMade(), "a running job shows its current attempt");

    assertEquals(
        0L,
        await(store.extend(60_000, List.of(id, WorkerStore.token(first)))).count(),
        "the stalled run cannot renew the lease the new run holds");
    assertEquals(
        1L,
        await(store.extend(120_000, List.of(id, WorkerStore.token(second)))).count(),
        "a longer lease: the score changes");
    var stale =
        report(
            first,
            List.of(id, WorkerStore.token(first), JobCodec.completed(1, "1", "\"late\"")),
            List.of());
    assertEquals(1, stale.stale());
    assertEquals(0, stale.completed());
    assertEquals(
        "1",
        await(h.redis.send(Request.cmd(Command.HGET).arg(store.keys().stats()).arg("stale")))
            .toString(),
        "the late result is counted in the queue's totals");
    var ok =
        report(
            second,
            List.of(
                id,
                WorkerStore.token(second),
                JobCodec.completed(2, Long.toString(second.startedAt()), "\"on time\"")),
            List.of());
    assertEquals(1, ok.completed());
    Job done = await(queue.get(id));
    assertEquals(JobState.COMPLETED, done.state());
    assertEquals(2, done.attemptsMade());
    assertEquals("on time", done.result());
    assertEquals(second.startedAt(), done.startedAt());
    assertTrue(done.finishedAt() >= done.startedAt());
    assertTrue(
        await(queue.enqueue(NewJob.of("t", new JsonObject()).setUniqueKey("k1"))).created(),
        "completing freed the unique key");
    // a batch sent again after an error (the first try may have been stored) goes with no epoch:
    // its leases are read
    var again =
        await(
            store.finish(
                q,
                List.of(id, WorkerStore.token(second), JobCodec.completed(2, "1", "\"twice\"")),
                List.of(),
                WorkerStore.UNKNOWN_EPOCH));
    assertEquals(1, again.stale(), "a second report of the same run is stale");
    assertEquals(
        1L, await(queue.counts()).totals().get("reclaimed"), "the expired lease was counted");
  }

  @Test
  void aReleasedJobRunsAgainWithANewTokenAndTheReleasedRunCannotReport() {
    JobQueue queue = h.queue(name);
    String id = await(queue.enqueue(NewJob.of("t", new JsonObject()))).id();
    Job first = fetchOne(60_000);
    assertEquals(0L, await(store.release(List.of(id, "7"))), "a wrong token releases nothing");
    assertEquals(1L, await(store.release(List.of(id, WorkerStore.token(first)))));
    assertEquals(JobState.READY, await(queue.get(id)).state());
    Job second = fetchOne(60_000);
    assertEquals(2, second.attemptsMade());
    assertFalse(await(store.runs().progress(id, WorkerStore.token(first), "{\"p\":1}")));
    assertTrue(await(store.runs().progress(id, WorkerStore.token(second), "{\"p\":2}")));
    assertEquals(
        1,
        report(
                first,
                List.of(id, WorkerStore.token(first), JobCodec.completed(1, "1", "1")),
                List.of())
            .stale(),
        "the release moved the lease epoch on: the released run's report has its lease read, and is stale");
    assertEquals(
        1,
        report(second, List.of(), failedRun(id, WorkerStore.token(second), FinishJobs.Failure.DEAD))
            .dead());
    Job dead = await(queue.get(id));
    assertEquals(JobState.DEAD, dead.state());
    assertEquals("boom", dead.error());
    assertEquals(2, dead.attemptsMade());
  }

  /**
   * New priority-0 jobs wait in the fifo list, the rest in the ready zset: listing, fetching,
   * reading and removing must see one ready state in one order (higher priorities, then priority 0
   * with returned jobs first, then negative priorities).
   */
  @Test
  void readyJobsListAndRunInOneOrderAcrossTheZsetAndTheFifoList() {
    JobQueue queue = h.queue(name);
    String low = await(queue.enqueue(NewJob.of("low", new JsonObject()).setPriority(-5))).id();
    List<String> plain =
        await(
                queue.enqueueBulk(
                    List.of(
                        NewJob.of("a", new JsonObject()),
                        NewJob.of("b", new JsonObject()),
                        NewJob.of("c", new JsonObject()))))
            .stream()
            .map(r -> r.id())
            .toList();
    String high = await(queue.enqueue(NewJob.of("high", new JsonObject()).setPriority(5))).id();
    String back = await(queue.enqueue(NewJob.of("back", new JsonObject()))).id();
    Job first = await(store.fetch(1, 60_000)).jobs().get(0);
    assertEquals(high, first.id(), "the highest priority goes first");
    Job second = await(store.fetch(1, 60_000)).jobs().get(0);
    assertEquals(plain.get(0), second.id(), "then new jobs of priority 0, oldest first");
    // both come back (released): to the zset, the priority-0 one ahead of the new jobs of its
    // priority
    await(
        store.release(
            List.of(first.id(), WorkerStore.token(first), second.id(), WorkerStore.token(second))));
    String fresh = await(queue.enqueue(NewJob.of("fresh", new JsonObject()))).id();
    List<String> order = List.of(high, plain.get(0), plain.get(1), plain.get(2), back, fresh, low);

    List<String> listed = new ArrayList<>();
    String cursor = "0";
    while (cursor != null) {
      var page = await(queue.list(JobState.READY, Long.parseLong(cursor), 2));
      assertEquals(7, page.total());
      page.jobs()
          .forEach(
              j -> {
                assertEquals(JobState.READY, j.state(), "job " + j.id() + " is ready");
                listed.add(j.id());
              });
      cursor = page.nextCursor();
    }
    assertEquals(order, listed, "pages of 2 walk the ready jobs in run order");
    assertEquals(7, await(queue.counts()).ready());

    assertTrue(await(queue.remove(fresh)), "a job in the fifo list can be removed");
    assertEquals(6, await(queue.counts()).ready());
    String fresh2 = await(queue.enqueue(NewJob.of("fresh2", new JsonObject()))).id();
    List<String> fetched = await(store.fetch(10, 60_000)).jobs().stream().map(Job::id).toList();
    List<String> runOrder =
        List.of(high, plain.get(0), plain.get(1), plain.get(2), back, fresh2, low);
    assertEquals(runOrder, fetched, "workers take the jobs in the listed order");
  }

  @Test
  void aPlainJobsFifoEntryCarriesItsSpecAndAJobWithOptionsItsIdAlone() {
    JobQueue queue = h.queue(name);
    // a name with the entry's separator in it, and text that is not ASCII: the entry must still
    // split right
    String oddName = "odd\0name \u00e9\u6f22";
    String payload = "{\"text\":\"caf\u00e9 \\u0000 \u2603\",\"n\":[1,2]}";
    String plain = await(queue.enqueue(new NewJob().setName(oddName).setPayloadText(payload))).id();
    String timed =
        await(queue.enqueue(NewJob.of("timed", new JsonObject().put("k", 1)).setTimeoutMs(5_000)))
            .id();
    String removed =
        await(queue.enqueue(new NewJob().setName(oddName).setPayloadText(payload))).id();
    String bigPayload = new JsonObject().put("blob", "x".repeat(2000)).encode();
    String big = await(queue.enqueue(new NewJob().setName("big").setPayloadText(bigPayload))).id();
    String bigRemoved =
        await(queue.enqueue(new NewJob().setName("big").setPayloadText(bigPayload))).id();
    List<String> entries =
        await(
                h.redis.send(
                    Request.cmd(Command.LRANGE)
                        .arg(new Keys(h.prefix, name).fifo())
                        .arg(0)
                        .arg(-1)))
            .stream()
            .map(Object::toString)
            .toList();
    assertEquals(5, entries.size());
    assertTrue(
        entries.get(0).startsWith(plain + "\0"),
        "a plain job's entry carries its spec: " + entries.get(0));
    assertEquals(timed, entries.get(1), "a job with options is listed by its id");
    assertEquals(
        big, entries.get(3), "so is a plain job with a large payload (its spec is not held twice)");
    Keys keys = new Keys(h.prefix, name);
    assertEquals(0, exists(keys.job(plain)), "a plain job has no hash of its own while it waits");
    assertEquals(1, exists(keys.job(timed)), "a job with options has");
    assertEquals(4, hlen(keys.specs()), "the plain jobs' specs are fields of one hash");
    Job stored = await(queue.get(plain));
    assertEquals(oddName, stored.name(), "read back from the specs hash");
    assertEquals(payload, stored.payloadText());
    assertEquals(JobState.READY, stored.state());

    assertTrue(await(queue.remove(removed)), "a plain job is found in the fifo list and removed");
    assertTrue(await(queue.remove(bigRemoved)), "and a large one, listed by its id");
    assertFalse(await(queue.remove(removed)), "a removed plain job is gone");
    assertEquals(2, hlen(keys.specs()), "with its spec");
    assertEquals(3, await(queue.counts()).ready());
    List<? extends Job> jobs = await(store.fetch(10, 60_000)).jobs();
    assertEquals(List.of(plain, timed, big), jobs.stream().map(Job::id).toList());
    assertEquals(
        List.of("big", bigPayload, 1),
        List.of(jobs.get(2).name(), jobs.get(2).payloadText(), jobs.get(2).attemptsMade()),
        "a large plain job's spec is read from the specs hash");
    Job a = jobs.get(0);
    assertEquals(oddName, a.name());
    assertEquals(payload, a.payloadText());
    assertEquals(stored.createdAt(), a.createdAt(), "the created time is the hash's");
    assertEquals(1, a.attemptsMade(), "its first run");
    assertEquals(0, a.timeoutMs(), "the queue's timeout");
    assertNull(a.attempts());
    assertNull(a.backoff());
    assertNull(a.uniqueKey());
    assertEquals(5_000, jobs.get(1).timeoutMs(), "a job with options is read from its hash");
    assertEquals(1, jobs.get(1).attemptsMade());

    // released, the plain job waits in the ready zset and is read from its hash: the same spec, its
    // second run
    await(store.release(List.of(a.id(), WorkerStore.token(a))));
    Job again = fetchOne(60_000);
    assertEquals(
        List.of(plain, oddName, payload, stored.createdAt(), 2),
        List.of(
            again.id(),
            again.name(),
            again.payloadText(),
            again.createdAt(),
            again.attemptsMade()));
    // failed with a retry due at once, it goes through the delayed zset and is promoted back to
    // ready
    report(
        again,
        List.of(),
        failedRun(again.id(), WorkerStore.token(again), FinishJobs.Failure.RETRY));
    Job retried = fetchOne(60_000);
    assertEquals(
        List.of(plain, oddName, 3), List.of(retried.id(), retried.name(), retried.attemptsMade()));
    // completed after a failed run: the completed run's record wins over the failed run's attempt
    // and start
    report(
        retried,
        List.of(
            retried.id(),
            WorkerStore.token(retried),
            JobCodec.completed(3, Long.toString(retried.startedAt()), "{\"ok\":true}")),
        List.of());
    Job done = await(queue.get(plain));
    assertEquals(
        List.of(
            JobState.COMPLETED, 3, retried.startedAt(), new JsonObject().put("ok", true), oddName),
        List.of(done.state(), done.attemptsMade(), done.startedAt(), done.result(), done.name()));
    assertNull(done.error(), "an earlier attempt's error is history, not the completed job's");
    // the failed runs as a history, then the completed one
    var history = done.history();
    assertEquals(2, history.size(), history.encode());
    assertEquals("boom", history.getJsonObject(0).getString("error"));
    assertEquals(2, history.getJsonObject(0).getInteger("attempt"));
    assertTrue(history.getJsonObject(1).getBoolean("completed"));
    assertEquals(3, history.getJsonObject(1).getInteger("attempt"));
  }

  private long exists(String key) {
    return await(h.redis.send(Request.cmd(Command.EXISTS).arg(key))).toLong();
  }

  private long hlen(String key) {
    return await(h.redis.send(Request.cmd(Command.HLEN).arg(key))).toLong();
  }

  /**
   * Retention deletes a plain job's spec with the job, and a run's progress gives a plain job a
   * hash of its own.
   */
  @Test
  void aPlainJobsSpecGoesWithTheJob() {
    Keys keys = new Keys(h.prefix, name);
    JobQueue queue = h.queue(name);
    QueueOptions keepOne =
        new QueueOptions(
            new JsonObject()
                .put("handler", "noop")
                .put("retention", new JsonObject().put("completed", 1)));
    List<String> ids =
        await(
                queue.enqueueBulk(
                    List.of(NewJob.of("a", new JsonObject()), NewJob.of("b", new JsonObject()))))
            .stream()
            .map(r -> r.id())
            .toList();
    WorkerStore.Fetched f = await(store.fetch(10, 60_000));
    Job a = f.jobs().get(0), b = f.jobs().get(1);
    assertTrue(
        await(store.runs().progress(a.id(), WorkerStore.token(a), "{\"p\":50}")),
        "a running plain job takes progress");
    assertEquals(new JsonObject().put("p", 50), await(queue.get(a.id())).progressValue());
    for (Job run : List.of(a, b)) {
      await(
          store.finish(
              keepOne,
              List.of(run.id(), WorkerStore.token(run), JobCodec.completed(1, "1", "null")),
              List.of(),
              f.leaseEpoch()));
    }
    assertTrue(
        queue
            .get(ids.get(0))
            .toCompletionStage()
            .toCompletableFuture()
            .handle((j, err) -> err != null)
            .join(),
        "the older completed job fell out of retention");
    assertEquals(
        List.of(0L, 0L),
        List.of(exists(keys.job(ids.get(0))), exists(keys.job(ids.get(1)))),
        "the evicted job's hash (from its progress) is gone; the kept plain job never had one");
    assertEquals(1, hlen(keys.specs()), "the evicted job's spec went with it");
    assertEquals(1, hlen(keys.done()), "and its completed run: only the kept one's is left");
    Job kept = await(queue.get(ids.get(1)));
    assertEquals(
        List.of("b", JobState.COMPLETED, 1),
        List.of(kept.name(), kept.state(), kept.attemptsMade()));
    assertTrue(kept.finishedAt() > 0, "its finish time comes with its run");
  }

  @Test
  void aJobWrittenInTheEarlierLayoutStillRunsAndReadsBack() {
    // an earlier build wrote a plain job as a three-field hash listed by its id, and a completed
    // run as four fields
    Keys keys = new Keys(h.prefix, name);
    JobQueue queue = h.queue(name);
    String id =
        await(queue.enqueue(NewJob.of("placeholder", new JsonObject())))
            .id(); // registers the queue, takes an id
    await(
        h.redis.send(
            Request.cmd(Command.DEL).arg(keys.job(id)).arg(keys.fifo()).arg(keys.specs())));
    await(
        h.redis.send(
            Request.cmd(Command.HSET)
                .arg(keys.job(id))
                .arg("n")
                .arg("old")
                .arg("d")
                .arg("{\"v\":1}")
                .arg("ct")
                .arg("1700000000000")));
    await(h.redis.send(Request.cmd(Command.RPUSH).arg(keys.fifo()).arg(id)));
    Job job = fetchOne(60_000);
    assertEquals(
        List.of(id, "old", "{\"v\":1}", 1700000000000L, 1),
        List.of(job.id(), job.name(), job.payloadText(), job.createdAt(), job.attemptsMade()));
    // its completion as the earlier build left it: am, st, res and ft in the job's hash
    await(
        h.redis.send(
            Request.cmd(Command.HSET)
                .arg(keys.job(id))
                .arg("am")
                .arg("1")
                .arg("st")
                .arg("1700000000500")
                .arg("res")
                .arg("\"fine\"")));
    report(
        job,
        List.of(id, WorkerStore.token(job), JobCodec.completed(1, "1700000000500", "\"fine\"")),
        List.of());
    // and drop what this build stored for it (its run in the done hash), so only the earlier
    // build's fields remain
    await(h.redis.send(Request.cmd(Command.HDEL).arg(keys.done()).arg(id)));
    await(h.redis.send(Request.cmd(Command.HSET).arg(keys.job(id)).arg("ft").arg("1700000000900")));
    Job done = await(queue.get(id));
    assertEquals(
        List.of(JobState.COMPLETED, "old", 1, 1700000000500L, 1700000000900L, "fine"),
        List.of(
            done.state(),
            done.name(),
            done.attemptsMade(),
            done.startedAt(),
            done.finishedAt(),
            done.result()));
  }
}
