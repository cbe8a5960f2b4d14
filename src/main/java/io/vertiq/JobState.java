package io.vertiq;

/** Where a job is in its lifecycle: ready → active → completed, or → delayed (retry) → ready, or → dead. */
public enum JobState {
  READY, DELAYED, ACTIVE, COMPLETED, DEAD;

  public String id() {
    return name().toLowerCase();
  }

  public static JobState parse(String s) {
    for (JobState st : values()) if (st.id().equals(s)) return st;
    return null;
  }
}
