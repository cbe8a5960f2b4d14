package io.vertiq;

/**
 * Where a job is in its lifecycle: ready → active → completed, or → delayed (retry) → ready, or →
 * dead. A flow's parent is WAITING for its children first (then ready, or dead as its policy says
 * when a child is dead).
 */
public enum JobState {
  READY,
  DELAYED,
  ACTIVE,
  COMPLETED,
  DEAD,
  WAITING;

  /**
   * Whether a job in this state has ended: completed, or dead (it runs no more unless retried by
   * hand).
   */
  public boolean finished() {
    return this == COMPLETED || this == DEAD;
  }

  public String id() {
    return name().toLowerCase();
  }

  public static JobState parse(String s) {
    for (JobState st : values()) if (st.id().equals(s)) return st;
    return null;
  }
}
