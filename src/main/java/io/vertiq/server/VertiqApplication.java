package io.vertiq.server;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertiq.config.ConfLoader;
import io.vertiq.config.InvalidConfigException;
import io.vertiq.config.TracingConfig;
import io.vertiq.observe.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fat jar's Main-Class: the stock Vert.x launcher (its options, -options, -conf, work as
 * documented) with the changes the stock one cannot make: a missing or unparsable -conf stops the
 * start with exit code 1 instead of silently becoming {}; with no -conf, conf/config.json is used;
 * a start that fails (invalid conf, Redis unreachable) exits with 1; and the options that would not
 * do what they say are refused with exit code 1: -instances N would start N copies of the whole
 * service. With -cluster the event bus is clustered by Hazelcast (see {@link ClusterConf}). It also
 * turns on Micrometer metrics for /metrics.
 */
public class VertiqApplication extends VertxApplication implements VertxApplicationHooks {

  public VertiqApplication(String[] args) {
    super(args, null, true, false);
  }

  public static void main(String[] args) {
    String[] effective;
    try {
      checkOptions(args);
      if (ClusterConf.wanted(args)) ClusterConf.apply(System.getenv());
      effective = resolveConf(args);
      String path = System.getProperty(ConfLoader.CONF_PROPERTY);
      if (path != null) Bootstrap.validate(ConfLoader.readFile(path)); // fail before Vert.x starts
    } catch (InvalidConfigException e) {
      System.err.println("vertiq: " + e.getMessage());
      System.exit(1);
      return;
    }
    exitZeroOnSigterm();
    int code = new VertiqApplication(effective).launch();
    if (code != 0) System.exit(code == 2 ? 2 : 1); // 2 = usage error of the launcher's own options
  }

  /**
   * A SIGTERM is the normal way to stop a service: run the shutdown hooks (the workers drain and
   * release their jobs) and report success, instead of the JVM's 143.
   */
  private static void exitZeroOnSigterm() {
    // sun.misc.Signal, reached by reflection: the JDK has no public API for it, and javac warns of
    // every direct use
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object onTerm =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                  return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "vertiq-sigterm-handler";
                  };
                }
                new Thread(() -> System.exit(0), "vertiq-sigterm").start();
                return null;
              });
      signal
          .getMethod("handle", signal, handler)
          .invoke(null, signal.getConstructor(String.class).newInstance("TERM"), onTerm);
    } catch (Throwable t) {
      // not on this platform: the JVM default (run the hooks, exit 143) still stops cleanly
    }
  }

  /**
   * Refuses the launcher options that would not do what they say for this service (see the class
   * comment).
   */
  static void checkOptions(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String instances =
          a.equals("-instances") || a.equals("--instances")
              ? (i + 1 < args.length ? args[i + 1] : "")
              : a.startsWith("-instances=") || a.startsWith("--instances=")
                  ? a.substring(a.indexOf('=') + 1)
                  : null;
      if (instances != null && !instances.equals("1")) {
        throw new InvalidConfigException(
            "-instances "
                + instances
                + " would start that many copies of the whole service"
                + " (HTTP servers, maintenance loops, conf watchers): set queues.<name>.instances in the conf for more"
                + " worker verticles of a queue");
      }
    }
  }

  /**
   * Checks -conf: a file must exist and hold a JSON object (its path goes to the vertiq.conf
   * property so the bootstrap can watch it); otherwise it must be inline JSON. With no -conf,
   * conf/config.json is used.
   */
  static String[] resolveConf(String[] args) {
    List<String> out = new ArrayList<>(Arrays.asList(args));
    int i = Math.max(out.indexOf("-conf"), out.indexOf("--conf"));
    String value = null;
    if (i >= 0) {
      if (i + 1 >= out.size())
        throw new InvalidConfigException("-conf needs a file name or a JSON object");
      value = out.get(i + 1);
    } else {
      for (int k = 0; k < out.size(); k++) {
        if (out.get(k).startsWith("-conf=") || out.get(k).startsWith("--conf=")) {
          value = out.get(k).substring(out.get(k).indexOf('=') + 1);
        }
      }
    }
    if (value == null) {
      if (!Files.isRegularFile(Path.of(ConfLoader.DEFAULT_FILE))) {
        throw new InvalidConfigException(
            "no conf: pass -conf <file> or create " + ConfLoader.DEFAULT_FILE);
      }
      value = ConfLoader.DEFAULT_FILE;
      out.add("-conf");
      out.add(value);
    }
    if (value.trim().startsWith("{")) {
      try {
        new JsonObject(value);
        return out.toArray(String[]::new);
      } catch (DecodeException e) {
        throw new InvalidConfigException("-conf: not valid JSON: " + e.getMessage());
      }
    }
    ConfLoader.readFile(value); // throws naming the file when missing or not JSON
    System.setProperty(ConfLoader.CONF_PROPERTY, Path.of(value).toAbsolutePath().toString());
    return out.toArray(String[]::new);
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    withServiceMetrics(context.vertxOptions());
  }

  /** The OpenTelemetry SDK when the conf turns tracing on (see {@link TracingSetup}), else null. */
  private OpenTelemetrySdk tracing;

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    try {
      TracingConfig t = ConfLoader.parse(config).tracing();
      if (t.enabled()) tracing = TracingSetup.sdk(t);
    } catch (InvalidConfigException e) {
      // an inline conf (a file is checked before Vert.x starts): the bootstrap refuses it, naming
      // every error
    }
    return config;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    return withServiceRegistry(
        tracing == null
            ? VertxApplicationHooks.super.createVertxBuilder(options)
            : TracingSetup.builder(options, tracing));
  }

  /**
   * The registry the metrics go to: a composite with a Prometheus registry, which /metrics scrapes
   * and which an OTLP registry joins when the conf asks (metrics.otlp, see OtlpExport).
   */
  public static VertxBuilder withServiceRegistry(VertxBuilder builder) {
    return builder.withMetrics(new MicrometerMetricsFactory(Metrics.withPrometheus()));
  }

  /** A Vert.x with the service's metrics, as the launcher makes it ({@code bin/bench}'s too). */
  public static Vertx serviceVertx(VertxOptions options) {
    return withServiceRegistry(Vertx.builder().with(withServiceMetrics(options))).build();
  }

  @Override
  public void afterVertxStopped(HookContext context) {
    if (tracing != null) tracing.close(); // the spans still batched are exported
  }

  /**
   * Turns on the metrics the service runs with (Micrometer with a Prometheus registry, JVM
   * metrics), unless the options already enable some; {@code bin/bench} starts its Vert.x the same
   * way, so it measures what runs.
   */
  public static VertxOptions withServiceMetrics(VertxOptions options) {
    if (options.getMetricsOptions() == null || !options.getMetricsOptions().isEnabled()) {
      options.setMetricsOptions(
          new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    }
    return options;
  }
}
