package io.vertiq.scenario;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.Flow;
import io.vertiq.GroupLimits;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.testing.RecordingHandler;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver; .ci/run
 * installs them): it shows the queue and its counts, and a click on Retry moves a dead job out of
 * the dead list.
 */
class DashboardBrowserTest {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";

  /** Whether the row is there and its cell {@code column} (from 0) reads {@code text}. */
  private static boolean cellIs(WebDriver d, By row, int column, String text) {
    return !d.findElements(row).isEmpty()
        && d.findElement(row).findElements(By.tagName("td")).get(column).getText().equals(text);
  }

  /** A schedule at 03:00 Berlin time, whose next fire shows in its zone and the viewer's. */
  private static JsonObject nightly() {
    return new JsonObject()
        .put("cron", "0 3 * * *")
        .put("tz", "Europe/Berlin")
        .put("job", new JsonObject().put("name", "digest"));
  }

  /**
   * Deploys queue {@code name} (no-op jobs) with the API and dashboard on a free port: the port.
   */
  private static int serveOneQueue(VertiqHarness h, String name) {
    int port = RedisServerProcess.freePort();
    JsonObject conf = h.conf(new JsonObject().put(name, VertiqHarness.queue("noop", 1, 5)));
    conf.put("http", VertiqHarness.http(port));
    h.deploy(conf);
    return port;
  }

  /** Headless Chromium at 1400×900 with a profile of its own; skipped where it is not installed. */
  private static WebDriver chrome() throws Exception {
    boolean installed = new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute();
    if (System.getenv("CI") != null)
      assertTrue(installed, "CI must have chromium and chromium-driver (.ci/run installs them)");
    Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");
    Path profile = Files.createTempDirectory("vertiq-chromium-");
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM)
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,900",
                "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
    return new ChromeDriver(service, options);
  }

  /** The axe-core version the accessibility check runs (from npm, into target/axe). */
  private static final String AXE = "axe-core@4.14.1";

  /**
   * axe-core's script, installed with the machine's npm into target/axe on first use (CI must have
   * npm; elsewhere the check is skipped without it).
   */
  private static String axeScript() throws Exception {
    Path js = Path.of("target", "axe", "node_modules", "axe-core", "axe.min.js");
    if (!Files.exists(js)) {
      Process p =
          new ProcessBuilder("npm", "install", "--no-save", "--prefix", "target/axe", AXE)
              .redirectErrorStream(true)
              .redirectOutput(Path.of("target", "axe-install.log").toFile())
              .start();
      boolean done = p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES);
      if (System.getenv("CI") != null)
        assertTrue(
            done && p.exitValue() == 0 && Files.exists(js),
            "npm install " + AXE + ": see target/axe-install.log");
      Assumptions.assumeTrue(done && Files.exists(js), "npm could not install " + AXE);
    }
    return Files.readString(js);
  }

  /**
   * The serious and critical violations axe-core finds on the page now, one line each ("rule: help
   * (the elements)"); minor and moderate ones are not counted.
   */
  @SuppressWarnings("unchecked")
  private static List<String> accessibilityViolations(WebDriver driver, String axe) {
    ChromeDriver chrome = (ChromeDriver) driver;
    chrome.executeScript(axe);
    Object result =
        chrome.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', ') + ')')))"
                + ".catch(e => done(['axe failed: ' + e]));");
    return (List<String>) result;
  }

  /**
   * A read token's dashboard: the data is shown and no action is (each would be a 403), on the
   * queue's and on a job's page.
   */
  @Test
  void aReadTokenSeesTheDataAndNoAction() throws Exception {
    WebDriver driver = chrome();
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("ro");
      int port = RedisServerProcess.freePort();
      JsonObject conf = h.conf(new JsonObject().put(name, VertiqHarness.queue("noop", 1, 5)));
      conf.put(
          "http",
          VertiqHarness.http(port)
              .put(
                  "auth",
                  new JsonObject()
                      .put("tokens", new JsonArray().add("adm1n"))
                      .put("readTokens", new JsonArray().add("r3ad"))));
      h.deploy(conf);
      String id =
          await(h.queue(name).enqueue(NewJob.of("later", new JsonObject()).setDelayMs(3_600_000)))
              .id();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class);
      String base = "http://127.0.0.1:" + port + "/";
      driver.get(base + "dashboard.css"); // same origin, no API call (which would ask for a token)
      // the token the page would prompt for, given before it loads
      ((ChromeDriver) driver).executeScript("localStorage.setItem('vertiq.token', 'r3ad')");
      driver.get(base + "#/queues/" + name + "/jobs/" + id);
      wait.until(d -> "read".equals(d.findElement(By.tagName("body")).getAttribute("data-role")));
      wait.until(d -> d.findElement(By.id("job")).isDisplayed());
      wait.until(d -> !d.findElements(By.cssSelector("#job-actions button")).isEmpty());
      for (WebElement b : driver.findElements(By.cssSelector("#job-actions button")))
        assertFalse(b.isDisplayed(), "a read token sees " + b.getText());
      assertTrue(driver.findElement(By.id("job-payload")).isDisplayed());
      // the queue's page: its row and panels, none of their actions
      driver.get(base + "#/queues/" + name);
      By row = By.cssSelector("tr[data-queue='" + name + "']");
      wait.until(
          d -> d.findElement(row).isDisplayed() && d.findElement(By.id("detail")).isDisplayed());
      for (WebElement b : driver.findElements(By.tagName("button"))) {
        if (b.getAttribute("data-role") != null)
          assertFalse(b.isDisplayed(), "a read token sees " + b.getText());
      }
      assertFalse(driver.findElement(By.id("retry-all")).isDisplayed());
      assertFalse(driver.findElement(row).findElement(By.tagName("button")).isDisplayed());
    } finally {
      driver.quit();
    }
  }

  /**
   * Every page at its own address, with its title and heading, opened at its top; back and forward
   * move between them; a screenshot of each in the light and the dark theme goes under target/.
   */
  @Test
  void eachPageHasItsAddressTitleAndHeadingAndBackAndForwardWork() throws Exception {
    WebDriver driver = chrome();
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("pages");
      int port = serveOneQueue(h, name);
      await(h.queue(name).schedule("nightly", nightly()));
      String id =
          await(h.queue(name).enqueue(NewJob.of("later", new JsonObject()).setDelayMs(3_600_000)))
              .id();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class);
      String base = "http://127.0.0.1:" + port + "/";
      String axe = axeScript();
      record Page(String hash, String title, By shows, String file) {}
      List<Page> pages =
          List.of(
              new Page("#/", "Overview", By.id("summary"), "overview"),
              new Page("#/nodes", "Nodes", By.id("nodes-panel"), "nodes"),
              new Page("#/schedules", "Schedules", By.id("all-schedules"), "schedules"),
              new Page("#/flows", "Flows and batches", By.id("all-flows"), "flows"),
              new Page("#/queues/" + name, "Queue " + name, By.id("jobs-panel"), "queue"),
              new Page("#/queues/" + name + "/jobs/" + id, "Job " + id, By.id("job"), "job"));
      for (String theme : List.of("light", "dark")) {
        ((ChromeDriver) driver)
            .executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of(
                    "features", List.of(Map.of("name", "prefers-color-scheme", "value", theme))));
        for (Page p : pages) {
          driver.get(base + p.hash());
          wait.until(d -> d.getTitle().equals(p.title() + " · Vertiq"));
          wait.until(d -> d.findElement(By.id("page-title")).getText().equals(p.title()));
          wait.until(d -> d.findElement(p.shows()).isDisplayed());
          Object top = ((ChromeDriver) driver).executeScript("return window.scrollY");
          assertEquals(0L, ((Number) top).longValue(), p.hash() + " opens at its top");
          // the other pages' own sections are not on it
          for (Page other : pages)
            if (!other.shows().equals(p.shows())
                && !(p.file().equals("overview") && other.file().equals("nodes")))
              assertFalse(
                  driver.findElement(other.shows()).isDisplayed(),
                  other.file() + " shown on " + p.hash());
          Files.copy(
              ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
              Path.of("target", "console-" + p.file() + "-" + theme + ".png"),
              StandardCopyOption.REPLACE_EXISTING);
          assertEquals(
              List.of(),
              accessibilityViolations(driver, axe),
              "axe-core on " + p.hash() + " (" + theme + ")");
        }
      }
      // a phone's screen: no page scrolls sideways (wide tables scroll inside their panel)
      driver.manage().window().setSize(new Dimension(390, 844));
      for (Page p : pages) {
        driver.get(base + p.hash());
        wait.until(d -> d.findElement(p.shows()).isDisplayed());
        Object wide =
            ((ChromeDriver) driver)
                .executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertTrue(
            ((Number) wide).longValue() <= 1, p.hash() + " is " + wide + " px wider than a phone");
      }
      driver.manage().window().setSize(new Dimension(1400, 900));
      // the schedules page shows the next fire in the schedule's zone
      driver.get(base + "#/schedules");
      wait.until(
          d ->
              d.findElements(By.cssSelector("#schedules-all tbody tr")).stream()
                  .anyMatch(
                      tr ->
                          tr.getText().contains("nightly")
                              && tr.getText().contains("(Europe/Berlin)")));
      // the open batch on the flows page, linked to its page; 55 open ones (each a record and its
      // callback, which waits for it: 110 waiting jobs) fill two pages and part of a third
      String batch =
          await(h.vertiq.openBatch(name, NewJob.of("all-done", new JsonObject()), null))
              .getString("id");
      for (int i = 0; i < 54; i++)
        await(h.vertiq.openBatch(name, NewJob.of("all-done", new JsonObject()), null));
      driver.get(base + "#/flows");
      wait.until(
          d ->
              d.findElements(By.cssSelector("#flows-all tr[data-id='" + batch + "']")).stream()
                  .anyMatch(tr -> tr.getText().contains("batch")));
      assertEquals(50, driver.findElements(By.cssSelector("#flows-all tbody tr")).size());
      String flowsPage =
          wait.until(
              d -> {
                String t = d.findElement(By.id("flows-page")).getText();
                return t.isEmpty() ? null : t;
              });
      assertTrue(flowsPage.contains("110 open in all"), flowsPage);
      driver.findElement(By.id("flows-next")).click();
      wait.until(d -> d.findElement(By.id("flows-page")).getText().startsWith("page 2"));
      driver.findElement(By.id("flows-next")).click();
      wait.until(d -> d.findElements(By.cssSelector("#flows-all tbody tr")).size() == 10);
      wait.until(d -> d.findElement(By.id("flows-page")).getText().contains("(last page)"));
      assertFalse(driver.findElement(By.id("flows-next")).isEnabled());
      driver.findElement(By.id("flows-prev")).click();
      wait.until(d -> d.findElements(By.cssSelector("#flows-all tbody tr")).size() == 50);
      // the overview's figures and Redis
      driver.get(base + "#/");
      wait.until(d -> d.findElement(By.id("redis-info")).getText().contains("Redis"));
      wait.until(d -> d.findElement(By.id("sum-nodes")).getText().equals("1"));
      // from the overview to the queue by its link, to the job; back, back, forward
      driver.findElement(By.cssSelector("#queues a[href='#/queues/" + name + "']")).click();
      wait.until(d -> d.getTitle().equals("Queue " + name + " · Vertiq"));
      driver.get(base + "#/queues/" + name + "/jobs/" + id);
      wait.until(d -> d.getTitle().equals("Job " + id + " · Vertiq"));
      driver.navigate().back();
      wait.until(d -> d.getTitle().equals("Queue " + name + " · Vertiq"));
      wait.until(d -> d.findElement(By.id("jobs-panel")).isDisplayed());
      driver.navigate().back();
      wait.until(d -> d.getTitle().equals("Overview · Vertiq"));
      driver.navigate().forward();
      wait.until(d -> d.getTitle().equals("Queue " + name + " · Vertiq"));
      assertFalse(driver.findElement(By.id("job")).isDisplayed());
    } finally {
      driver.quit();
    }
  }

  /**
   * A description of an element that survives the page's refreshes (which may replace a row's
   * buttons): its tag, id, text, section and row.
   */
  private static final String DESCRIBE =
      "const describe = e => e ? [e.tagName, e.id || '', (e.textContent || e.value || '').trim().slice(0, 40),"
          + " (e.getAttribute('aria-label') || ''), (e.closest('section') || {}).id || '',"
          + " (e.closest('tr') || { dataset: {} }).dataset.id || (e.closest('tr') || { dataset: {} }).dataset.queue || ''].join('|') : '';";

  /** Every action on the page now: visible, enabled buttons, links and form fields in main. */
  @SuppressWarnings("unchecked")
  private static List<String> actions(WebDriver driver) {
    return (List<String>)
        ((ChromeDriver) driver)
            .executeScript(
                DESCRIBE
                    + "return [...document.querySelectorAll('button, a[href], input, select')]"
                    + ".filter(e => !e.disabled && e.offsetParent !== null && e.getClientRects().length > 0"
                    + " && getComputedStyle(e).visibility !== 'hidden').map(describe);");
  }

  /** What has the keyboard's focus. */
  private static String focused(WebDriver driver) {
    return (String)
        ((ChromeDriver) driver)
            .executeScript(DESCRIBE + "return describe(document.activeElement);");
  }

  /**
   * Presses Tab from the top of the page until every action has had the focus (or too many
   * presses); returns the actions never reached.
   */
  private static List<String> notReachedByTab(WebDriver driver) {
    List<String> all = actions(driver);
    Set<String> reached = new HashSet<>();
    ((ChromeDriver) driver).executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
    for (int i = 0; i < all.size() * 2 + 40 && !reached.containsAll(all); i++) {
      new Actions(driver).sendKeys(Keys.TAB).perform();
      reached.add(focused(driver));
    }
    List<String> missing = new ArrayList<>(all);
    missing.removeAll(reached);
    return missing;
  }

  /**
   * Presses Tab until an element described with every one of {@code parts} has the focus, then
   * Enter.
   */
  private static void tabToAndPress(WebDriver driver, String... parts) {
    String target = String.join(" ", parts);
    ((ChromeDriver) driver).executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
    for (int i = 0; i < 400; i++) {
      new Actions(driver).sendKeys(Keys.TAB).perform();
      String now = focused(driver);
      if (Arrays.stream(parts).allMatch(now::contains)) {
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        return;
      }
    }
    throw new AssertionError("Tab never reached " + target);
  }

  /**
   * Every action of the overview, a queue and a job is reached by Tab alone, and works by Enter: a
   * queue paused and resumed, a delayed job run now, from the keyboard.
   */
  @Test
  void everyActionIsReachedAndPressedByKeyboard() throws Exception {
    WebDriver driver = chrome();
    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("keys");
      int port = serveOneQueue(h, name);
      String delayed =
          await(h.queue(name).enqueue(NewJob.of("later", new JsonObject()).setDelayMs(3_600_000)))
              .id();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
      wait.ignoring(StaleElementReferenceException.class);
      String base = "http://127.0.0.1:" + port + "/";
      for (String page :
          List.of("#/", "#/queues/" + name, "#/queues/" + name + "/jobs/" + delayed)) {
        driver.get(base + page);
        wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
        int count = actions(driver).size();
        assertTrue(count >= 5, page + " shows " + count + " actions");
        List<String> missing = notReachedByTab(driver);
        assertEquals(List.of(), missing, "actions Tab does not reach on " + page);
      }
      // by the keyboard alone: pause and resume the queue, run the delayed job now
      driver.get(base + "#/queues/" + name);
      wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-rendered") != null);
      tabToAndPress(driver, "BUTTON||Pause|", "|" + name);
      until(
          "paused from the keyboard",
          Duration.ofSeconds(10),
          () -> await(h.queue(name).counts()).paused());
      wait.until(
          d ->
              d.findElement(By.cssSelector("#queues tr[data-queue='" + name + "'] button"))
                  .getText()
                  .equals("Resume"));
      tabToAndPress(driver, "BUTTON||Resume|", "|" + name);
      until(
          "resumed from the keyboard",
          Duration.ofSeconds(10),
          () -> !await(h.queue(name).counts()).paused());
      driver.get(base + "#/queues/" + name + "/jobs/" + delayed);
      wait.until(d -> d.findElement(By.id("jobstate")).getText().equals("delayed"));
      tabToAndPress(driver, "Run now");
      until(
          "the delayed job run now from the keyboard",
          Duration.ofSeconds(10),
          () ->
              TestSupport.gone(h.queue(name), delayed)
                  || await(h.queue(name).get(delayed)).state() != JobState.DELAYED);
    } finally {
      driver.quit();
    }
  }

  @Test
  void showsQueuesAndRetriesADeadJobFromTheBrowser() throws Exception {

    try (VertiqHarness h = new VertiqHarness()) {
      String name = TestSupport.randomName("ui");
      int port = RedisServerProcess.freePort();
      String hostile = TestSupport.randomName("xss");
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(
                      name,
                      VertiqHarness.queue(RecordingHandler.class.getName(), 1, 5)
                          .put("attempts", 1))
                  .put(hostile, VertiqHarness.queue("sleep", 1, 5).put("attempts", 1)));
      conf.put("http", VertiqHarness.http(port));
      h.deploy(conf);
      String dead =
          await(h.queue(name).enqueue(NewJob.of("doomed", new JsonObject().put("failTimes", -1))))
              .id();
      until(
          "the job is dead",
          Duration.ofSeconds(10),
          () -> await(h.queue(name).counts()).dead() == 1);
      await(
          h.queue(name)
              .pause()); // so the retried job stays visible in ready instead of dying again

      WebDriver driver = chrome();
      try {
        // the dashboard redraws its tables on every refresh, so an element found a moment ago can
        // be gone: every
        // step finds what it reads or clicks again, and a stale element means "try again", not a
        // failure
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        driver.get("http://127.0.0.1:" + port + "/");
        By row = By.cssSelector("tr[data-queue='" + name + "']");
        wait.until(d -> d.findElement(row).getText().contains("paused"));
        wait.until(
            d -> d.findElement(row).findElement(By.cssSelector("td.dead")).getText().equals("1"));
        // the node registry: this node, with the queue it runs
        wait.until(
            d ->
                d.findElements(By.cssSelector("#nodes tbody tr")).stream()
                    .anyMatch(
                        tr ->
                            tr.getText().contains("this node")
                                && tr.getText().contains(name + " 1 × 5")));
        // and the jobs running on it (the Busy view): a slow one, listed with a link to its page
        String slow =
            await(
                    h.queue(hostile)
                        .enqueue(NewJob.of("slow-report", new JsonObject().put("ms", 8_000))))
                .id();
        By busy =
            By.cssSelector("#nodes td.busy a[href='#/queues/" + hostile + "/jobs/" + slow + "']");
        String listed =
            wait.until(d -> d.findElements(busy).isEmpty() ? null : d.findElement(busy).getText());
        assertEquals(hostile + " #" + slow + " slow-report", listed);

        wait.until(
            d -> {
              d.findElement(row).click();
              return true;
            });
        By deadRow = By.cssSelector("#dead tr[data-id='" + dead + "']");
        String jobText =
            wait.until(
                d -> d.findElements(deadRow).isEmpty() ? null : d.findElement(deadRow).getText());
        assertTrue(jobText.contains("planned failure 1"), jobText);
        Files.copy(
            ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
            Path.of("target", "dashboard.png"),
            StandardCopyOption.REPLACE_EXISTING);

        wait.until(
            d -> {
              if (d.findElements(deadRow).isEmpty())
                return true; // a click that went through before its element went stale
              d.findElement(deadRow).findElement(By.cssSelector("button.retry")).click();
              return true;
            });
        wait.until(d -> d.findElements(deadRow).isEmpty());
        wait.until(
            d -> d.findElement(row).findElement(By.cssSelector("td.ready")).getText().equals("1"));
        assertEquals(0, await(h.queue(name).counts()).dead());
        Files.copy(
            ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
            Path.of("target", "dashboard-after-retry.png"),
            StandardCopyOption.REPLACE_EXISTING);

        // scale on every node (here the one): 2 instances, as the queue's row then says
        wait.until(
            d -> {
              WebElement n = d.findElement(By.id("scale-n"));
              n.clear();
              n.sendKeys("2");
              d.findElement(By.id("scale-all")).click();
              return true;
            });
        wait.until(
            d -> d.findElement(By.id("scale-result")).getText().equals("asked of 1 node(s)"));
        wait.until(d -> d.findElement(row).getText().contains("2 × 5"));

        // the limits panel: a schedule with its next fire, a group with its backlog, and a group
        // paused by a click
        await(h.queue(name).schedule("nightly", nightly()));
        await(
            h.queue(name)
                .enqueueBulk(
                    List.of(
                        NewJob.of("t", new JsonObject()).setGroup("acme"),
                        NewJob.of("t", new JsonObject()).setGroup("acme"))));
        By schedRow = By.cssSelector("#schedules tr[data-schedule='nightly']");
        wait.until(
            d ->
                !d.findElements(schedRow).isEmpty()
                    && d.findElement(schedRow).getText().contains("0 3 * * * Europe/Berlin"));
        By groupRow = By.cssSelector("#groups tr[data-group='acme']");
        wait.until(d -> cellIs(d, groupRow, 1, "2"));
        wait.until(
            d -> {
              if (await(h.queue(name).group("acme")).getBoolean("paused")) return true;
              d.findElement(groupRow).findElement(By.cssSelector("button.pause")).click();
              return await(h.queue(name).group("acme")).getBoolean("paused");
            });
        wait.until(d -> d.findElement(groupRow).getText().contains("paused"));
        // its limits set at run time, with its weight
        await(h.queue(name).setGroupLimits("acme", GroupLimits.none().concurrency(2).weight(3)));
        wait.until(d -> d.findElement(groupRow).getText().contains("at most 2 running, weight 3"));
        Files.copy(
            ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
            Path.of("target", "dashboard-limits.png"),
            StandardCopyOption.REPLACE_EXISTING);
        // the schedule's buttons: Pause, Resume, Run now (the queue is paused: the fired job waits)
        Function<String, Boolean> schedulePaused =
            n ->
                await(h.queue(name).schedules()).stream()
                    .map(o -> (JsonObject) o)
                    .filter(o -> o.getString("name").equals(n))
                    .findFirst()
                    .orElseThrow()
                    .getBoolean("paused");
        wait.until(
            d -> {
              if (schedulePaused.apply("nightly")) return true;
              d.findElement(schedRow).findElement(By.cssSelector("button.pause")).click();
              return schedulePaused.apply("nightly");
            });
        wait.until(
            d -> {
              if (!schedulePaused.apply("nightly")) return true;
              d.findElement(schedRow).findElement(By.cssSelector("button.resume")).click();
              return !schedulePaused.apply("nightly");
            });
        long enqueuedBefore = await(h.queue(name).counts()).total("enqueued");
        wait.until(
            d ->
                d.findElement(schedRow)
                    .findElement(By.cssSelector("button.trigger"))
                    .isDisplayed());
        driver.findElement(schedRow).findElement(By.cssSelector("button.trigger")).click();
        until(
            "the schedule fired by hand",
            Duration.ofSeconds(10),
            () -> await(h.queue(name).counts()).total("enqueued") > enqueuedBefore);

        // the queue's history, drawn by the charting library from the jar: a chart of its runs per
        // minute
        wait.until(
            d ->
                !d.findElements(By.cssSelector("#chart-jobs .uplot canvas")).isEmpty()
                    && !d.findElements(By.cssSelector("#chart-wait .uplot canvas")).isEmpty());
        String legend =
            wait.until(d -> d.findElement(By.cssSelector("#chart-jobs .u-legend")).getText());
        assertTrue(legend.contains("completed") && legend.contains("failed"), legend);
        String waitLegend =
            wait.until(d -> d.findElement(By.cssSelector("#chart-wait .u-legend")).getText());
        assertTrue(waitLegend.contains("p50") && waitLegend.contains("p95"), waitLegend);
        // over 7 days the charts go hour by hour
        driver.findElement(By.cssSelector("#history-ranges button[data-minutes='10080']")).click();
        wait.until(d -> d.findElement(By.id("chart-jobs-title")).getText().equals("Runs per hour"));
        Files.copy(
            ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
            Path.of("target", "dashboard-history-7d.png"),
            StandardCopyOption.REPLACE_EXISTING);
        driver.findElement(By.cssSelector("#history-ranges button[data-minutes='60']")).click();
        wait.until(
            d -> d.findElement(By.id("chart-jobs-title")).getText().equals("Runs per minute"));
        Files.copy(
            ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
            Path.of("target", "dashboard-history.png"),
            StandardCopyOption.REPLACE_EXISTING);

        // the metrics per job name: the job that died counted as a failed run, over an hour and a
        // day (workers send their counts every 5 s, the page reads them every 10 s)
        By doomedMetrics = By.cssSelector("#job-metrics tr[data-name='doomed']");
        WebDriverWait flushed = new WebDriverWait(driver, Duration.ofSeconds(40));
        flushed.ignoring(StaleElementReferenceException.class);
        flushed.until(d -> cellIs(d, doomedMetrics, 2, "1"));
        driver.findElement(By.cssSelector("#metrics-periods button[data-period='24h']")).click();
        wait.until(
            d ->
                d.findElement(By.cssSelector("#metrics-periods button[data-period='24h']"))
                        .getAttribute("class")
                        .contains("on")
                    && !d.findElements(doomedMetrics).isEmpty());

        // a waiting job's page: Cancel, once confirmed, deletes it
        BooleanSupplier retriedGone = () -> TestSupport.gone(h.queue(name), dead);
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + name + "/jobs/" + dead);
        wait.until(d -> d.findElement(By.id("jobstate")).getText().equals("ready"));
        wait.until(
            d -> {
              if (retriedGone.getAsBoolean()) return true;
              d.findElement(By.cssSelector("#job-actions button.cancel")).click();
              d.switchTo().alert().accept();
              return retriedGone.getAsBoolean();
            });

        // search by unique key opens the job's page; two ticked jobs go in one bulk Delete
        String keyed =
            await(
                    h.queue(name)
                        .enqueue(NewJob.of("keyed", new JsonObject()).setUniqueKey("find-me")))
                .id();
        String other = await(h.queue(name).enqueue(NewJob.of("other", new JsonObject()))).id();
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + name);
        wait.until(
            d -> {
              d.findElement(By.id("search")).clear();
              d.findElement(By.id("search")).sendKeys("find-me");
              d.findElement(By.id("search-go")).click();
              return d.findElement(By.id("jobid")).getText().contains(name + " / " + keyed);
            });
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + name);
        By readyTab = By.cssSelector("#state-tabs button[data-state='ready']");
        wait.until(
            d -> {
              d.findElement(readyTab).click();
              return d.findElements(By.cssSelector("#jobs tr[data-id='" + other + "'] input.pick"))
                      .size()
                  == 1;
            });
        for (String id : new String[] {keyed, other}) {
          wait.until(
              d -> {
                WebElement box =
                    d.findElement(By.cssSelector("#jobs tr[data-id='" + id + "'] input.pick"));
                if (!box.isSelected()) box.click();
                return box.isSelected();
              });
        }
        wait.until(d -> d.findElement(By.id("chosen-count")).getText().equals("2"));
        driver.findElement(By.id("bulk-delete")).click();
        driver.switchTo().alert().accept();
        until(
            "both deleted",
            Duration.ofSeconds(10),
            () ->
                TestSupport.gone(h.queue(name), other)
                    && await(h.queue(name).search("find-me")).isEmpty());
        Files.copy(
            ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
            Path.of("target", "dashboard-jobs.png"),
            StandardCopyOption.REPLACE_EXISTING);

        // a delayed job, ticked on the Delayed tab, runs now by the bulk "Run now" (the queue is
        // paused: it waits ready)
        String later =
            await(h.queue(name).enqueue(NewJob.of("later", new JsonObject()).setDelayMs(3_600_000)))
                .id();
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + name);
        By delayedTab = By.cssSelector("#state-tabs button[data-state='delayed']");
        wait.until(
            d -> {
              d.findElement(delayedTab).click();
              WebElement box =
                  d.findElement(By.cssSelector("#jobs tr[data-id='" + later + "'] input.pick"));
              if (!box.isSelected()) box.click();
              return box.isSelected();
            });
        driver.findElement(By.id("bulk-promote")).click();
        driver.switchTo().alert().accept();
        until(
            "promoted",
            Duration.ofSeconds(10),
            () -> await(h.queue(name).get(later)).state() == JobState.READY);
        // its page's Priority… asks for the new one
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + name + "/jobs/" + later);
        wait.until(d -> d.findElement(By.id("jobstate")).getText().equals("ready"));
        driver.findElement(By.cssSelector("#job-actions button.priority")).click();
        Alert priority = driver.switchTo().alert();
        priority.sendKeys("7");
        priority.accept();
        until(
            "its priority changed",
            Duration.ofSeconds(10),
            () -> await(h.queue(name).get(later)).priority() == 7);

        // a flow's parent shows its children and their states; a child links back to its parent
        JsonObject flow =
            await(
                h.vertiq.enqueueFlow(
                    Flow.of(name, NewJob.of("parent", new JsonObject()))
                        .child(Flow.of(name, NewJob.of("child-1", new JsonObject())))
                        .child(Flow.of(name, NewJob.of("child-2", new JsonObject())))));
        String flowParent = flow.getString("id");
        String firstChild = flow.getJsonArray("children").getJsonObject(0).getString("id");
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + name + "/jobs/" + flowParent);
        wait.until(
            d ->
                d.findElement(By.id("jobstate")).getText().equals("waiting")
                    && d.findElements(By.cssSelector("#job-children tbody tr")).size() == 2
                    && d.findElement(By.id("job-parent")).getText().contains("waiting for 2 more"));
        ((ChromeDriver) driver).executeScript("document.getElementById('job').scrollIntoView()");
        Files.copy(
            ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
            Path.of("target", "dashboard-flow.png"),
            StandardCopyOption.REPLACE_EXISTING);
        // the child's page may render after this check: look first, and click the link only while
        // it is still there
        // (on the child's page it is gone, and a wait that only clicked would never see the page it
        // opened)
        wait.until(
            d -> {
              if (d.findElement(By.id("job-parent"))
                  .getText()
                  .contains("Parent: " + name + " / " + flowParent)) return true;
              List<WebElement> link =
                  d.findElements(
                      By.cssSelector("#job-children a[href$='/jobs/" + firstChild + "']"));
              if (!link.isEmpty()) link.get(0).click();
              return false;
            });

        // a batch's record shows its progress and links its callbacks
        JsonObject batch =
            await(h.vertiq.openBatch(name, null, NewJob.of("report", new JsonObject())));
        await(
            h.vertiq.addToBatch(
                name, batch.getString("id"), name, List.of(NewJob.of("row", new JsonObject()))));
        driver.get(
            "http://127.0.0.1:" + port + "/#/queues/" + name + "/jobs/" + batch.getString("id"));
        wait.until(
            d ->
                d.findElement(By.id("job-batch"))
                        .getText()
                        .contains("Batch open: 1 pending, 0 succeeded, 0 failed")
                    && d.findElement(By.id("job-batch"))
                        .getText()
                        .contains(
                            "onComplete: " + batch.getJsonObject("onComplete").getString("id")));

        // every piece of job data is text: a name, a payload and an error holding markup show as
        // it, run nothing
        String markup = "<img src=x onerror=alert(1)>";
        String evil =
            await(
                    h.queue(hostile)
                        .enqueue(
                            NewJob.of(
                                markup, new JsonObject().put("html", markup).put("error", markup))))
                .id();
        until(
            "the hostile job is dead",
            Duration.ofSeconds(10),
            () -> await(h.queue(hostile).counts()).dead() == 1);
        // a job's page has an address of its own
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + hostile + "/jobs/" + evil);
        wait.until(d -> d.findElement(By.id("jobid")).getText().contains(markup));
        wait.until(
            d ->
                d.findElement(By.id("job-payload")).getText().contains(markup)
                    && d.findElement(By.id("job-error")).getText().contains(markup)
                    && d.findElement(By.id("jobstate")).getText().equals("dead"));
        assertEquals(
            0, driver.findElements(By.tagName("img")).size(), "no markup became an element");
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
        // and in the queue's lists
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + hostile);
        By deadTab = By.cssSelector("#state-tabs button[data-state='dead']");
        wait.until(
            d -> {
              d.findElement(deadTab).click();
              return !d.findElements(By.cssSelector("#jobs tr[data-id='" + evil + "']")).isEmpty();
            });
        wait.until(
            d ->
                d.findElement(By.cssSelector("#dead tr[data-id='" + evil + "']"))
                    .getText()
                    .contains(markup));
        assertEquals(
            0,
            driver.findElements(By.tagName("img")).size(),
            "no markup from job data became an element");
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
        Files.copy(
            ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
            Path.of("target", "dashboard-job.png"),
            StandardCopyOption.REPLACE_EXISTING);
        // and its page's Delete action
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + hostile + "/jobs/" + evil);
        wait.until(
            d -> {
              if (await(h.queue(hostile).counts()).dead() == 0) return true;
              d.findElement(By.cssSelector("#job-actions button.delete")).click();
              return await(h.queue(hostile).counts()).dead() == 0;
            });

        // "clean older than" on the dead tab: the prompt's age, then every dead job older than it
        // is gone
        await(h.queue(hostile).enqueue(NewJob.of("doomed", new JsonObject().put("error", "x"))));
        until(
            "another dead job",
            Duration.ofSeconds(10),
            () -> await(h.queue(hostile).counts()).dead() == 1);
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + hostile);
        wait.until(
            d -> {
              d.findElement(deadTab).click();
              return d.findElement(By.id("clean-older")).isDisplayed();
            });
        driver.findElement(By.id("clean-older")).click();
        Alert ask = driver.switchTo().alert();
        ask.sendKeys("0ms");
        ask.accept();
        until(
            "cleaned", Duration.ofSeconds(10), () -> await(h.queue(hostile).counts()).dead() == 0);
        // Retry all and Delete all on the dead jobs; then the queue's own Resume and Pause
        await(h.queue(hostile).enqueue(NewJob.of("doomed", new JsonObject().put("error", "x"))));
        until(
            "a dead job again",
            Duration.ofSeconds(10),
            () -> await(h.queue(hostile).counts()).dead() == 1);
        long revived = await(h.queue(hostile).counts()).total("revived");
        wait.until(d -> d.findElement(By.id("retry-all")).isDisplayed());
        driver.findElement(By.id("retry-all")).click();
        until(
            "retried",
            Duration.ofSeconds(10),
            () -> await(h.queue(hostile).counts()).total("revived") > revived);
        until(
            "dead again after its run",
            Duration.ofSeconds(10),
            () -> await(h.queue(hostile).counts()).dead() == 1);
        driver.findElement(By.id("clear-dead")).click();
        driver.switchTo().alert().accept();
        until(
            "every dead job deleted",
            Duration.ofSeconds(10),
            () -> await(h.queue(hostile).counts()).dead() == 0);
        By hostileRow = By.cssSelector("tr[data-queue='" + hostile + "']");
        wait.until(
            d -> {
              if (await(h.queue(hostile).counts()).paused()) return true;
              d.findElement(hostileRow).findElement(By.tagName("button")).click();
              return await(h.queue(hostile).counts()).paused();
            });
        wait.until(d -> d.findElement(hostileRow).getText().contains("paused"));
        wait.until(
            d -> {
              if (!await(h.queue(hostile).counts()).paused()) return true;
              d.findElement(hostileRow).findElement(By.tagName("button")).click();
              return !await(h.queue(hostile).counts()).paused();
            });

        // a phone's screen: one column, and the page no wider than the screen (wide tables scroll
        // inside)
        driver.manage().window().setSize(new Dimension(390, 844));
        driver.get("http://127.0.0.1:" + port + "/#/queues/" + name);
        wait.until(d -> d.findElement(By.id("detail")).isDisplayed());
        Object wide =
            ((ChromeDriver) driver)
                .executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertTrue(
            ((Number) wide).longValue() <= 1,
            "the page is " + wide + " px wider than a phone's screen");
        Files.copy(
            ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
            Path.of("target", "dashboard-phone.png"),
            StandardCopyOption.REPLACE_EXISTING);
      } finally {
        driver.quit();
      }
    }
  }
}
