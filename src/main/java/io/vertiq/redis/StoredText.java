package io.vertiq.redis;

import com.github.luben.zstd.Zstd;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text values that may be stored zstd-compressed: a job's payload and a completed run's result over
 * the queue's compression threshold (queues.&lt;q&gt;.compression). A compressed value is a zstd
 * frame, which starts with the bytes 28 B5 2F FD: no UTF-8 text can start so (B5 is a continuation
 * byte, never the second byte after an ASCII one), so a reader tells the two apart from the first
 * bytes alone and no flag is stored. A completed run's record keeps its header ("attempt NUL
 * started NUL") uncompressed before its result, because finishJobs reads the result from after the
 * second NUL and hands it to a flow's parent as it is.
 */
public final class StoredText {
  private static final byte[] MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};

  /** How far into a value a record's header may reach (two numbers and two NULs). */
  private static final int MAX_HEADER = 48;

  private StoredText() {}

  /** A zstd frame of {@code len} bytes of {@code utf8} at {@code level}. */
  public static byte[] compress(byte[] utf8, int len, int level) {
    byte[] in = len == utf8.length ? utf8 : Arrays.copyOf(utf8, len);
    return Zstd.compress(in, level);
  }

  /** A value as text (a payload, a child's result), decompressed if it was stored compressed. */
  public static String text(Response r) {
    if (r == null) return null;
    if (r.type() != ResponseType.BULK) return r.toString();
    Buffer b = r.toBuffer();
    return b != null && magicAt(b, 0) ? decode(b, 0) : r.toString();
  }

  /**
   * {@link #text(Response)} for any field of a job's hash or done record: also a completed run's
   * record whose result was stored compressed.
   */
  public static String anyText(Response r) {
    if (r == null) return null;
    if (r.type() != ResponseType.BULK) return r.toString();
    Buffer b = r.toBuffer();
    int at = b == null ? -1 : compressedAt(b);
    return at < 0 ? r.toString() : decode(b, at);
  }

  /**
   * Where a compressed part starts: 0 for a compressed value, after a record's header for a record
   * with a compressed result; -1 when the value is plain text.
   */
  static int compressedAt(Buffer b) {
    int len = b.length();
    if (len < MAGIC.length) return -1;
    if (magicAt(b, 0)) return 0;
    // a record "attempt NUL started NUL result": only a value with a NUL near its start is looked
    // at
    int end = Math.min(len - MAGIC.length, MAX_HEADER);
    int nuls = 0;
    for (int i = 0; i < end; i++) {
      if (b.getByte(i) != 0) continue;
      if (++nuls == 2) return magicAt(b, i + 1) ? i + 1 : -1;
    }
    return -1;
  }

  private static boolean magicAt(Buffer b, int at) {
    if (b.length() < at + MAGIC.length) return false;
    for (int i = 0; i < MAGIC.length; i++) if (b.getByte(at + i) != MAGIC[i]) return false;
    return true;
  }

  private static String decode(Buffer b, int at) {
    byte[] frame = b.getBytes(at, b.length());
    long size = Zstd.getFrameContentSize(frame);
    if (size < 0 || size > Integer.MAX_VALUE) {
      throw new IllegalStateException("a compressed value in Redis has no readable size");
    }
    String text = new String(Zstd.decompress(frame, (int) size), StandardCharsets.UTF_8);
    return at == 0 ? text : b.getString(0, at, "UTF-8") + text;
  }
}
