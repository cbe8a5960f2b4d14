package io.vertiq.redis;

import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.Map;

/** Small readers for script replies, which are flat arrays that may hold nils. */
public final class Responses {
  private Responses() {}

  /**
   * A flat field/value array (HGETALL inside a script always gives one), or a RESP3 map (HGETALL
   * sent on its own), as a map.
   */
  public static Map<String, String> hash(Response r) {
    Map<String, String> m = new HashMap<>();
    if (r == null) return m;
    if (r.isMap()) {
      for (String k : r.getKeys()) m.put(k, StoredText.anyText(r.get(k)));
      return m;
    }
    for (int i = 0; i + 1 < r.size(); i += 2) {
      Response v = r.get(i + 1);
      // a payload or result may be stored compressed (see StoredText)
      m.put(r.get(i).toString(), StoredText.anyText(v));
    }
    return m;
  }
}
