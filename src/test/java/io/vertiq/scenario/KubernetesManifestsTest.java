package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.config.ConfigOverrides;
import io.vertiq.config.Durations;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests of docs/kubernetes against a service run on their own conf and tokens
 * (no cluster runs here, so this is what is tested): the container port is the conf's, the probes'
 * paths answer without a token, the grace period covers the preStop pause and the queue's drain,
 * the budget and the scalers select the Deployment, the Prometheus query names a metric the service
 * exports, and the metrics-api URL and value path answer with a number to the token its
 * TriggerAuthentication names (and 401 to none).
 */
class KubernetesManifestsTest {
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> docs(String file) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object d : new Yaml().loadAll(Files.readString(Path.of("docs/kubernetes", file))))
      out.add((Map<String, Object>) d);
    return out;
  }

  private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
  }

  /** The document of that kind and name. */
  private static Map<String, Object> named(
      List<Map<String, Object>> docs, String kind, Object name) {
    return docs.stream()
        .filter(d -> kind.equals(d.get("kind")))
        .filter(d -> name.equals(at(d, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }

  /** A key of the Secret a secretKeyRef names. */
  private static String secret(List<Map<String, Object>> docs, Map<String, Object> ref) {
    return at(named(docs, "Secret", ref.get("name")), "stringData", (String) ref.get("key"));
  }

  /** The container's environment, its values read from the Secrets they refer to. */
  private static Map<String, String> env(
      List<Map<String, Object>> docs, Map<String, Object> container) {
    Map<String, String> env = new HashMap<>();
    List<Map<String, Object>> entries = at(container, "env");
    for (Map<String, Object> e : entries) {
      Object value = e.get("value");
      env.put(
          (String) e.get("name"),
          value != null ? value.toString() : secret(docs, at(e, "valueFrom", "secretKeyRef")));
    }
    return env;
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object root, String... path) {
    Object o = root;
    for (String p : path) {
      o = o instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) o).get(p);
      assertNotNull(o, "no " + String.join(".", path));
    }
    return (T) o;
  }

  @Test
  void theManifestsMatchTheRunningService() throws Exception {
    List<Map<String, Object>> app = docs("vertiq.yaml");
    List<Map<String, Object>> keda = docs("keda.yaml");
    JsonObject conf = new JsonObject((String) at(kind(app, "ConfigMap"), "data", "config.json"));
    Map<String, Object> deployment = kind(app, "Deployment");
    Map<String, Object> container = at(deployment, "spec", "template", "spec", "containers", "0");
    int containerPort = at(container, "ports", "0", "containerPort");
    assertEquals(
        (int) conf.getJsonObject("http").getInteger("port"),
        containerPort,
        "the container port is the conf's");
    Map<String, String> env = env(app, container);
    JsonObject auth =
        ConfigOverrides.apply(conf, env::get, p -> null)
            .getJsonObject("http")
            .getJsonObject("auth");
    assertNotNull(auth, "the tokens come from the container's environment");
    String queue = conf.getJsonObject("queues").fieldNames().iterator().next();
    long drainMs =
        Durations.parseMillis(
            conf.getJsonObject("queues").getJsonObject(queue).getString("drainTimeout"));
    List<String> preStop = at(container, "lifecycle", "preStop", "exec", "command");
    long pauseS = Long.parseLong(preStop.get(1));
    int grace = at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
    assertTrue(
        grace >= pauseS + drainMs / 1000 + 5,
        "grace " + grace + " s covers the pause " + pauseS + " s and the drain " + drainMs + " ms");
    Map<String, Object> labels = at(deployment, "spec", "template", "metadata", "labels");
    Map<String, Object> budget =
        at(kind(app, "PodDisruptionBudget"), "spec", "selector", "matchLabels");
    Map<String, Object> service = at(kind(app, "Service"), "spec", "selector");
    assertEquals(labels, budget);
    assertEquals(labels, service);

    try (RedisServerProcess redis = RedisServerProcess.launch();
        VertiqHarness h = new VertiqHarness(redis.url())) {
      int port = RedisServerProcess.freePort();
      JsonObject run = h.conf(new JsonObject());
      run.put("queues", conf.getJsonObject("queues").copy());
      run.getJsonObject("queues").getJsonObject(queue).put("handler", "noop");
      run.put("http", VertiqHarness.http(port).put("auth", auth));
      h.deploy(run);
      await(h.queue(queue).enqueue(NewJob.of("t", new JsonObject())));
      try (ApiClient api = new ApiClient(h.vertx, port)) {
        // a kubelet sends no token
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
          String path = at(container, probe, "httpGet", "path");
          until(
              probe + " " + path + " answers 200 without a token",
              Duration.ofSeconds(30),
              () -> api.token(null).send("GET", path, null).statusCode() == 200);
        }
        String readToken = secret(app, Map.of("name", "vertiq-tokens", "key", "read"));
        for (Map<String, Object> scaled : keda) {
          if (!"ScaledObject".equals(scaled.get("kind"))) continue;
          String target = at(scaled, "spec", "scaleTargetRef", "name");
          assertEquals((String) at(deployment, "metadata", "name"), target);
          Map<String, Object> trigger = at(scaled, "spec", "triggers", "0");
          Map<String, Object> meta = at(trigger, "metadata");
          if ("prometheus".equals(trigger.get("type"))) {
            Matcher m =
                Pattern.compile("(\\w+)\\{queue=\"([^\"]+)\"\\}")
                    .matcher((String) meta.get("query"));
            assertTrue(m.find(), "a metric of a queue in " + meta.get("query"));
            assertEquals(queue, m.group(2));
            // Prometheus scrapes with the read token (keda.yaml's note)
            String metrics = api.token(readToken).send("GET", "/metrics", null).bodyAsString();
            assertTrue(
                metrics
                    .lines()
                    .anyMatch(
                        l ->
                            l.startsWith(m.group(1) + "{")
                                && l.contains("queue=\"" + queue + "\"")),
                m.group(1) + " of " + queue + " is not exported:\n" + metrics);
          } else {
            assertEquals("metrics-api", trigger.get("type"));
            String url = (String) meta.get("url");
            String path = url.substring(url.indexOf('/', url.indexOf("//") + 2));
            assertTrue(
                url.contains(":" + conf.getJsonObject("http").getInteger("port") + "/"), url);
            assertEquals("bearer", meta.get("authMode"));
            Map<String, Object> triggerAuth =
                named(keda, "TriggerAuthentication", at(trigger, "authenticationRef", "name"));
            Map<String, Object> ref = at(triggerAuth, "spec", "secretTargetRef", "0");
            assertEquals("token", ref.get("parameter"));
            assertEquals(401, api.token(null).send("GET", path, null).statusCode());
            JsonObject answer =
                api.token(secret(app, ref)).send("GET", path, null).bodyAsJsonObject();
            assertTrue(
                answer.getValue((String) meta.get("valueLocation")) instanceof Number,
                meta.get("valueLocation") + " in " + answer.encode());
          }
        }
      }
    }
  }
}
