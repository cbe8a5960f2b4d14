package io.vertiq.handlers;

import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Built-in "echo": logs the job and returns its payload as the result. Shows jobs flowing out of the box. */
public final class EchoHandler implements JobHandler {
  private static final Logger LOG = LoggerFactory.getLogger(EchoHandler.class);

  @Override
  public Future<Object> handle(Job job) {
    LOG.info("echo job {}:{} ({}) attempt {}: {}", job.queue(), job.id(), job.name(), job.attemptsMade(), job.payloadText());
    return Future.succeededFuture(job.payload());
  }
}
