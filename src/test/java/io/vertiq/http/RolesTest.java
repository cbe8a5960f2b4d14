package io.vertiq.http;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Roles on tokens: every operation of the document is sent with a read, an operate and an admin
 * token; a token below the operation's role gets 403 naming the operation and both roles, and its
 * request writes nothing; a token at or above it is let through.
 */
class RolesTest {
  private VertiqHarness h;
  private ApiClient api;
  private String queue;

  /** A body each write accepts (so the answer is the role's, not the request's validation). */
  private static final Map<String, Object> BODIES =
      Map.ofEntries(
          Map.entry("enqueue", new JsonObject()),
          Map.entry("enqueueBulk", new JsonArray().add(new JsonObject())),
          Map.entry("changeJob", new JsonObject().put("priority", 1)),
          Map.entry("signalJob", new JsonObject()),
          Map.entry("openBatch", new JsonObject()),
          Map.entry("addToBatch", new JsonArray().add(new JsonObject())),
          Map.entry("putSchedule", new JsonObject().put("every", "1h")),
          Map.entry("setGroupLimits", new JsonObject().put("concurrency", 1)),
          Map.entry("scaleQueue", new JsonObject().put("instances", 1)));

  @BeforeEach
  void start() {
    h = new VertiqHarness();
    queue = TestSupport.randomName("roles");
    int port = RedisServerProcess.freePort();
    JsonObject conf = h.conf(new JsonObject().put(queue, VertiqHarness.queue("noop", 1, 1)));
    conf.put(
        "http",
        VertiqHarness.http(port)
            .put(
                "auth",
                new JsonObject()
                    .put("tokens", new JsonArray().add("adm1n"))
                    .put("operateTokens", new JsonArray().add("0perate"))
                    .put("readTokens", new JsonArray().add("r3ad"))));
    h.deploy(conf);
    api = new ApiClient(h.vertx, port);
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (h != null) h.close();
  }

  private String path(Operation op) {
    String p = op.getOpenAPIPath();
    if (op.getOperationId().equals("awaitJobResult")) p += "?timeout=0s";
    return p.replace("{queue}", queue)
        .replace("{id}", "no-such-job")
        .replace("{name}", "s1")
        .replace("{group}", "g1")
        .replace("{signal}", "go");
  }

  private Object body(Operation op) {
    if (op.getOperationId().equals("enqueueFlow"))
      return new JsonObject().put("queue", queue).put("name", "parent");
    return BODIES.get(op.getOperationId());
  }

  private HttpResponse<Buffer> send(Operation op, String token) {
    return api.token(token).send(op.getHttpMethod().name(), path(op), body(op));
  }

  @Test
  void eachTokenMayDoWhatItsRoleAllowsAndGets403ForTheRest() {
    List<String> checked = new ArrayList<>();
    for (Operation op : ApiClient.contract(h.vertx).operations()) {
      Role needed = Role.of(op.getExtensions().get(Role.EXTENSION));
      assertNotNull(needed, op.getOperationId() + " names its role");
      for (Role caller : Role.values()) {
        String token =
            Map.of(Role.READ, "r3ad", Role.OPERATE, "0perate", Role.ADMIN, "adm1n").get(caller);
        if (caller.allows(needed)) {
          // only the read operations are sent at or above their role: a write let through would
          // write (each has its own test); refused writes are sent by every lower role
          if (needed != Role.READ) continue;
          var r = send(op, token);
          assertNotEquals(403, r.statusCode(), op.getOperationId() + " as " + caller);
        } else {
          var r = send(op, token);
          assertEquals(
              403, r.statusCode(), op.getOperationId() + " as " + caller + ": " + r.bodyAsString());
          JsonObject b = r.bodyAsJsonObject();
          assertEquals("forbidden", b.getString("error"));
          assertTrue(
              b.getString("message").contains(op.getOperationId())
                  && b.getString("message").contains("role " + needed.word())
                  && b.getString("message").contains("is " + caller.word()),
              b.getString("message"));
          checked.add(op.getOperationId());
        }
      }
    }
    assertTrue(
        checked.containsAll(List.of("enqueue", "deleteJob", "redeployQueue", "putSchedule")),
        checked.toString());
    // nothing a refused request asked for was written
    JsonObject counts = api.token("r3ad").send("GET", "/queues/" + queue, null).bodyAsJsonObject();
    assertEquals(0, counts.getJsonObject("counts").getLong("ready"), counts.encode());
    assertEquals(
        0,
        api.send("GET", "/queues/" + queue + "/schedules", null)
            .bodyAsJsonObject()
            .getJsonArray("schedules")
            .size());
  }

  @Test
  void anOperateTokenEnqueuesButMayNotDelete() {
    var created =
        api.token("0perate")
            .send("POST", "/queues/" + queue + "/jobs", new JsonObject().put("delay", "1h"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String id = created.bodyAsJsonObject().getString("id");
    assertEquals(403, api.send("DELETE", "/queues/" + queue + "/jobs/" + id, null).statusCode());
    assertEquals(
        200, api.token("r3ad").send("GET", "/queues/" + queue + "/jobs/" + id, null).statusCode());
    assertEquals(
        200,
        api.token("adm1n").send("DELETE", "/queues/" + queue + "/jobs/" + id, null).statusCode());
  }

  @Test
  void whoamiNamesTheCallersRole() {
    for (var e : Map.of("r3ad", "read", "0perate", "operate", "adm1n", "admin").entrySet()) {
      JsonObject s = api.token(e.getKey()).send("GET", "/whoami", null).bodyAsJsonObject();
      assertEquals(e.getValue(), s.getString("role"));
      assertTrue(s.getBoolean("auth"));
    }
    assertEquals(401, api.token(null).send("GET", "/whoami", null).statusCode());
  }
}
