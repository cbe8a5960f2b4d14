package io.vertiq.http;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The REST API over real HTTP: every endpoint, every error code, auth on and off, bulk enqueue. */
class HttpVerticleTest {
  private VertiqHarness h;
  private WebClient web;
  private ApiClient api;
  private String queue;

  @AfterEach
  void cleanup() {
    if (web != null) web.close();
    if (api != null) api.close();
    if (h != null) h.close();
  }

  private void start(JsonObject http, JsonObject queueConf) {
    h = new VertiqHarness();
    queue = TestSupport.randomName("http");
    int port = RedisServerProcess.freePort();
    JsonObject conf = h.conf(new JsonObject().put(queue, queueConf));
    conf.put("http", http.put("enabled", true).put("port", port).put("host", "127.0.0.1"));
    conf.put("jobs", new JsonObject().put("maxPayloadBytes", 1024));
    h.deploy(conf);
    web =
        WebClient.create(
            h.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    api = new ApiClient(h.vertx, port);
  }

  /** Every answer is checked against the OpenAPI document (see ApiClient). */
  private HttpResponse<Buffer> send(String method, String path, Object body, String token) {
    return api.token(token).send(method, path, body);
  }

  private HttpResponse<Buffer> send(String method, String path, Object body) {
    return send(method, path, body, null);
  }

  private static void assertError(
      HttpResponse<Buffer> r, int status, String code, String inMessage) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject b = r.bodyAsJsonObject();
    assertEquals(code, b.getString("error"));
    assertTrue(b.getString("message").contains(inMessage), b.getString("message"));
  }

  @Test
  void enqueueReadListRetryDeleteAndErrors() {
    start(
        new JsonObject(),
        VertiqHarness.queue(RecordingHandler.class.getName(), 1, 10).put("attempts", 1));
    String q = "/queues/" + queue;
    // enqueue one, dedupe by unique key
    var created =
        send(
            "POST",
            q + "/jobs",
            new JsonObject()
                .put("name", "mail")
                .put("payload", new JsonObject().put("to", "a"))
                .put("uniqueKey", "k1")
                .put("delay", "1h"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String id = created.bodyAsJsonObject().getString("id");
    var dup =
        send(
            "POST",
            q + "/jobs",
            new JsonObject().put("payload", new JsonObject()).put("uniqueKey", "k1"));
    assertEquals(200, dup.statusCode());
    assertEquals(id, dup.bodyAsJsonObject().getString("id"));
    var job = send("GET", q + "/jobs/" + id, null);
    assertEquals("delayed", job.bodyAsJsonObject().getString("state"));
    assertEquals("a", job.bodyAsJsonObject().getJsonObject("payload").getString("to"));
    assertEquals(
        1, send("GET", q + "/jobs?state=delayed", null).bodyAsJsonObject().getLong("total"));
    assertEquals(200, send("DELETE", q + "/jobs/" + id, null).statusCode());
    assertError(send("GET", q + "/jobs/" + id, null), 404, "not_found", "job " + id);
    assertError(send("DELETE", q + "/jobs/" + id, null), 404, "not_found", "job " + id);

    // a failing job goes dead, shows in the dead list, comes back on retry
    String bad =
        send(
                "POST",
                q + "/jobs",
                new JsonObject().put("payload", new JsonObject().put("failTimes", -1)))
            .bodyAsJsonObject()
            .getString("id");
    until(
        "dead",
        Duration.ofSeconds(10),
        () -> send("GET", q + "/jobs?state=dead", null).bodyAsJsonObject().getLong("total") == 1);
    assertEquals(
        bad,
        send("GET", q + "/jobs?state=dead", null)
            .bodyAsJsonObject()
            .getJsonArray("jobs")
            .getJsonObject(0)
            .getString("id"));
    assertEquals(
        1, send("GET", q + "/failures", null).bodyAsJsonObject().getJsonArray("failures").size());
    assertEquals(
        1,
        send("POST", q + "/dead/retry", new JsonObject().put("ids", new JsonArray().add(bad)))
            .bodyAsJsonObject()
            .getLong("retried"));
    until(
        "dead again",
        Duration.ofSeconds(10),
        () -> send("GET", q, null).bodyAsJsonObject().getJsonObject("counts").getLong("dead") == 1);
    assertEquals(1, send("DELETE", q + "/dead", null).bodyAsJsonObject().getLong("deleted"));

    // pause / resume and the queue listing
    assertTrue(send("POST", q + "/pause", null).bodyAsJsonObject().getBoolean("paused"));
    JsonObject listed =
        send("GET", "/queues", null).bodyAsJsonObject().getJsonArray("queues").stream()
            .map(o -> (JsonObject) o)
            .filter(o -> o.getString("queue").equals(queue))
            .findFirst()
            .orElseThrow();
    assertTrue(listed.getBoolean("paused"));
    assertEquals(1, listed.getJsonObject("workers").getInteger("instances"));
    assertFalse(send("POST", q + "/resume", null).bodyAsJsonObject().getBoolean("paused"));

    // errors
    assertError(
        send("POST", q + "/jobs", new JsonObject().put("payload", "text")),
        400,
        "invalid_argument",
        "body.payload: expected a JSON object");
    assertError(
        send("POST", q + "/jobs", new JsonObject().put("delay", "-5s")),
        400,
        "invalid_argument",
        "body.delay");
    assertError(
        send("POST", q + "/jobs", new JsonObject().put("attempts", 0)),
        400,
        "invalid_argument",
        "body.attempts");
    assertError(
        send(
            "POST",
            q + "/jobs/bulk",
            new JsonArray().add(new JsonObject()).add(new JsonObject().put("priority", 5000))),
        400,
        "invalid_argument",
        "body[1].priority");
    assertError(
        send("POST", q + "/jobs", new JsonArray().add(new JsonObject())),
        400,
        "invalid_argument",
        "jobs/bulk");
    assertError(
        send("POST", "/queues/bad%20name!/jobs", new JsonObject()),
        400,
        "invalid_argument",
        "queue name");
    assertError(
        send(
            "POST",
            q + "/jobs",
            new JsonObject().put("payload", new JsonObject().put("x", "y".repeat(2000)))),
        413,
        "payload_too_large",
        "over the limit of 1024 bytes");
    assertError(send("POST", q + "/jobs", "name=x"), 415, "unsupported_media_type", "Content-Type");
    assertError(
        send("POST", q + "/jobs", new JsonObject().put("nme", "typo")),
        400,
        "invalid_argument",
        "body.nme: unknown key");
    assertError(send("GET", q + "/jobs?state=lost", null), 400, "invalid_argument", "state");
    assertError(send("GET", q + "/jobs?limit=100000", null), 400, "invalid_argument", "limit");
    assertError(send("GET", "/nope", null), 404, "not_found", "/nope");
    var raw =
        await(
            web.post(q + "/jobs")
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{not json")));
    assertError(raw, 400, "invalid_argument", "not valid JSON");
    var huge =
        await(
            web.post(q + "/jobs")
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer(new byte[17 * 1024 * 1024])));
    assertEquals(413, huge.statusCode());

    // operations endpoints
    assertEquals(200, send("GET", "/health", null).statusCode());
    assertEquals(200, send("GET", "/ready", null).statusCode());
    assertTrue(send("GET", "/openapi.yaml", null).bodyAsString().contains("openapi: 3"));
    assertTrue(send("GET", "/", null).bodyAsString().contains("<title>Vertiq</title>"));
  }

  @Test
  void bulkEnqueueOfAThousandJobsInOneRequestAndMetrics() {
    start(new JsonObject(), VertiqHarness.queue("noop", 2, 50));
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < 1000; i++)
      jobs.add(new JsonObject().put("name", "n").put("payload", new JsonObject().put("i", i)));
    var r = send("POST", "/queues/" + queue + "/jobs/bulk", jobs);
    assertEquals(201, r.statusCode());
    assertEquals(1000, r.bodyAsJsonObject().getJsonArray("results").size());
    assertEquals(1000, r.bodyAsJsonObject().getLong("created"));
    until(
        "all ran",
        Duration.ofSeconds(20),
        () ->
            send("GET", "/queues/" + queue, null)
                    .bodyAsJsonObject()
                    .getJsonObject("totals")
                    .getLong("completed", 0L)
                == 1000);
    String metrics = send("GET", "/metrics", null).bodyAsString();
    assertTrue(
        metrics.contains("vertiq_jobs_completed_total{queue=\"" + queue + "\"} 1000.0"),
        metrics.lines().filter(l -> l.contains("vertiq_jobs_completed")).toList().toString());
    assertTrue(metrics.contains("vertiq_jobs_enqueued_total{queue=\"" + queue + "\"} 1000.0"));
    assertTrue(metrics.contains("vertiq_job_duration_seconds_bucket{queue=\"" + queue + "\""));
    assertTrue(metrics.contains("vertiq_queue_depth{queue=\"" + queue + "\",state=\"ready\"} 0.0"));
  }

  @Test
  void withTokensEverythingButTheProbesNeedsTheBearerToken() {
    start(
        new JsonObject()
            .put(
                "auth", new JsonObject().put("tokens", new JsonArray().add("s3cret").add("other"))),
        VertiqHarness.queue("noop", 1, 5));
    assertEquals(200, send("GET", "/health", null).statusCode());
    // a kubelet's probe sends no token: /ready answers it, with each check's state and no data
    until("ready", Duration.ofSeconds(30), () -> send("GET", "/ready", null).statusCode() == 200);
    JsonObject bare = send("GET", "/ready", null, "wrong").bodyAsJsonObject();
    assertEquals("UP", bare.getString("status"), bare.encode());
    assertTrue(bare.getJsonArray("checks").size() >= 3, bare.encode());
    assertFalse(bare.encode().contains("\"data\""), "no check's data without a token: " + bare);
    assertFalse(bare.encode().contains(queue), "no queue name without a token: " + bare);
    JsonObject full = send("GET", "/ready", null, "s3cret").bodyAsJsonObject();
    assertTrue(full.encode().contains("fetchLoops"), "with a token the data is there: " + full);
    assertTrue(
        send("GET", "/", null).bodyAsString().contains("<title>Vertiq</title>"),
        "the dashboard page opens without a token");
    assertEquals(200, send("GET", "/dashboard.js", null).statusCode());
    assertError(send("GET", "/queues", null), 401, "unauthorized", "Authorization");
    assertError(send("GET", "/queues", null, "wrong"), 401, "unauthorized", "not accepted");
    assertError(
        send("POST", "/queues/" + queue + "/jobs", new JsonObject(), "wrong"),
        401,
        "unauthorized",
        "not accepted");
    assertError(send("GET", "/metrics", null), 401, "unauthorized", "Authorization");
    assertEquals(200, send("GET", "/queues", null, "s3cret").statusCode());
    assertEquals(
        201, send("POST", "/queues/" + queue + "/jobs", new JsonObject(), "other").statusCode());
  }

  @Test
  void aRunningJobCannotBeDeleted() {
    start(new JsonObject(), VertiqHarness.queue(RecordingHandler.class.getName(), 1, 5));
    String id =
        send(
                "POST",
                "/queues/" + queue + "/jobs",
                new JsonObject().put("payload", new JsonObject().put("ms", 60_000)))
            .bodyAsJsonObject()
            .getString("id");
    until(
        "running",
        Duration.ofSeconds(10),
        () ->
            "active"
                .equals(
                    send("GET", "/queues/" + queue + "/jobs/" + id, null)
                        .bodyAsJsonObject()
                        .getString("state")));
    assertError(
        send("DELETE", "/queues/" + queue + "/jobs/" + id, null), 409, "conflict", "is running");
  }

  @Test
  void redisGoneGives503AndTheServiceKeepsRunning() {
    try (RedisServerProcess own = RedisServerProcess.launch()) {
      h = new VertiqHarness(own.url());
      queue = TestSupport.randomName("down");
      int port = RedisServerProcess.freePort();
      JsonObject conf = h.conf(new JsonObject().put(queue, VertiqHarness.queue("noop", 1, 5)));
      conf.put("http", VertiqHarness.http(port));
      h.deploy(conf);
      web =
          WebClient.create(
              h.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      api = new ApiClient(h.vertx, port);
      assertEquals(201, send("POST", "/queues/" + queue + "/jobs", new JsonObject()).statusCode());
      own.stop();
      assertError(
          send("POST", "/queues/" + queue + "/jobs", new JsonObject()),
          503,
          "unavailable",
          "Redis");
      assertEquals(503, send("GET", "/ready", null).statusCode());
      assertEquals(200, send("GET", "/health", null).statusCode());
    }
  }

  @Test
  void adminRedeployAndScale() {
    start(new JsonObject(), VertiqHarness.queue("noop", 1, 5));
    var r = send("POST", "/admin/queues/" + queue + "/redeploy", null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(2, r.bodyAsJsonObject().getInteger("generation"));
    var s = send("POST", "/admin/queues/" + queue + "/scale", new JsonObject().put("instances", 3));
    assertEquals(3, s.bodyAsJsonObject().getInteger("instances"));
    assertError(
        send("POST", "/admin/queues/" + queue + "/scale", new JsonObject().put("instances", 0)),
        400,
        "invalid_argument",
        "instances");
    assertError(
        send("POST", "/admin/queues/unknown-q/redeploy", null), 404, "not_found", "unknown-q");
  }

  @Test
  void withTlsTheApiIsServedOverHttpsOnly() throws Exception {
    Path dir = Files.createTempDirectory("vertiq-tls-");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    openssl.getInputStream().readAllBytes();
    Assumptions.assumeTrue(openssl.waitFor() == 0, "openssl could not make a test certificate");
    start(
        new JsonObject()
            .put(
                "tls",
                new JsonObject()
                    .put("enabled", true)
                    .put("certPath", cert.toString())
                    .put("keyPath", key.toString())),
        new JsonObject().put("handler", "noop"));
    int port = web.request(HttpMethod.GET, "/").port();
    WebClient https =
        WebClient.create(
            h.vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false));
    try {
      HttpResponse<Buffer> r =
          await(
              https
                  .post("/queues/" + queue + "/jobs")
                  .sendJsonObject(
                      new JsonObject().put("name", "t").put("payload", new JsonObject())));
      assertEquals(201, r.statusCode(), r.bodyAsString());
      assertEquals(200, await(https.get("/health").send()).statusCode());
      assertThrows(
          RuntimeException.class,
          () -> await(web.get("/health").send(), Duration.ofSeconds(5)),
          "plain HTTP is not answered on the TLS port");
    } finally {
      https.close();
      Files.deleteIfExists(cert);
      Files.deleteIfExists(key);
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void theIdempotencyKeyHeaderMakesARetriedPostCreateNothing() {
    start(new JsonObject(), new JsonObject().put("handler", "noop"));
    String q = "/queues/" + queue + "/jobs";
    JsonObject job =
        new JsonObject().put("name", "charge").put("payload", new JsonObject().put("cents", 100));
    var first = await(web.post(q).putHeader("Idempotency-Key", "pay-1").sendJsonObject(job));
    var retry = await(web.post(q).putHeader("Idempotency-Key", "pay-1").sendJsonObject(job));
    assertEquals(201, first.statusCode(), first.bodyAsString());
    assertEquals(200, retry.statusCode(), retry.bodyAsString());
    assertEquals(
        first.bodyAsJsonObject().getString("id"), retry.bodyAsJsonObject().getString("id"));
    assertFalse(retry.bodyAsJsonObject().getBoolean("created"));
    // a bulk: "key:index" per job, so the same bulk sent again creates nothing
    JsonArray two = new JsonArray().add(job).add(job);
    var bulk = await(web.post(q + "/bulk").putHeader("Idempotency-Key", "batch-9").sendJson(two));
    var bulkAgain =
        await(web.post(q + "/bulk").putHeader("Idempotency-Key", "batch-9").sendJson(two));
    assertEquals(2L, bulk.bodyAsJsonObject().getLong("created"), bulk.bodyAsString());
    assertEquals(0L, bulkAgain.bodyAsJsonObject().getLong("created"), bulkAgain.bodyAsString());
    assertEquals(
        400, await(web.post(q).putHeader("Idempotency-Key", "").sendJsonObject(job)).statusCode());
  }

  @Test
  void schedulesAreManagedOverHttp() {
    start(new JsonObject(), new JsonObject().put("handler", "noop"));
    String base = "/queues/" + queue + "/schedules";
    JsonObject spec =
        new JsonObject()
            .put("cron", "0 8 * * *")
            .put("tz", "Europe/Berlin")
            .put("job", new JsonObject().put("name", "digest"));
    var put = send("PUT", base + "/digest", spec);
    assertEquals(200, put.statusCode(), put.bodyAsString());
    assertTrue(put.bodyAsJsonObject().getLong("nextFireAt") > System.currentTimeMillis());
    assertEquals(1, send("GET", base, null).bodyAsJsonObject().getJsonArray("schedules").size());
    assertTrue(send("POST", base + "/digest/pause", null).bodyAsJsonObject().getBoolean("paused"));
    assertNull(
        send("GET", base + "/digest", null).bodyAsJsonObject().getValue("nextFireAt"),
        "paused: no next fire");
    assertFalse(
        send("POST", base + "/digest/resume", null).bodyAsJsonObject().getBoolean("paused"));
    var trigger = send("POST", base + "/digest/trigger", null);
    assertEquals(200, trigger.statusCode(), trigger.bodyAsString());
    assertTrue(trigger.bodyAsJsonObject().getBoolean("created"));
    assertError(
        send(
            "PUT",
            base + "/bad",
            new JsonObject().put("cron", "0 8 * *").put("job", new JsonObject())),
        400,
        "invalid_argument",
        "body.cron: invalid cron expression");
    assertError(
        send("PUT", base + "/bad", new JsonObject().put("every", "1s").put("tz", "Nowhere/Land")),
        400,
        "invalid_argument",
        "body.tz");
    assertEquals(200, send("DELETE", base + "/digest", null).statusCode());
    assertError(send("DELETE", base + "/digest", null), 404, "not_found", "schedule digest");
    assertError(send("POST", base + "/nope/trigger", null), 404, "not_found", "schedule nope");
  }

  @Test
  void waitingJobsArePromotedAndChangedOverHttp() {
    start(new JsonObject(), new JsonObject().put("handler", "noop"));
    assertEquals(200, send("POST", "/queues/" + queue + "/pause", null).statusCode());
    String jobs = "/queues/" + queue + "/jobs/";
    String id =
        send("POST", "/queues/" + queue + "/jobs", new JsonObject().put("delay", "1h"))
            .bodyAsJsonObject()
            .getString("id");
    var promoted = send("POST", jobs + id + "/promote", null);
    assertEquals(200, promoted.statusCode(), promoted.bodyAsString());
    assertEquals("ready", promoted.bodyAsJsonObject().getString("state"));
    assertEquals(
        "delayed",
        send("PATCH", jobs + id, new JsonObject().put("runAt", System.currentTimeMillis() + 60_000))
            .bodyAsJsonObject()
            .getString("state"));
    assertEquals(200, send("PATCH", jobs + id, new JsonObject().put("priority", 7)).statusCode());
    assertEquals(7, send("GET", jobs + id, null).bodyAsJsonObject().getInteger("priority"));
    assertError(
        send("PATCH", jobs + id, new JsonObject().put("priority", 5000)),
        400,
        "invalid_argument",
        "body.priority");
    assertError(
        send("PATCH", jobs + id, new JsonObject().put("priority", 1).put("runAt", 1)),
        400,
        "invalid_argument",
        "body:");
    assertError(
        send("PATCH", jobs + id, new JsonObject().put("runAt", "soon")),
        400,
        "invalid_argument",
        "body.runAt");
    assertError(send("POST", jobs + "999999/promote", null), 404, "not_found", "job 999999");
  }

  @Test
  void groupsOverHttpAndABadGroupIsA400NamingTheField() {
    start(new JsonObject(), new JsonObject().put("handler", "noop"));
    assertEquals(200, send("POST", "/queues/" + queue + "/pause", null).statusCode());
    var ok =
        send(
            "POST",
            "/queues/" + queue + "/jobs",
            new JsonObject().put("group", "acme").put("payload", new JsonObject()));
    assertEquals(201, ok.statusCode(), ok.bodyAsString());
    var page = send("GET", "/queues/" + queue + "/groups", null).bodyAsJsonObject();
    assertEquals(
        "acme", page.getJsonArray("groups").getJsonObject(0).getString("name"), page.encode());
    assertEquals(1, page.getJsonArray("groups").getJsonObject(0).getLong("waiting"));
    assertTrue(
        send("POST", "/queues/" + queue + "/groups/acme/pause", null)
            .bodyAsJsonObject()
            .getBoolean("paused"));
    assertFalse(
        send("POST", "/queues/" + queue + "/groups/acme/resume", null)
            .bodyAsJsonObject()
            .getBoolean("paused"));
    assertError(
        send("POST", "/queues/" + queue + "/jobs", new JsonObject().put("group", "a b")),
        400,
        "invalid_argument",
        "body.group");
    assertError(
        send("POST", "/queues/" + queue + "/groups/a%20b/pause", null),
        400,
        "invalid_argument",
        "group:");
    assertError(
        send("GET", "/queues/" + queue + "/groups?cursor=-1", null),
        400,
        "invalid_argument",
        "cursor");
    // limits at run time: set, shown, refused naming the key (writing nothing), cleared
    var set =
        send(
            "PUT",
            "/queues/" + queue + "/groups/acme/limits",
            new JsonObject(
                "{\"concurrency\": 10, \"rateLimit\": {\"max\": 50, \"per\": \"1s\","
                    + " \"smooth\": true}, \"weight\": 3}"));
    assertEquals(200, set.statusCode(), set.bodyAsString());
    assertEquals(
        new JsonObject(
            "{\"concurrency\": 10, \"rateLimit\": {\"max\": 50, \"per\": \"1s\","
                + " \"smooth\": true}, \"weight\": 3}"),
        set.bodyAsJsonObject().getJsonObject("limits"));
    assertError(
        send("PUT", "/queues/" + queue + "/groups/acme/limits", new JsonObject().put("weight", 0)),
        400,
        "invalid_argument",
        "body.weight");
    assertError(
        send(
            "PUT",
            "/queues/" + queue + "/groups/acme/limits",
            new JsonObject().put("rateLimit", new JsonObject().put("max", 5).put("per", "3d"))),
        400,
        "invalid_argument",
        "body.rateLimit.per");
    assertEquals(
        3,
        send("GET", "/queues/" + queue + "/groups/acme", null)
            .bodyAsJsonObject()
            .getJsonObject("limits")
            .getInteger("weight"),
        "the refused changes wrote nothing");
    // what an autoscaler reads: the paused queue's waiting job is due work
    var scaling = send("GET", "/queues/" + queue + "/scaling", null);
    assertEquals(200, scaling.statusCode(), scaling.bodyAsString());
    assertEquals(1, scaling.bodyAsJsonObject().getLong("due"), scaling.bodyAsString());
    assertTrue(scaling.bodyAsJsonObject().getLong("capacity") > 0, scaling.bodyAsString());
    var cleared = send("DELETE", "/queues/" + queue + "/groups/acme/limits", null);
    assertEquals(200, cleared.statusCode(), cleared.bodyAsString());
    assertFalse(cleared.bodyAsJsonObject().containsKey("limits"), cleared.bodyAsString());
    assertEquals(
        1,
        send("GET", "/queues/" + queue, null)
            .bodyAsJsonObject()
            .getJsonObject("counts")
            .getLong("ready"),
        "the refused job wrote nothing");
  }

  @Test
  void cancelAndAResultLongPollOverHttp() {
    start(
        new JsonObject(),
        new JsonObject()
            .put("handler", "sleep")
            .put("retention", new JsonObject().put("completed", "all")));
    String jobs = "/queues/" + queue + "/jobs";
    String quick =
        send(
                "POST",
                jobs,
                new JsonObject()
                    .put("payload", new JsonObject().put("ms", 200).put("result", "done")))
            .bodyAsJsonObject()
            .getString("id");
    var waited = send("GET", jobs + "/" + quick + "/result?timeout=10s", null);
    assertEquals(200, waited.statusCode(), waited.bodyAsString());
    assertTrue(waited.bodyAsJsonObject().getBoolean("finished"), waited.bodyAsString());
    assertEquals("done", waited.bodyAsJsonObject().getValue("result"));
    String slow =
        send("POST", jobs, new JsonObject().put("payload", new JsonObject().put("ms", 60_000)))
            .bodyAsJsonObject()
            .getString("id");
    var notYet = send("GET", jobs + "/" + slow + "/result?timeout=200", null);
    assertFalse(notYet.bodyAsJsonObject().getBoolean("finished"), notYet.bodyAsString());
    until(
        "running",
        Duration.ofSeconds(10),
        () ->
            "active"
                .equals(
                    send("GET", jobs + "/" + slow, null).bodyAsJsonObject().getString("state")));
    var cancelled = send("POST", jobs + "/" + slow + "/cancel", null);
    assertEquals(200, cancelled.statusCode(), cancelled.bodyAsString());
    assertEquals("active", cancelled.bodyAsJsonObject().getString("previousState"));
    assertEquals("stopping", cancelled.bodyAsJsonObject().getString("outcome"));
    var dead = send("GET", jobs + "/" + slow + "/result?timeout=10s", null).bodyAsJsonObject();
    assertEquals("dead", dead.getString("state"), dead.encode());
    assertEquals("cancelled", dead.getJsonObject("error").getString("message"));
    assertError(
        send("POST", jobs + "/" + slow + "/cancel", null), 409, "conflict", "nothing to cancel");
    assertError(send("POST", jobs + "/999999/cancel", null), 404, "not_found", "job 999999");
    assertError(
        send("GET", jobs + "/" + slow + "/result?timeout=5m", null),
        400,
        "invalid_argument",
        "query parameter timeout");
    assertError(
        send("POST", jobs, new JsonObject().put("uniqueFor", "10m")),
        400,
        "invalid_argument",
        "body.uniqueFor");
    var window =
        send(
            "POST",
            jobs,
            new JsonObject().put("uniqueKey", "u1").put("uniqueFor", "10m").put("debounce", true));
    assertEquals(201, window.statusCode(), window.bodyAsString());
  }

  @Test
  void searchCleanAndHistoryOverHttp() {
    start(
        new JsonObject(),
        new JsonObject()
            .put("handler", "sleep")
            .put("attempts", 1)
            .put("retention", new JsonObject().put("completed", "all")));
    String jobs = "/queues/" + queue + "/jobs";
    String keyed =
        send(
                "POST",
                jobs,
                new JsonObject()
                    .put("uniqueKey", "order-7")
                    .put("payload", new JsonObject().put("ms", 0)))
            .bodyAsJsonObject()
            .getString("id");
    send("POST", jobs, new JsonObject().put("payload", new JsonObject().put("error", "boom")));
    until(
        "both finished",
        Duration.ofSeconds(10),
        () -> {
          JsonObject counts =
              send("GET", "/queues/" + queue, null).bodyAsJsonObject().getJsonObject("counts");
          return counts.getLong("completed") == 1 && counts.getLong("dead") == 1;
        });
    var found =
        send("GET", "/queues/" + queue + "/search?q=" + keyed, null)
            .bodyAsJsonObject()
            .getJsonArray("jobs");
    assertEquals(keyed, found.getJsonObject(0).getString("id"), "by id");
    assertEquals(
        0,
        send("GET", "/queues/" + queue + "/search?q=order-7", null)
            .bodyAsJsonObject()
            .getJsonArray("jobs")
            .size(),
        "a finished job's unique key is free: no holder");
    assertEquals(
        0,
        send("GET", "/queues/" + queue + "/search?q=nothing-like-it", null)
            .bodyAsJsonObject()
            .getJsonArray("jobs")
            .size());
    assertError(
        send("GET", "/queues/" + queue + "/search", null),
        400,
        "invalid_argument",
        "query parameter q");
    var history = send("GET", "/queues/" + queue + "/history?minutes=5", null).bodyAsJsonObject();
    assertEquals(5, history.getJsonArray("completed").size(), history.encode());
    assertError(
        send("GET", "/queues/" + queue + "/history?minutes=20000", null),
        400,
        "invalid_argument",
        "minutes");
    assertEquals(
        0,
        send("DELETE", jobs + "?state=completed&olderThan=1h", null)
            .bodyAsJsonObject()
            .getLong("deleted"),
        "nothing finished an hour ago");
    assertEquals(
        1, send("DELETE", jobs + "?state=completed", null).bodyAsJsonObject().getLong("deleted"));
    assertEquals(
        1,
        send("DELETE", jobs + "?state=dead&olderThan=0ms", null)
            .bodyAsJsonObject()
            .getLong("deleted"));
    assertError(
        send("DELETE", jobs + "?state=ready", null),
        400,
        "invalid_argument",
        "query parameter state");
    assertError(
        send("DELETE", jobs + "?state=dead&olderThan=soon", null),
        400,
        "invalid_argument",
        "query parameter olderThan");
  }

  @Test
  void aFlowOverHttpAndABadFlowIsA400ThatWritesNothing() {
    start(new JsonObject(), new JsonObject().put("handler", "echo"));
    JsonObject flow =
        new JsonObject()
            .put("queue", queue)
            .put("job", new JsonObject().put("name", "parent"))
            .put(
                "children",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("queue", queue)
                            .put("job", new JsonObject().put("name", "child"))));
    var made = send("POST", "/flows", flow);
    assertEquals(201, made.statusCode(), made.bodyAsString());
    String parent = made.bodyAsJsonObject().getString("id");
    until(
        "the parent ran",
        Duration.ofSeconds(10),
        () ->
            "completed"
                .equals(
                    send("GET", "/queues/" + queue + "/jobs/" + parent + "/flow", null)
                        .bodyAsJsonObject()
                        .getString("state")));
    var tree =
        send("GET", "/queues/" + queue + "/jobs/" + parent + "/flow", null).bodyAsJsonObject();
    assertEquals(
        "child", tree.getJsonArray("children").getJsonObject(0).getString("name"), tree.encode());
    long before =
        send("GET", "/queues/" + queue, null)
            .bodyAsJsonObject()
            .getJsonObject("totals")
            .getLong("enqueued");
    JsonObject bad =
        flow.copy()
            .put(
                "children",
                new JsonArray()
                    .add(new JsonObject().put("queue", queue))
                    .add(new JsonObject().put("queue", "no where")));
    assertError(send("POST", "/flows", bad), 400, "invalid_argument", "body.children[1].queue");
    assertError(
        send("POST", "/flows", flow.copy().put("onChildDead", "shrug")),
        400,
        "invalid_argument",
        "body.onChildDead");
    assertEquals(
        before,
        send("GET", "/queues/" + queue, null)
            .bodyAsJsonObject()
            .getJsonObject("totals")
            .getLong("enqueued"),
        "the refused flows wrote nothing");
    assertError(
        send("GET", "/queues/" + queue + "/jobs/999999/flow", null),
        404,
        "not_found",
        "job 999999");
  }

  @Test
  void aBatchOverHttp() {
    start(new JsonObject(), new JsonObject().put("handler", "echo"));
    String base = "/queues/" + queue + "/batches";
    var opened =
        send(
            "POST",
            base,
            new JsonObject()
                .put("onComplete", new JsonObject().put("name", "done"))
                .put(
                    "jobs",
                    new JsonArray()
                        .add(new JsonObject().put("name", "a"))
                        .add(new JsonObject().put("name", "b"))));
    assertEquals(201, opened.statusCode(), opened.bodyAsString());
    String id = opened.bodyAsJsonObject().getString("id");
    assertEquals(2, opened.bodyAsJsonObject().getJsonArray("jobs").size());
    assertEquals(
        201,
        send(
                "POST",
                base + "/" + id + "/jobs",
                new JsonArray().add(new JsonObject().put("name", "c")))
            .statusCode());
    assertEquals(200, send("POST", base + "/" + id + "/close", null).statusCode());
    until(
        "the batch done",
        Duration.ofSeconds(10),
        () ->
            send("GET", base + "/" + id, null).bodyAsJsonObject().getBoolean("done")
                && "completed"
                    .equals(
                        send("GET", base + "/" + id, null)
                            .bodyAsJsonObject()
                            .getJsonObject("onComplete")
                            .getString("state")));
    assertEquals(3, send("GET", base + "/" + id, null).bodyAsJsonObject().getLong("succeeded"));
    assertError(
        send("POST", base + "/" + id + "/jobs", new JsonArray().add(new JsonObject())),
        409,
        "conflict",
        "closed");
    assertError(send("GET", base + "/999999", null), 404, "not_found", "batch 999999");
    assertError(
        send("POST", base, new JsonObject().put("onSucces", new JsonObject())),
        400,
        "invalid_argument",
        "body.onSucces");
  }
}
