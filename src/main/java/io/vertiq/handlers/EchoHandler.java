package io.vertiq.handlers;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Built-in "echo": logs the job and returns its payload as the result. Shows jobs flowing out of
 * the box. The log line shows at most the payload's first {@value #LOGGED_CHARS} characters, so a
 * large payload does not flood it.
 */
public final class EchoHandler implements JobHandler {
  private static final Logger LOG = LoggerFactory.getLogger(EchoHandler.class);
  static final int LOGGED_CHARS = 200;

  @Override
  public Future<Object> handle(Job job) {
    String text = job.payloadText();
    String shown =
        text.length() <= LOGGED_CHARS
            ? text
            : text.substring(0, LOGGED_CHARS) + "... (" + text.length() + " chars)";
    LOG.info(
        "echo job {}:{} ({}) attempt {}: {}",
        job.queue(),
        job.id(),
        job.name(),
        job.attemptsMade(),
        shown);
    return Future.succeededFuture(job.payload());
  }
}
