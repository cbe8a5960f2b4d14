package io.vertiq.http;

import io.vertiq.VertiqException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.ValidatableRequest;

/**
 * Hands a request to the OpenAPI validator, after the check whose answer a schema cannot word: a
 * body that is not JSON gets 415 naming the Content-Type header. The body is the one BodyHandler
 * read, size-limited; a body that does not parse is the validator's refusal, which ApiErrors words
 * with where it broke.
 */
final class ContractRequests implements RequestExtractor {
  @Override
  public Future<ValidatableRequest> extractValidatableRequest(
      RoutingContext ctx, Operation operation) {
    try {
      Buffer body = ctx.body() == null ? null : ctx.body().buffer();
      if (operation.getRequestBody() != null && body != null && body.length() > 0) {
        // the syntax is the validator's to check (one parse per request): ApiErrors words a refusal
        JsonBodies.checkContentType(ctx.request().getHeader("content-type"));
      }
      return RequestUtils.extract(ctx.request(), operation, () -> Future.succeededFuture(body));
    } catch (VertiqException e) {
      return Future.failedFuture(e);
    } catch (IllegalArgumentException e) {
      // a header value with a malformed percent-escape (the extractor URL-decodes header
      // parameters)
      return Future.failedFuture(
          VertiqException.invalid("a header of the request cannot be decoded: " + e.getMessage()));
    }
  }
}
