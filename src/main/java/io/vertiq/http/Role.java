package io.vertiq.http;

import java.util.Locale;

/**
 * What a bearer token may do, each role everything the one before may: read sees everything and
 * changes nothing; operate also enqueues, retries, cancels, promotes, signals, pauses, resumes and
 * scales; admin also deletes, cleans, redeploys and changes schedules and limits. Each operation of
 * openapi.yaml names the role it needs in {@code x-vertiq-role}.
 */
enum Role {
  READ,
  OPERATE,
  ADMIN;

  /** The routing context's key of the caller's role (absent when the API asks for no token). */
  static final String KEY = "vertiq.role";

  /** The OpenAPI extension that names an operation's role. */
  static final String EXTENSION = "x-vertiq-role";

  boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The word the document and the answers use: read, operate, admin. */
  String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role of a word, or null when the word names none. */
  static Role of(Object word) {
    for (Role r : values()) if (r.word().equals(word)) return r;
    return null;
  }
}
