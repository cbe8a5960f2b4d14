package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.config.Durations;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests of docs/kubernetes against a service run on their own conf (no cluster
 * runs here, so this is what is tested): the container port is the conf's, the probes' paths
 * answer, the grace period covers the preStop pause and the queue's drain, the budget and the
 * scalers select the Deployment, the Prometheus query names a metric the service exports, and the
 * metrics-api URL and value path answer with a number.
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
      run.put("http", VertiqHarness.http(port));
      h.deploy(run);
      await(h.queue(queue).enqueue(NewJob.of("t", new JsonObject())));
      try (ApiClient api = new ApiClient(h.vertx, port)) {
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
          String path = at(container, probe, "httpGet", "path");
          until(
              probe + " " + path + " answers 200",
              Duration.ofSeconds(30),
              () -> api.send("GET", path, null).statusCode() == 200);
        }
        for (Map<String, Object> scaled : keda) {
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
            String metrics = api.send("GET", "/metrics", null).bodyAsString();
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
            JsonObject answer = api.send("GET", path, null).bodyAsJsonObject();
            assertTrue(
                answer.getValue((String) meta.get("valueLocation")) instanceof Number,
                meta.get("valueLocation") + " in " + answer.encode());
          }
        }
      }
    }
  }
}
