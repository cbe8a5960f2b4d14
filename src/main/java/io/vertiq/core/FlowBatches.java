package io.vertiq.core;

import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Flows on one queue, each a head and its leaf children on that queue, written many in one script
 * call (enqueueJobs-15.lua's self mode): the flows a producer adds during one event-loop turn share
 * it, as single enqueues do (see {@link Enqueuer}). A call per flow cost Redis its fixed part (the
 * script's start, its reads of the queue's state) and the client a round trip each time; 256 flows
 * in flight now make a few calls. Callers still get their own flow's ids. Used on a context only: a
 * caller on another thread is moved onto one.
 */
final class FlowBatches {
  private final Enqueuer enqueuer;
  private final Vertx vertx;

  FlowBatches(Enqueuer enqueuer, Vertx vertx) {
    this.enqueuer = enqueuer;
    this.vertx = vertx;
  }

  /** The flows of one call, in order, and the promise of each. */
  private final class Batch {
    final Context context;
    final EnqueueArgs args = enqueuer.newArgs();
    final List<Promise<List<String>>> waiting = new ArrayList<>();
    final List<Integer> sizes = new ArrayList<>();

    Batch(Context context) {
      this.context = context;
      args.selfParent(null, null);
    }

    void flush() {
      if (context.get(FlowBatches.this) == this) context.remove(FlowBatches.this);
      args.close();
      if (waiting.isEmpty()) return; // every flow of the turn was refused, and its caller told so
      enqueuer
          .send(args)
          .onComplete(
              ar -> {
                int at = 0;
                for (int i = 0; i < waiting.size(); i++) {
                  int n = sizes.get(i);
                  if (ar.failed()) {
                    waiting.get(i).fail(ar.cause());
                  } else {
                    List<String> ids = new ArrayList<>(n);
                    for (int k = at; k < at + n; k++) ids.add(ar.result().get(k).id());
                    waiting.get(i).complete(ids);
                  }
                  at += n;
                }
              });
    }
  }

  /**
   * Adds a flow: {@code jobs} are its head and then its children, {@code flows} the flow spec of
   * each (see FlowEnqueuer#enqueueFlowJobs). Its ids, in the same order.
   */
  Future<List<String>> add(List<NewJob> jobs, List<String> flows) {
    Context current = Vertx.currentContext();
    if (current != null && Context.isOnEventLoopThread()) return addOn(current, jobs, flows);
    // another thread: one context for all such callers (a thread outside Vert.x gets a new one at
    // each getOrCreateContext, and no two of its flows would then share a call)
    Context ctx = home();
    Promise<List<String>> moved = Promise.promise();
    ctx.runOnContext(v -> addOn(ctx, jobs, flows).onComplete(moved));
    return moved.future();
  }

  private volatile Context home;

  private Context home() {
    Context c = home;
    if (c == null) {
      synchronized (this) {
        if (home == null) home = vertx.getOrCreateContext();
        c = home;
      }
    }
    return c;
  }

  private Future<List<String>> addOn(Context ctx, List<NewJob> jobs, List<String> flows) {
    Batch batch = ctx.get(this);
    if (batch == null || batch.args.jobs() + jobs.size() > Enqueuer.JOBS_PER_CALL) {
      batch = new Batch(ctx);
      ctx.put(this, batch);
      Batch scheduled = batch;
      ctx.runOnContext(v -> scheduled.flush());
    }
    EnqueueArgs.Mark mark = batch.args.mark();
    try {
      for (int i = 0; i < jobs.size(); i++) batch.args.add(jobs.get(i), flows.get(i));
    } catch (VertiqException e) {
      batch.args.rollBack(mark); // none of this flow's jobs is sent
      return Future.failedFuture(e);
    }
    Promise<List<String>> promise = Promise.promise();
    batch.waiting.add(promise);
    batch.sizes.add(jobs.size());
    return promise.future();
  }
}
