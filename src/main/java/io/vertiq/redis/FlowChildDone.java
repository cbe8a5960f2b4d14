package io.vertiq.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * flowChildDone-9.lua as a Java type: children's ends told to their parents on one queue (the flow
 * relay's second step, for parents on another slot), its keys named once, its reply as a {@link
 * Told}.
 */
public final class FlowChildDone {
  /** A child to delete or cancel: its parent was removed under the "remove" policy. */
  public record Child(String queue, String id) {}

  /**
   * What the call did: the parents whose children have all ended (made ready or delayed; a batch's
   * record: done) and the children to delete or cancel.
   */
  public record Told(List<String> unblocked, List<Child> removals) {}

  private final Keys parents;

  /** The call for the parents of {@code parents}' queue. */
  public FlowChildDone(Keys parents) {
    this.parents = parents;
  }

  /**
   * Tells the ends in {@code ends}, four values each as the flow-out lists hold them: the parent's
   * id, the child ("queue:id"), its outcome (c or d), its result or error.
   */
  public Future<Told> tell(Redis redis, List<byte[]> ends) {
    byte[][] args = new byte[ends.size() + 2][];
    args[0] = parents.jobPrefix().getBytes(StandardCharsets.UTF_8);
    args[1] = parents.queue().getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < ends.size(); i++) args[i + 2] = ends.get(i);
    String[] keys = {
      parents.waiting(),
      parents.ready(),
      parents.delayed(),
      parents.dead(),
      parents.stats(),
      parents.wake(),
      parents.specs(),
      parents.flowOut(),
      parents.completed()
    };
    return Scripts.run(redis, Scripts.FLOW_CHILD_DONE, keys, args).map(FlowChildDone::told);
  }

  private static Told told(Response r) {
    List<String> unblocked = new ArrayList<>();
    for (Response id : r.get(0)) unblocked.add(id.toString());
    List<Child> removals = new ArrayList<>();
    for (Response line : r.get(1)) {
      String[] c = line.toString().split("\0", 2);
      removals.add(new Child(c[0], c[1]));
    }
    return new Told(unblocked, removals);
  }
}
