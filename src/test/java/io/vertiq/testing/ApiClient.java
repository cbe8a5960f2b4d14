package io.vertiq.testing;

import static io.vertiq.testing.TestSupport.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An HTTP client for tests that checks every answer against the OpenAPI document: the status must
 * be one the operation declares, the body must match its schema, and every error must be JSON with
 * "error" and "message". So the document cannot drift from what the server answers.
 */
public final class ApiClient implements AutoCloseable {
  private static final Path DOC = Path.of("src/main/resources/webroot/openapi.yaml");
  private static final Map<Vertx, OpenAPIContract> CONTRACTS = new ConcurrentHashMap<>();
  private final WebClient web;
  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  private String token;

  public ApiClient(Vertx vertx, int port) {
    this.web =
        WebClient.create(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.contract = contract(vertx);
    this.validator = ResponseValidator.create(vertx, contract);
  }

  public static String contractText() {
    try {
      return Files.readString(DOC);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static OpenAPIContract contract(Vertx vertx) {
    return CONTRACTS.computeIfAbsent(vertx, v -> await(OpenAPIContract.from(v, DOC.toString())));
  }

  public ApiClient token(String token) {
    this.token = token;
    return this;
  }

  /**
   * Sends a request (a JSON body unless {@code body} is a String, sent as text/plain) and checks
   * its answer.
   */
  public HttpResponse<Buffer> send(String method, String path, Object body) {
    var req = web.request(HttpMethod.valueOf(method), path);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    HttpResponse<Buffer> r;
    if (body == null) r = await(req.send());
    else if (body instanceof String s)
      r = await(req.putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer(s)));
    else
      r =
          await(
              req.putHeader("content-type", "application/json")
                  .sendBuffer(Buffer.buffer(Json.encode(body))));
    check(contract, validator, method, path, r.statusCode(), r.getHeader("content-type"), r.body());
    return r;
  }

  /**
   * Checks one answer against the operation the method and path name (answers off the API are not
   * checked).
   */
  public static void check(
      OpenAPIContract contract,
      ResponseValidator validator,
      String method,
      String path,
      int status,
      String contentType,
      Buffer body) {
    String bare = path.split("\\?", 2)[0];
    // a probe's DOWN is its health report, as the document says, not an error; a HEAD answer has no
    // body
    if (status >= 400 && !(bare.equals("/ready") && status == 503) && !"HEAD".equals(method)) {
      JsonObject error;
      try {
        error = body == null ? null : body.toJsonObject();
      } catch (RuntimeException e) {
        throw new AssertionError(
            method + " " + path + " answered " + status + " with a body that is not JSON: " + body);
      }
      if (error == null || error.getString("error") == null || error.getString("message") == null) {
        throw new AssertionError(
            method + " " + path + " answered " + status + " without error and message: " + body);
      }
    }
    Operation op;
    try {
      op = contract.findOperation(bare, HttpMethod.valueOf(method));
    } catch (RuntimeException e) {
      op = null;
    }
    if (op == null) return; // the dashboard's files, an unknown path (a 404 checked above)
    if (status == 405 || status == 401 || status == 414 || status == 431)
      return; // answered before any operation
    if (op.getResponse(status) == null && op.getDefaultResponse() == null) {
      throw new AssertionError(
          method
              + " "
              + path
              + " ("
              + op.getOperationId()
              + ") answered "
              + status
              + ", which the document does not declare: "
              + body);
    }
    String type = contentType == null ? null : contentType.split(";", 2)[0].trim();
    // a text answer (the metrics) is checked for its status only: the validator reads JSON bodies,
    // and a path the server normalises onto a static file ("/queues/.." is "/") is the dashboard,
    // not the API
    if (!"application/json".equals(type) || "HEAD".equals(method)) return;
    ValidatableResponse response =
        body == null || body.length() == 0 || "HEAD".equals(method)
            ? ValidatableResponse.create(status)
            : ValidatableResponse.create(status, body, type);
    try {
      await(validator.validate(response, op.getOperationId()));
    } catch (RuntimeException e) {
      Throwable cause = e;
      String detail =
          cause instanceof SchemaValidationException sve && sve.getOutputUnit() != null
              ? sve.getOutputUnit().toJson().encode()
              : String.valueOf(cause.getMessage());
      throw new AssertionError(
          method
              + " "
              + path
              + " ("
              + op.getOperationId()
              + ") answered "
              + status
              + " off its schema: "
              + detail
              + "\nbody: "
              + body,
          e);
    }
  }

  @Override
  public void close() {
    web.close();
  }
}
