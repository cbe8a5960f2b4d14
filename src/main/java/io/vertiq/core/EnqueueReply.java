package io.vertiq.core;

import io.vertiq.EnqueueResult;
import io.vertx.redis.client.Response;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * enqueueJobs' reply (see enqueueJobs-15.lua): the result per job, and the ids of the jobs it
 * created (for the "enqueued" event). When every job was created, Redis sends only the first id and
 * the count, and both lists here stay that small: their ids are made as they are read. A bulk
 * call's caller often reads none of them, and making 1,000 id strings and results per call up front
 * was a tenth of a cold bulk enqueue's event-loop time.
 */
record EnqueueReply(List<EnqueueResult> results, List<String> createdIds) {

  static EnqueueReply parse(Response r, int count) {
    if ("r".equals(r.get(0).toString())) {
      IdRange ids = new IdRange(r.get(1).toLong(), r.get(2).toInteger());
      return new EnqueueReply(new AllCreated(ids), ids);
    }
    List<EnqueueResult> results = new ArrayList<>(count);
    List<String> created = new ArrayList<>(count);
    for (int i = 1; i + 1 < r.size(); i += 2) {
      EnqueueResult res = new EnqueueResult(r.get(i).toString(), r.get(i + 1).toInteger() == 1);
      results.add(res);
      if (res.created()) created.add(res.id());
    }
    return new EnqueueReply(results, created);
  }

  /** The ids first, first + 1, ... in decimal, read-only. */
  static final class IdRange extends AbstractList<String> implements RandomAccess {
    private final long first;
    private final int size;

    IdRange(long first, int size) {
      this.first = first;
      this.size = size;
    }

    @Override
    public String get(int index) {
      return Long.toString(first + Objects.checkIndex(index, size));
    }

    @Override
    public int size() {
      return size;
    }
  }

  /** One "created" result per id of a range, read-only. */
  private static final class AllCreated extends AbstractList<EnqueueResult>
      implements RandomAccess {
    private final IdRange ids;

    AllCreated(IdRange ids) {
      this.ids = ids;
    }

    @Override
    public EnqueueResult get(int index) {
      return new EnqueueResult(ids.get(index), true);
    }

    @Override
    public int size() {
      return ids.size();
    }
  }
}
