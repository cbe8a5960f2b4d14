package io.vertiq.worker;

/**
 * How a cancelled run ends (see WorkerVerticle#cancel): its outcome is dead with this message,
 * never a retry.
 */
final class CancelledRun extends RuntimeException {
  private static final long serialVersionUID = 1L;
  static final String MESSAGE = "cancelled";

  CancelledRun() {
    super(MESSAGE, null, false, false); // no stack: it says what happened, not where
  }
}
