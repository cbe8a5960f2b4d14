package io.vertiq.http;

import io.vertiq.observe.Metrics;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue-level gauges of /metrics, set from the counts Redis holds when the endpoint is read:
 * depth per state, live groups, what an autoscaler scales on (due jobs, latency, slots, jobs in and
 * out) and the rate window. Read on scrape rather than kept current: Redis counts every node's
 * jobs, and a scrape every 15 s costs one counts call per queue.
 */
final class QueueGauges {
  private final Node node;

  QueueGauges(Node node) {
    this.node = node;
  }

  private long slots(String queue) {
    var g = node.deployer().groups().get(queue);
    return g == null ? 0 : (long) g.options().instances() * g.options().concurrency();
  }

  /**
   * Reads every queue's counts and sets its gauges; never fails (a queue not read keeps its
   * values).
   */
  Future<Void> refresh() {
    List<Future<?>> all = new ArrayList<>();
    for (var e : node.options().queues().entrySet()) {
      String q = e.getKey();
      long window = e.getValue().limits().ratePerMs();
      all.add(
          node.engine()
              .queueImpl(q)
              .counts(window)
              .onSuccess(
                  c -> {
                    Metrics.depth(q, "ready").set(c.ready());
                    Metrics.depth(q, "delayed").set(c.delayed());
                    Metrics.depth(q, "active").set(c.active());
                    Metrics.depth(q, "dead").set(c.dead());
                    Metrics.depth(q, "completed").set(c.completed());
                    Metrics.queueGauge(
                            "vertiq_queue_groups",
                            q,
                            "Groups with a waiting or running job, or paused")
                        .set(c.groups());
                    // what an autoscaler scales on: the work that could run now, and how old
                    Metrics.queueGauge(
                            "vertiq_queue_due",
                            q,
                            "Jobs that could run now: ready, prioritised, grouped, delayed and due")
                        .set(c.due());
                    Metrics.queueSecondsGauge(
                            "vertiq_queue_latency_seconds",
                            q,
                            "How long the oldest due job has waited")
                        .set(c.latencyMs());
                    Metrics.queueGauge(
                            "vertiq_queue_slots",
                            q,
                            "This node's slots for the queue (instances x concurrency)")
                        .set(slots(q));
                    Metrics.queueGauge(
                            "vertiq_queue_enqueued",
                            q,
                            "Jobs ever enqueued to the queue, by every node (rate() gives the rate in)")
                        .set(c.total("enqueued"));
                    Metrics.queueGauge(
                            "vertiq_queue_completed",
                            q,
                            "Jobs ever completed on the queue, by every node (rate() gives the rate out)")
                        .set(c.total("completed"));
                    if (window > 0) {
                      Metrics.queueGauge(
                              "vertiq_rate_window_started",
                              q,
                              "Jobs started in the rate limit's window now")
                          .set(c.startedInRateWindow());
                    }
                  }));
    }
    return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
  }
}
