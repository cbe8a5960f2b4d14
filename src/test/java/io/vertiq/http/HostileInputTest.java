package io.vertiq.http;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.NewJob;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A generated corpus of malformed requests over every route of the OpenAPI document, with and
 * without the bearer token: broken JSON, wrong types, out-of-range numbers, deep nesting, bodies
 * over the limit, invalid UTF-8, odd paths and headers. No answer may be a 5xx, none may hang,
 * every answer matches the document (an error is JSON with "error" and "message"), a refused
 * request writes nothing (the keys of the queue it names are the same before and after it, on a
 * Redis of the test's own), the service stays up, and jobs enqueued before it all complete. Seeded,
 * so a failure repeats.
 */
class HostileInputTest {
  private static final String TOKEN = "s3cret-token";
  private static final long SEED = 20261201L;
  private VertiqHarness h;
  private HttpClient client;
  private int port;
  private String queue;

  /** The queue the corpus names: no node runs it, so only the requests change its keys. */
  private String target;

  private RedisServerProcess own;
  private OpenAPIContract contract;
  private ResponseValidator validator;

  @AfterEach
  void cleanup() {
    if (client != null) await(client.close());
    if (h != null) h.close();
    if (own != null) own.close();
  }

  /** A request of the corpus: what it is, for the failure message. */
  private record Probe(
      String method, String path, Map<String, String> headers, byte[] body, String what) {}

  /** An answer: its status, content type and body. */
  private record Answer(int status, String type, Buffer body) {}

  @Test
  void fiveThousandMalformedRequestsGetDocumentedAnswersAndARefusedOneWritesNothing()
      throws Exception {
    // DEBUG DIGEST-VALUE reads what each key holds, to compare the keys before and after a request
    own = RedisServerProcess.launch("--enable-debug-command", "yes");
    h = new VertiqHarness(own.url());
    queue = TestSupport.randomName("hostile");
    target = TestSupport.randomName("fuzzed");
    contract = ApiClient.contract(h.vertx);
    validator = ResponseValidator.create(h.vertx, contract);
    port = RedisServerProcess.freePort();
    JsonObject conf = h.conf(new JsonObject().put(queue, VertiqHarness.queue("echo", 1, 50)));
    conf.put(
        "http",
        VertiqHarness.http(port)
            .put("bodyLimit", 64 * 1024)
            .put("auth", new JsonObject().put("tokens", new JsonArray().add(TOKEN))));
    h.deploy(conf);
    client =
        h.vertx.createHttpClient(
            new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    // jobs waiting before the storm: they must all still run
    await(
        h.queue(queue)
            .enqueueBulk(
                List.of(
                    NewJob.of("before", new JsonObject()), NewJob.of("before", new JsonObject()))));

    List<Probe> corpus = corpus(new Random(SEED), routes(h.vertx));
    assertTrue(corpus.size() >= 5_000, "corpus of " + corpus.size());
    Map<Integer, Integer> statuses = new TreeMap<>();
    String before = digest();
    for (Probe p : corpus) {
      Answer a = send(p);
      int status = a.status();
      statuses.merge(status, 1, Integer::sum);
      String what = p.what() + ": " + p.method() + " " + abbreviate(p.path());
      assertTrue(status > 0 && status < 500, what + " answered " + status);
      if (a.body() != null) {
        ApiClient.check(contract, validator, p.method(), p.path(), status, a.type(), a.body());
      }
      String after = digest();
      if (status >= 400)
        assertEquals(
            before,
            after,
            what + " answered " + status + " but changed the keys of queue " + target);
      before = after;
    }
    for (String raw : rawRequests()) {
      String answer = raw(raw);
      assertFalse(
          answer.startsWith("HTTP/1.1 5") || answer.startsWith("HTTP/1.0 5"),
          abbreviate(raw) + " -> " + abbreviate(answer));
    }
    assertEquals(
        200,
        send(new Probe("GET", "/health", Map.of(), null, "health")).status(),
        "the service is alive");
    until(
        "the jobs enqueued before complete",
        Duration.ofSeconds(20),
        () -> await(h.queue(queue).counts()).total("completed") >= 2);
    System.out.println("hostile corpus: " + corpus.size() + " requests, statuses " + statuses);
  }

  /**
   * The method and path template of every operation of the OpenAPI document, as vertx-openapi reads
   * it, sorted.
   */
  static List<String[]> routes(Vertx vertx) {
    OpenAPIContract contract = await(OpenAPIContract.from(vertx, "webroot/openapi.yaml"));
    List<String[]> out = new ArrayList<>();
    for (Operation op : contract.operations()) {
      out.add(new String[] {op.getHttpMethod().name(), op.getOpenAPIPath()});
    }
    out.sort(Comparator.comparing((String[] r) -> r[1]).thenComparing(r -> r[0]));
    if (out.size() < 10)
      throw new IllegalStateException("read only " + out.size() + " operations from openapi.yaml");
    return out;
  }

  private List<Probe> corpus(Random rnd, List<String[]> routes) {
    String[] queues = {
      target,
      target,
      target,
      "",
      "a/b",
      "..",
      "%2e%2e",
      "x".repeat(300),
      "é",
      "%00",
      "a%20b",
      "q?x=1",
      "%ff%fe",
      "{queue}",
      "a;b",
      "%zz",
      "%",
      "😀"
    };
    String[] ids = {
      "1", "0", "-1", "99999999999999999999999", "abc", "%00", "x".repeat(2_000), "1e400", "%c3%28"
    };
    String[] queries = {
      "",
      "?state=nope",
      "?limit=0",
      "?limit=501",
      "?limit=-5",
      "?limit=1.5",
      "?limit=99999999999",
      "?cursor=-1",
      "?cursor=abc",
      "?cursor=9223372036854775807",
      "?cursor=99999999999999999999",
      "?state=dead&cursor=5",
      "?state=",
      "?limit=&cursor=",
      "?%zz=1",
      "?state=ready&state=dead"
    };
    List<byte[]> bodies = bodies(rnd);
    String[][] types = {
      {"content-type", "application/json"},
      {"content-type", "text/plain"},
      {"content-type", "application/json; charset=latin1"},
      {"content-type", ""},
      {"content-type", "application/json" + "x".repeat(500)},
      {}
    };
    String[] badAuths = {
      "Bearer wrong",
      "Basic Zm9vOmJhcg==",
      "Bearer",
      "",
      "Bearer " + "x".repeat(4_000),
      "bearer " + TOKEN + " "
    };
    List<Probe> out = new ArrayList<>();
    for (String[] route : routes) {
      for (int i = 0; i < 140; i++) {
        String path =
            route[1]
                .replace("{queue}", pick(rnd, queues))
                .replace("{id}", pick(rnd, ids))
                .replace("{name}", pick(rnd, ids))
                .replace("{group}", pick(rnd, ids));
        if (route[0].equals("GET")) path += pick(rnd, queries);
        Map<String, String> headers = new TreeMap<>();
        // mostly the right token, so the requests reach the routes behind the auth check
        String auth = rnd.nextInt(5) > 0 ? "Bearer " + TOKEN : pick(rnd, badAuths);
        if (!auth.isEmpty()) headers.put("Authorization", auth);
        String[] type = types[rnd.nextInt(types.length)];
        if (type.length == 2) headers.put(type[0], type[1]);
        if (rnd.nextInt(10) == 0) headers.put("X-Forwarded-For", "1.2.3.4, " + "9".repeat(100));
        byte[] body =
            route[0].equals("GET") && rnd.nextBoolean()
                ? null
                : bodies.get(rnd.nextInt(bodies.size()));
        String method =
            rnd.nextInt(12) == 0
                ? pick(rnd, new String[] {"PUT", "PATCH", "OPTIONS", "HEAD", "DELETE"})
                : route[0];
        out.add(
            new Probe(
                method, path, headers, body, "route " + route[0] + " " + route[1] + " #" + i));
      }
    }
    // odd paths, valid token
    String[] odd = {
      "//queues",
      "/queues/",
      "/queues//jobs",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/../../etc/passwd",
      "/queues/" + queue + "/jobs/",
      "/" + "a/".repeat(2_000),
      "/queues/%",
      "/queues/%g0/jobs",
      "/index.html/..",
      "/dashboard.js%00.html",
      "/openapi.yaml?x=%zz",
      "/queues/" + queue + "/jobs?limit=10&limit=20",
      "/admin",
      "/admin/queues/" + queue + "/scale/extra",
      "/metrics/x"
    };
    for (String p : odd)
      out.add(new Probe("GET", p, Map.of("Authorization", "Bearer " + TOKEN), null, "odd path"));
    return out;
  }

  private List<byte[]> bodies(Random rnd) {
    List<String> text =
        new ArrayList<>(
            List.of(
                "",
                "{",
                "}",
                "[",
                "null",
                "true",
                "1",
                "\"s\"",
                "[]",
                "[1,2]",
                "{}",
                "{\"payload\":",
                "{\"payload\":[]}",
                "{\"payload\":\"x\"}",
                "{\"payload\":null}",
                "{\"payload\":{\"a\":1e400}}",
                "{\"payload\":{\"a\":\"\\ud800\"}}",
                "{\"payload\":{\"\\udc00\":1}}",
                "{\"name\":\"\"}",
                "{\"name\":5}",
                "{\"name\":\"" + "n".repeat(300) + "\"}",
                "{\"priority\":1001}",
                "{\"priority\":-1001}",
                "{\"priority\":1.5}",
                "{\"priority\":\"high\"}",
                "{\"priority\":1e30}",
                "{\"delay\":-1}",
                "{\"delay\":\"-5s\"}",
                "{\"delay\":\"99999999999999999999d\"}",
                "{\"delay\":\"9999999999999d\"}",
                "{\"delay\":1e300}",
                "{\"delay\":\"1y\"}",
                "{\"runAt\":-1}",
                "{\"runAt\":1e300}",
                "{\"runAt\":\"tomorrow\"}",
                "{\"runAt\":99999999999999999}",
                "{\"timeout\":0}",
                "{\"timeout\":\"9999999999999999d\"}",
                "{\"attempts\":0}",
                "{\"attempts\":1e10}",
                "{\"attempts\":-3}",
                "{\"backoff\":5}",
                "{\"backoff\":{\"type\":\"x\"}}",
                "{\"backoff\":{\"delay\":\"-1s\"}}",
                "{\"backoff\":{\"jitter\":7}}",
                "{\"uniqueKey\":\"\"}",
                "{\"uniqueKey\":" + "1".repeat(400) + "}",
                "{\"uniqueKey\":\"" + "u".repeat(600) + "\"}",
                "{\"unknown\":1}",
                "{\"ids\":5}",
                "{\"ids\":[{}]}",
                "{\"ids\":[null]}",
                "{\"ids\":[1e400]}",
                "{\"instances\":0}",
                "{\"instances\":4294967297}",
                "{\"instances\":1.5}",
                "{\"instances\":\"2\"}",
                "{\"instances\":-1}",
                "[{},5,null]",
                "[[]]",
                "{\"a\":1,\"a\":2}",
                "{'single':1}",
                "{\"payload\":{\"x\":NaN}}",
                "{\"payload\":{\"x\":Infinity}}",
                "\ufeff{}",
                "{\"name\":\"\\u0000\"}",
                "{\"payload\":{}} trailing",
                "{\"payload\":{\"n\":123456789012345678901234567890}}",
                "{\"payload\":{\"n\":-0.0}}"));
    text.add("[" + "[".repeat(3_000) + "]".repeat(3_000) + "]");
    text.add("{\"payload\":" + "{\"a\":".repeat(1_500) + "1" + "}".repeat(1_500) + "}");
    text.add(
        "{\"payload\":{\"big\":\"" + "x".repeat(70 * 1024) + "\"}}"); // over the 64 KiB body limit
    text.add(
        "["
            + "{},".repeat(20_000)
            + "{}]"); // under the body limit? no: 60 KB of jobs, a large bulk
    List<byte[]> out = new ArrayList<>();
    for (String t : text) out.add(t.getBytes(StandardCharsets.UTF_8));
    out.add(
        new byte[] {
          '{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'
        }); // invalid UTF-8
    out.add(new byte[] {(byte) 0xc3, (byte) 0x28});
    out.add(
        new byte[] {
          '{',
          '"',
          'p',
          'a',
          'y',
          'l',
          'o',
          'a',
          'd',
          '"',
          ':',
          '{',
          '"',
          'k',
          '"',
          ':',
          '"',
          (byte) 0xed,
          (byte) 0xa0,
          (byte) 0x80,
          '"',
          '}',
          '}'
        });
    byte[] noise = new byte[2_048];
    rnd.nextBytes(noise);
    out.add(noise);
    return out;
  }

  /** What each key under the target queue's hash tag holds now, as Redis digests it. */
  private String digest() {
    Response keys = await(h.redis.send(Request.cmd(Command.KEYS).arg("*{" + target + "}*")));
    List<String> names = new ArrayList<>();
    keys.forEach(k -> names.add(k.toString()));
    if (names.isEmpty()) return "";
    names.sort(null);
    Request d = Request.cmd(Command.DEBUG).arg("DIGEST-VALUE");
    names.forEach(d::arg);
    return names + " " + await(h.redis.send(d));
  }

  private Answer send(Probe p) {
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(p.method()))
            .setURI(p.path())
            .setTimeout(10_000);
    p.headers().forEach(o::putHeader);
    Future<Answer> answer =
        client
            .request(o)
            .compose(
                req ->
                    (p.body() == null ? req.send() : req.send(Buffer.buffer(p.body())))
                        .compose(
                            resp ->
                                resp.body()
                                    .map(
                                        b ->
                                            new Answer(
                                                resp.statusCode(),
                                                resp.getHeader("content-type"),
                                                b))));
    try {
      return await(answer, Duration.ofSeconds(15));
    } catch (RuntimeException e) {
      // the server may close a connection on a request it refuses outright (a header over its
      // limit): no answer
      // is no 5xx, but a hang is a failure
      if (String.valueOf(e.getMessage()).contains("imeout"))
        throw new AssertionError(p.what() + ": no answer (hang)", e);
      return new Answer(400, null, null);
    }
  }

  private static List<String> rawRequests() {
    return List.of(
        "GET /queues HTTP/1.1\r\n\r\n",
        "GET /queues HTTP/1.0\r\n\r\n",
        "GET /health HTTP/1.0\r\n\r\n",
        "POST /queues/q/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\n{\"a\":",
        "POST /queues/q/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n\r\n",
        "GARBAGE\r\n\r\n",
        "GET /queues HTTP/9.9\r\nHost: x\r\n\r\n",
        "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /queues HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\nContent-Length: -1\r\n\r\n",
        "GET /queues HTTP/1.1\r\nHost: x\r\nX-Odd: a\u0000b\r\n\r\n",
        "GET /queues HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
        "GET /queues HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + TOKEN
            + "\r\nX-Long: "
            + "h".repeat(20_000)
            + "\r\n\r\n");
  }

  /**
   * A request written to a socket as it is (what an HTTP client library would refuse to send); the
   * status line back.
   */
  private String raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      s.shutdownOutput();
      byte[] buf = new byte[512];
      int n = s.getInputStream().read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer (hang) to " + abbreviate(request), e);
    }
  }

  private static String pick(Random rnd, String[] from) {
    return from[rnd.nextInt(from.length)];
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
