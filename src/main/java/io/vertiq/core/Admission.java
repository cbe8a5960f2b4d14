package io.vertiq.core;

import io.vertiq.VertiqException;

/**
 * Whether producers may add jobs now. Open unless a node closes it: its memory watch does, while
 * Redis is above the high-water mark, so that enqueues get a clear 503 before Redis itself refuses
 * writes, and the workers, which go on, drain it.
 */
@FunctionalInterface
public interface Admission {
  /** Always open: an engine embedded without a node. */
  Admission OPEN = () -> null;

  /** Why enqueues are refused now (UNAVAILABLE, naming the cause), or null when they are not. */
  VertiqException refusal();
}
