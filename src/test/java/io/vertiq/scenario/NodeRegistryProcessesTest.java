package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The node registry with real processes of the fat jar on one Redis: each lists every live node
 * (with its queues), a stopped node leaves the list at once, and a killed one when its entry
 * expires; a scale or redeploy asked of every node, through one of them, reaches each.
 */
class NodeRegistryProcessesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static JsonArray nodes(int port) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nodes")).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200
          ? new JsonObject(r.body()).getJsonArray("nodes")
          : new JsonArray();
    } catch (Exception e) {
      return new JsonArray();
    }
  }

  private static HttpResponse<String> post(int port, String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Path conf(VertiqHarness h, String queue, int port) throws Exception {
    JsonObject conf =
        h.conf(
            new JsonObject()
                .put(queue, new JsonObject().put("handler", "noop").put("instances", 2)));
    conf.put("http", VertiqHarness.http(port));
    return JarProcess.writeConf(conf);
  }

  @Test
  void everyNodeIsListedAndAStoppedOrKilledOneDropsOut() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("nodes");
      int pa = RedisServerProcess.freePort();
      int pb = RedisServerProcess.freePort();
      int pc = RedisServerProcess.freePort();
      try (JarProcess a = JarProcess.start("-conf", conf(h, name, pa).toString());
          JarProcess b = JarProcess.start("-conf", conf(h, name, pb).toString())) {
        a.awaitStarted();
        b.awaitStarted();
        until(
            "both nodes listed by each",
            Duration.ofSeconds(20),
            () -> nodes(pa).size() == 2 && nodes(pb).size() == 2);
        JsonObject one = nodes(pa).getJsonObject(0);
        assertEquals(
            2,
            one.getJsonObject("queues").getJsonObject(name).getInteger("instances"),
            one.encode());
        assertNotEquals(
            "dev", one.getString("version"), "the fat jar names its version: " + one.encode());
        assertTrue(one.getLong("heartbeatAt") >= one.getLong("startedAt"), one.encode());

        // scale on every node, asked of one: both run 3 instances, as each one's entry says
        HttpResponse<String> scaled =
            post(pa, "/admin/queues/" + name + "/scale", "{\"instances\": 3, \"nodes\": \"all\"}");
        assertEquals(200, scaled.statusCode(), scaled.body());
        assertEquals(
            2,
            new JsonObject(scaled.body()).getInteger("nodes"),
            "both nodes heard it: " + scaled.body());
        until(
            "both nodes run 3 instances",
            Duration.ofSeconds(20),
            () ->
                nodes(pa).stream()
                        .map(JsonObject.class::cast)
                        .filter(
                            n ->
                                n.getJsonObject("queues")
                                        .getJsonObject(name)
                                        .getInteger("instances")
                                    == 3)
                        .count()
                    == 2);
        HttpResponse<String> bad =
            post(pa, "/admin/queues/" + name + "/scale", "{\"instances\": 2, \"nodes\": \"some\"}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("body.nodes"), bad.body());
        HttpResponse<String> redeployed =
            post(pa, "/admin/queues/" + name + "/redeploy", "{\"nodes\": \"all\"}");
        assertEquals(200, redeployed.statusCode(), redeployed.body());
        assertEquals(2, new JsonObject(redeployed.body()).getInteger("nodes"), redeployed.body());
        // each node's entry names the generation of its group: the scale made the 2nd, the redeploy
        // the 3rd
        until(
            "both nodes redeployed",
            Duration.ofSeconds(20),
            () ->
                nodes(pa).stream()
                        .map(JsonObject.class::cast)
                        .filter(
                            n ->
                                n.getJsonObject("queues")
                                        .getJsonObject(name)
                                        .getInteger("generation")
                                    == 3)
                        .count()
                    == 2);

        b.sigterm();
        assertEquals(
            0, b.waitFor(30), () -> "the stopped node did not exit in 30 s:\n" + b.output());
        assertEquals(1, nodes(pa).size(), "a stopped node takes itself off the list: " + nodes(pa));

        try (JarProcess c = JarProcess.start("-conf", conf(h, name, pc).toString())) {
          c.awaitStarted();
          until("the third node listed", Duration.ofSeconds(20), () -> nodes(pa).size() == 2);
          c.sigkill();
          long killedAt = System.nanoTime();
          until(
              "the killed node's entry expired",
              Duration.ofSeconds(20),
              () -> nodes(pa).size() == 1);
          long ms = (System.nanoTime() - killedAt) / 1_000_000;
          assertTrue(
              ms <= 8_000,
              "gone " + ms + " ms after the kill (an entry lives 6 s without a heartbeat)");
        }
      }
    }
  }
}
