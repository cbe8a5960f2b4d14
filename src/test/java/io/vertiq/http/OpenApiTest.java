package io.vertiq.http;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.server.Bootstrap;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the service serves: a valid OpenAPI 3 contract (checked by vertx-openapi), every route of
 * the router in it and every path of it routed, so the two cannot drift apart.
 */
class OpenApiTest {
  @Test
  void theServedDocumentIsAValidContractThatMatchesTheRouter() throws Exception {
    try (VertiqHarness h = new VertiqHarness()) {
      int port = RedisServerProcess.freePort();
      JsonObject conf = h.conf(new JsonObject().put(TestSupport.randomName("api"), new JsonObject().put("handler", "noop")));
      conf.put("http", new JsonObject().put("enabled", true).put("port", port).put("host", "127.0.0.1"));
      Bootstrap b = h.deploy(conf);
      WebClient web = WebClient.create(h.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      Buffer served = await(web.get("/openapi.yaml").send()).body();
      web.close();
      Path file = Files.createTempFile("vertiq-openapi-", ".yaml");
      try {
        Files.write(file, served.getBytes());
        OpenAPIContract contract = await(OpenAPIContract.from(h.vertx, file.toString()));
        Set<String> documented = new TreeSet<>();
        for (Operation op : contract.operations()) documented.add(op.getHttpMethod().name() + " " + op.getOpenAPIPath());
        assertEquals(b.http().apiRoutes(), documented, "the router's routes and the document's operations");
      } finally {
        Files.delete(file);
      }
    }
  }
}
