package io.vertiq.config;

import java.util.List;

/** A conf that failed validation; {@link #errors()} has one "json.path: problem" line per error. */
public class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> errors;

  public InvalidConfigException(List<String> errors) {
    super("invalid configuration:\n  " + String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  public InvalidConfigException(String error) {
    this(List.of(error));
  }

  public List<String> errors() {
    return errors;
  }
}
