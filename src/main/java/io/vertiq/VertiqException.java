package io.vertiq;

/**
 * An error with a named code, so every caller (Java, event bus, HTTP) maps it the same way: the
 * HTTP layer turns {@link Code} into a status, the event bus into a failure code.
 */
public class VertiqException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, with the HTTP status and event-bus failure code it maps to. */
  public enum Code {
    INVALID_ARGUMENT(400),
    UNAUTHORIZED(401),
    NOT_FOUND(404),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    UNAVAILABLE(503),
    INTERNAL(500);

    private final int status;

    Code(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }

    /** The JSON error code, e.g. "invalid_argument". */
    public String id() {
      return name().toLowerCase();
    }
  }

  private final Code code;

  public VertiqException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static VertiqException invalid(String message) {
    return new VertiqException(Code.INVALID_ARGUMENT, message);
  }

  public static VertiqException notFound(String message) {
    return new VertiqException(Code.NOT_FOUND, message);
  }
}
