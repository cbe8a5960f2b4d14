package io.vertiq.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One atomic operation: a Lua file {@code lua/<verbNoun>-<numKeys>.lua} from the classpath, with
 * its SHA-1 so it is called by EVALSHA. The number of keys is read from the file name, so it is
 * stated once. Redis has no includes, so a script pulls in the helpers it uses with a line {@code
 * --- @include "name"} (BullMQ's form), which is replaced by {@code lua/includes/name.lua} at load:
 * each include once, where it is first named, its own includes before it.
 */
public final class LuaScript {
  private final String name;
  private final int numKeys;
  private final String body;
  private final String sha;

  private LuaScript(String name, int numKeys, String body) {
    this.name = name;
    this.numKeys = numKeys;
    this.body = body;
    this.sha = sha1(body);
  }

  /** Loads {@code lua/<file>.lua}, e.g. {@code load("fetchJobs-7")}. */
  public static LuaScript load(String file) {
    int dash = file.lastIndexOf('-');
    int keys = Integer.parseInt(file.substring(dash + 1));
    return new LuaScript(file.substring(0, dash), keys, resolve(resource(file), new HashSet<>()));
  }

  private static final Pattern INCLUDE =
      Pattern.compile("^--- @include \"([A-Za-z0-9_]+)\"\\s*$", Pattern.MULTILINE);

  /**
   * The text with its include lines replaced by the includes (each once: {@code seen} holds those
   * already in).
   */
  static String resolve(String text, Set<String> seen) {
    Matcher m = INCLUDE.matcher(text);
    StringBuilder out = new StringBuilder(text.length() * 2);
    int last = 0;
    // appended as they are: a regex replacement would escape and rescan every include's text
    while (m.find()) {
      String name = m.group(1);
      out.append(text, last, m.start());
      if (seen.add(name))
        out.append(resolve(INCLUDES.computeIfAbsent(name, LuaScript::include), seen));
      last = m.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  /** The includes' texts, read once for all the scripts that pull them in (a start loads ~30). */
  private static final Map<String, String> INCLUDES = new ConcurrentHashMap<>();

  private static String include(String name) {
    return resource("includes/" + name);
  }

  private static String resource(String file) {
    try (InputStream in =
        LuaScript.class.getClassLoader().getResourceAsStream("lua/" + file + ".lua")) {
      if (in == null) throw new IllegalStateException("missing script lua/" + file + ".lua");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public int numKeys() {
    return numKeys;
  }

  public String body() {
    return body;
  }

  public String sha() {
    return sha;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
