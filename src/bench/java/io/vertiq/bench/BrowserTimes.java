package io.vertiq.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times the dashboard's pages in headless Chromium, driven over the DevTools protocol with Vert.x's
 * WebSocket client (no browser library in the harness): each page is loaded afresh (about:blank
 * first) and timed from the navigation's start to the moment the page says its data is drawn (its
 * body's data-rendered names its address), as performance.now() reads it in the page.
 */
final class BrowserTimes implements AutoCloseable {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private final Process browser;
  private final Path profile;
  private final WebSocket page;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, Promise<JsonObject>> pending = new ConcurrentHashMap<>();

  private BrowserTimes(Process browser, Path profile, WebSocket page) {
    this.browser = browser;
    this.profile = profile;
    this.page = page;
    page.textMessageHandler(
        text -> {
          JsonObject m = new JsonObject(text);
          Promise<JsonObject> p = m.containsKey("id") ? pending.remove(m.getInteger("id")) : null;
          if (p != null) p.tryComplete(m);
        });
  }

  /** Whether the machine has the browser (the scenario skips the browser's times without it). */
  static boolean available() {
    return Files.isExecutable(Path.of(CHROMIUM));
  }

  static BrowserTimes open(Vertx vertx) throws Exception {
    Path profile = Files.createTempDirectory("vertiq-bench-chromium-");
    Process p =
        new ProcessBuilder(
                CHROMIUM,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--window-size=1400,1000",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .start();
    // Chromium prints its DevTools address on start
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Pattern ws = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
    String port = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (String line;
        port == null && System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
      Matcher m = ws.matcher(line);
      if (m.find()) port = m.group(1);
    }
    if (port == null) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium did not say where its DevTools listen");
    }
    Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "chromium-output");
    drain.setDaemon(true);
    drain.start();
    // the page target the browser opened with
    String list =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher target =
        Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/devtools/page/[^\"]+)\"")
            .matcher(list);
    if (!target.find()) throw new IllegalStateException("no page target in " + list);
    WebSocketClient client = vertx.createWebSocketClient();
    URI url = URI.create(target.group(1));
    WebSocket socket =
        client
            .connect(url.getPort(), url.getHost(), url.getPath())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    BrowserTimes b = new BrowserTimes(p, profile, socket);
    b.call("Page.enable", new JsonObject());
    return b;
  }

  private JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    Promise<JsonObject> p = Promise.promise();
    pending.put(id, p);
    page.writeTextMessage(
        new JsonObject().put("id", id).put("method", method).put("params", params).encode());
    JsonObject reply =
        p.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    if (reply.containsKey("error"))
      throw new IllegalStateException(method + ": " + reply.getJsonObject("error").encode());
    return reply.getJsonObject("result");
  }

  /**
   * Loads {@code url} (its hash the page's address) afresh and returns the ms from the navigation's
   * start until the page has drawn its data.
   */
  double load(String url) throws Exception {
    call("Page.navigate", new JsonObject().put("url", "about:blank"));
    call("Page.navigate", new JsonObject().put("url", url));
    String hash = URI.create(url).getFragment();
    String wait =
        "new Promise((done, fail) => { const t0 = Date.now(); (function check() {"
            + " if (document.body && document.body.dataset.rendered === '#"
            + hash
            + "') done(performance.now());"
            + " else if (Date.now() - t0 > 30000) fail('not drawn in 30 s');"
            + " else setTimeout(check, 2); })(); })";
    // the new document may not be there yet when the first evaluation runs: try again until it is
    for (int attempt = 0; ; attempt++) {
      JsonObject r =
          call(
              "Runtime.evaluate",
              new JsonObject()
                  .put("expression", wait)
                  .put("awaitPromise", true)
                  .put("returnByValue", true));
      if (!r.containsKey("exceptionDetails")) return r.getJsonObject("result").getDouble("value");
      if (attempt == 20)
        throw new IllegalStateException(url + ": " + r.getJsonObject("exceptionDetails").encode());
      Thread.sleep(50); // the navigation replaced the document under the evaluation
    }
  }

  /** The median and the largest of {@code n} loads of each page, in ms. */
  JsonObject times(Map<String, String> pages, int n) throws Exception {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, String> e : pages.entrySet()) {
      List<Double> ms = new ArrayList<>();
      load(e.getValue()); // warms the browser's cache of the scripts
      for (int i = 0; i < n; i++) ms.add(load(e.getValue()));
      ms.sort(null);
      out.put(
          e.getKey(),
          new JsonObject()
              .put("p50Ms", Math.round(ms.get(ms.size() / 2) * 10) / 10.0)
              .put("maxMs", Math.round(ms.get(ms.size() - 1) * 10) / 10.0));
    }
    return out;
  }

  @Override
  public void close() {
    page.close();
    browser.destroy();
    try {
      if (!browser.waitFor(10, TimeUnit.SECONDS)) browser.destroyForcibly();
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    } catch (Exception ignored) {
      // a temporary profile left behind is harmless
    }
  }
}
