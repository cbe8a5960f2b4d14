package io.vertiq.http;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JSON the build writes is the YAML document, and the contract loads from it. */
class HttpContractTest {
  private static byte[] resource(String path) throws Exception {
    try (InputStream in = HttpContractTest.class.getClassLoader().getResourceAsStream(path)) {
      assertNotNull(in, path + " is on the classpath");
      return in.readAllBytes();
    }
  }

  @Test
  void theBuildsJsonIsTheYamlDocumentAndNamesIt() throws Exception {
    byte[] yaml = resource(HttpContract.PATH);
    JsonObject copy =
        new JsonObject(new String(resource(HttpContract.JSON_PATH), StandardCharsets.UTF_8));
    assertEquals(HttpContract.sha1(yaml), copy.getString("yamlSha1"));
    JsonObject doc = HttpContract.fromYaml(yaml);
    assertEquals(doc, copy.getJsonObject("document"));
    assertEquals(doc, HttpContract.document());
    assertTrue(doc.getJsonObject("paths").containsKey("/ready"), "a path of the document");
  }

  @Test
  void aCopyMadeFromAnotherYamlOrNoneIsPassedOverForTheYaml() throws Exception {
    byte[] yaml = resource(HttpContract.PATH);
    JsonObject doc = HttpContract.fromYaml(yaml);
    JsonObject stale =
        new JsonObject()
            .put(
                "yamlSha1", HttpContract.sha1("an older document".getBytes(StandardCharsets.UTF_8)))
            .put("document", new JsonObject().put("openapi", "3.1.0"));
    assertEquals(doc, HttpContract.document(yaml, stale.encode().getBytes(StandardCharsets.UTF_8)));
    assertEquals(doc, HttpContract.document(yaml, null));
  }

  @Test
  void theContractLoadsWithEveryOperation() {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract c = await(HttpContract.load(vertx));
      assertNotNull(c.operation("enqueue"));
      assertNotNull(c.operation("ready"));
    } finally {
      await(vertx.close());
    }
  }
}
