package io.vertiq.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem found in a conf, each naming its JSON path, so all are reported at once.
 */
public final class ConfigErrors {
  private final List<String> messages = new ArrayList<>();

  public void add(String path, String problem) {
    messages.add(path + ": " + problem);
  }

  public int size() {
    return messages.size();
  }

  public boolean isEmpty() {
    return messages.isEmpty();
  }

  public List<String> messages() {
    return List.copyOf(messages);
  }

  /** Throws one exception carrying every message when anything was wrong. */
  public void throwIfAny() {
    if (!messages.isEmpty()) {
      throw new InvalidConfigException(messages());
    }
  }
}
