package io.vertiq.redis;

import static io.vertiq.testing.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.vertiq.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every script as Redis gets it: its includes resolved once each, each include used, and Redis
 * compiles it.
 */
class LuaScriptTest {
  private static final Pattern INCLUDE =
      Pattern.compile("^--- @include \"([A-Za-z0-9_]+)\"", Pattern.MULTILINE);
  private static final Pattern DEFINES =
      Pattern.compile("^local (?:function )?([A-Za-z_][A-Za-z0-9_]*)", Pattern.MULTILINE);

  private static List<LuaScript> all() throws IllegalAccessException {
    List<LuaScript> out = new ArrayList<>();
    for (Field f : Scripts.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == LuaScript.class)
        out.add((LuaScript) f.get(null));
    }
    return out;
  }

  private static String resource(String path) throws IOException {
    try (InputStream in =
        LuaScriptTest.class.getClassLoader().getResourceAsStream("lua/" + path + ".lua")) {
      assertNotNull(in, path);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void eachScriptIncludesOnlyHelpersItUsesEachOnce() throws Exception {
    for (LuaScript s : all()) {
      assertFalse(s.body().contains("--- @include"), s.name() + " has an unresolved include");
      String own = resource(s.name() + "-" + s.numKeys());
      String body = INCLUDE.matcher(own).replaceAll("");
      Matcher inc = INCLUDE.matcher(own);
      while (inc.find()) {
        String include = resource("includes/" + inc.group(1));
        List<String> defined = new ArrayList<>();
        Matcher d = DEFINES.matcher(include);
        while (d.find()) defined.add(d.group(1));
        assertTrue(
            defined.stream()
                .anyMatch(name -> Pattern.compile("\\b" + name + "\\b").matcher(body).find()),
            s.name() + " includes " + inc.group(1) + " but uses none of " + defined);
        for (String name : defined) {
          Matcher m =
              Pattern.compile("^local (?:function )?" + name + "\\b", Pattern.MULTILINE)
                  .matcher(s.body());
          int n = 0;
          while (m.find()) n++;
          assertEquals(1, n, s.name() + " defines " + name + " " + n + " times");
        }
      }
      assertTrue(
          Pattern.compile("^local [a-zA-Z, ]+ =\\s*KEYS\\[1\\]", Pattern.MULTILINE)
                  .matcher(own)
                  .find()
              || s.numKeys() == 0,
          s.name() + " names its KEYS as locals");
    }
  }

  @Test
  void redisCompilesEveryScript() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(vertx, TestRedis.url());
      for (LuaScript s : all()) {
        String sha =
            await(redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(s.body()))).toString();
        assertEquals(s.sha(), sha, s.name());
      }
    } finally {
      await(vertx.close());
    }
  }
}
