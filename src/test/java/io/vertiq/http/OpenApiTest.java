package io.vertiq.http;

import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.server.Bootstrap;
import io.vertiq.testing.ApiClient;
import io.vertiq.testing.RedisServerProcess;
import io.vertiq.testing.TestSupport;
import io.vertiq.testing.VertiqHarness;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the service serves is the one its router is built from: a valid OpenAPI 3
 * contract (checked by vertx-openapi) whose every operation has a handler, and whose every
 * operation declares its answers' schemas.
 */
class OpenApiTest {
  @Test
  void theServedDocumentIsTheContractTheRouterServes() {
    try (VertiqHarness h = new VertiqHarness()) {
      int port = RedisServerProcess.freePort();
      JsonObject conf =
          h.conf(
              new JsonObject()
                  .put(TestSupport.randomName("api"), new JsonObject().put("handler", "noop")));
      conf.put("http", VertiqHarness.http(port));
      Bootstrap b = h.deploy(conf);
      try (ApiClient api = new ApiClient(h.vertx, port)) {
        assertEquals(
            ApiClient.contractText(),
            api.send("GET", "/openapi.yaml", null).bodyAsString(),
            "served as built");
      }
      OpenAPIContract contract = ApiClient.contract(h.vertx);
      TreeSet<String> documented = new TreeSet<>();
      for (Operation op : contract.operations()) {
        documented.add(op.getOperationId());
        assertFalse(
            op.getDefaultResponse() == null
                && op.getResponse(200) == null
                && op.getResponse(201) == null,
            op.getOperationId() + " declares no success answer");
        for (int status : List.of(200, 201)) {
          var r = op.getResponse(status);
          if (r != null && !op.getOperationId().equals("healthHead")) {
            assertFalse(
                r.getContent().isEmpty(),
                op.getOperationId() + " " + status + " declares no schema");
          }
        }
      }
      assertEquals(
          documented,
          new TreeSet<>(b.http().operations()),
          "every operation of the document is routed");
    }
  }
}
