package io.vertiq.worker;

import io.vertiq.JobHandler;
import io.vertiq.config.QueueOptions;
import io.vertiq.handlers.EchoHandler;
import io.vertiq.handlers.NoopHandler;
import io.vertiq.handlers.SleepHandler;
import io.vertiq.handlers.StepsHandler;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a queue's "handler" (a built-in name or a JobHandler class) or "address" into a handler
 * instance.
 */
public final class HandlerFactory {
  /** Handlers that ship with Vertiq, by the name used in the conf. */
  public static final Map<String, Supplier<JobHandler>> BUILT_IN =
      Map.of(
          "echo", EchoHandler::new,
          "noop", NoopHandler::new,
          "sleep", SleepHandler::new,
          "steps", StepsHandler::new);

  private HandlerFactory() {}

  /** Null when the queue's handler can be made, else what is wrong with it. */
  public static String check(QueueOptions q) {
    if (q.address() != null || BUILT_IN.containsKey(q.handler())) return null;
    try {
      Class<?> c = Class.forName(q.handler(), false, HandlerFactory.class.getClassLoader());
      if (!JobHandler.class.isAssignableFrom(c))
        return "class " + q.handler() + " does not implement io.vertiq.JobHandler";
      c.getConstructor();
      return null;
    } catch (ClassNotFoundException e) {
      return "no built-in handler or class named \""
          + q.handler()
          + "\" (built-ins: "
          + String.join(", ", BUILT_IN.keySet().stream().sorted().toList())
          + ")";
    } catch (NoSuchMethodException e) {
      return "class " + q.handler() + " needs a public no-argument constructor";
    }
  }

  public static JobHandler create(Vertx vertx, QueueOptions q) {
    if (q.address() != null) return new EventBusJobHandler(vertx, q.address(), q.timeoutMs());
    Supplier<JobHandler> builtIn = BUILT_IN.get(q.handler());
    if (builtIn != null) return builtIn.get();
    try {
      return (JobHandler) Class.forName(q.handler()).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create handler " + q.handler() + ": " + e, e);
    }
  }
}
