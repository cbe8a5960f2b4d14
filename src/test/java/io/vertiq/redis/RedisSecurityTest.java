package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static io.vertiq.testing.TestSupport.until;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.server.Bootstrap;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service on a Redis that asks who it is: a password, an ACL user, and TLS (rediss://) with a
 * CA made here with openssl, hostname verification on by default. Each on a redis-server of the
 * test's own.
 */
class RedisSecurityTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  private static JsonObject conf(JsonObject redis, String queue) {
    return new JsonObject()
        .put(
            "redis", redis.put("startupTimeout", "1s").put("keyPrefix", TestSupport.randomPrefix()))
        .put("http", new JsonObject().put("enabled", false))
        .put("reload", new JsonObject().put("scanPeriod", "0ms"))
        .put("queues", new JsonObject().put(queue, new JsonObject().put("handler", "echo")));
  }

  /** Deploys the service on the conf and runs one job through it. */
  private void runsAJob(JsonObject redis) {
    String queue = TestSupport.randomName("sec");
    Bootstrap b = new Bootstrap(null);
    String id =
        await(vertx.deployVerticle(b, new DeploymentOptions().setConfig(conf(redis, queue))));
    JobQueue q = b.node().vertiq().queue(queue);
    await(q.enqueue(NewJob.of("t", new JsonObject())));
    until(
        "the job completed",
        Duration.ofSeconds(10),
        () -> await(q.counts()).total("completed") == 1);
    await(vertx.undeploy(id));
  }

  /** The start's failure message on the conf. */
  private String startFails(JsonObject redis) {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                await(
                    vertx.deployVerticle(
                        new Bootstrap(null),
                        new DeploymentOptions()
                            .setConfig(conf(redis, TestSupport.randomName("sec"))))));
    return String.valueOf(e.getMessage());
  }

  @Test
  void aPasswordIsUsedAndNeverShown() {
    try (RedisServerProcess own = RedisServerProcess.launch("--requirepass", "pa55-word")) {
      runsAJob(new JsonObject().put("url", "redis://:pa55-word@127.0.0.1:" + own.port()));
      runsAJob(new JsonObject().put("url", own.url()).put("password", "pa55-word"));
      String wrong =
          startFails(new JsonObject().put("url", "redis://:wrong-one@127.0.0.1:" + own.port()));
      assertFalse(wrong.contains("wrong-one"), wrong);
      assertTrue(wrong.contains("127.0.0.1:" + own.port()), wrong);
    }
  }

  @Test
  void anAclUserWithTheRightsRunsJobsAndOneWithoutIsRefused() {
    try (RedisServerProcess own =
        RedisServerProcess.launch(
            "--user",
            "default",
            "off",
            "--user",
            "worker",
            "on",
            ">w0rker",
            "~*",
            "&*",
            "+@all",
            "--user",
            "reader",
            "on",
            ">r3ader",
            "~*",
            "&*",
            "+@read",
            "+ping",
            "+info",
            "+config|get",
            "--user",
            "noscript",
            "on",
            ">n0script",
            "~*",
            "&*",
            "+@all",
            "-@scripting")) {
      runsAJob(new JsonObject().put("url", "redis://worker:w0rker@127.0.0.1:" + own.port()));
      runsAJob(
          new JsonObject().put("url", own.url()).put("user", "worker").put("password", "w0rker"));
      String reader =
          startFails(new JsonObject().put("url", "redis://reader:r3ader@127.0.0.1:" + own.port()));
      assertTrue(reader.contains("NOPERM") || reader.contains("permission"), reader);
      assertFalse(reader.contains("r3ader"), reader);
      // a user with every right but scripting: the start says what is missing, and how to grant it
      String noScripts =
          startFails(
              new JsonObject().put("url", "redis://noscript:n0script@127.0.0.1:" + own.port()));
      assertTrue(
          noScripts.contains("refused a Lua script") && noScripts.contains("+@scripting"),
          noScripts);
      assertFalse(noScripts.contains("n0script"), noScripts);
    }
  }

  @Test
  void tlsWithAnOwnCaChecksTheHostName() throws Exception {
    Path dir = Files.createTempDirectory("vertiq-redis-tls-");
    try {
      openssl(
          dir,
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=Vertiq test CA",
          "-keyout",
          "ca.key",
          "-out",
          "ca.pem");
      openssl(
          dir,
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-subj",
          "/CN=localhost",
          "-keyout",
          "server.key",
          "-out",
          "server.csr");
      Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost\n");
      openssl(
          dir,
          "x509",
          "-req",
          "-in",
          "server.csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-days",
          "1",
          "-extfile",
          "san.ext",
          "-out",
          "server.pem");
      int tlsPort = RedisServerProcess.freePort();
      RedisServerProcess own =
          RedisServerProcess.launch(
              "--tls-port",
              Integer.toString(tlsPort),
              "--tls-cert-file",
              dir.resolve("server.pem").toString(),
              "--tls-key-file",
              dir.resolve("server.key").toString(),
              "--tls-ca-cert-file",
              dir.resolve("ca.pem").toString(),
              "--tls-auth-clients",
              "no");
      try {
        String ca = dir.resolve("ca.pem").toString();
        runsAJob(
            new JsonObject()
                .put("url", "rediss://localhost:" + tlsPort)
                .put("tls", new JsonObject().put("caPath", ca)));
        // the certificate names localhost, not 127.0.0.1: refused while hostname verification is on
        // (the default)
        String mismatch =
            startFails(
                new JsonObject()
                    .put("url", "rediss://127.0.0.1:" + tlsPort)
                    .put("tls", new JsonObject().put("caPath", ca)));
        assertTrue(mismatch.contains("not reachable"), mismatch);
        runsAJob(
            new JsonObject()
                .put("url", "rediss://127.0.0.1:" + tlsPort)
                .put("tls", new JsonObject().put("caPath", ca).put("verifyHost", false)));
        // a server the CA did not sign is not trusted
        String untrusted = startFails(new JsonObject().put("url", "rediss://localhost:" + tlsPort));
        assertTrue(untrusted.contains("not reachable"), untrusted);
      } finally {
        own.close();
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) Files.delete(p);
      }
      Files.delete(dir);
    }
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "openssl " + String.join(" ", args) + ": " + out);
  }
}
