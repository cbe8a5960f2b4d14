package io.vertiq.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertiq.JobQueue;
import io.vertiq.NewJob;
import io.vertiq.VertiqException;
import io.vertiq.config.Compression;
import io.vertiq.redis.StoredText;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-job arguments of one enqueueJobs call (see enqueueJobs-15.lua), built as the bytes Redis
 * is sent. One Jackson generator writes every payload of the call, as UTF-8, straight to bytes: a
 * generator per payload (what JsonObject.encode() makes) was half of a bulk producer's time, and a
 * String per payload had then to be joined to the job's name and encoded to UTF-8 again by the
 * Redis client. Not thread-safe; {@link #close} it.
 */
final class EnqueueArgs implements AutoCloseable {
  // the text JsonObject.encode() gives, byte for byte: its generator writes chars, which keep a
  // character outside
  // the BMP as it is, where a UTF-8 generator would write it as two escaped surrogates unless told
  // to combine them; and
  // nothing between one payload and the next
  private static final JsonFactory JSON =
      new JsonFactoryBuilder()
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          .rootValueSeparator((String) null)
          .build();
  private static final byte[] EMPTY = new byte[0];
  private final int maxPayloadBytes;
  private final Compression compression;
  private final List<byte[]> args = new ArrayList<>();
  private final ByteArrayBuilder out = new ByteArrayBuilder(256);
  private JsonGenerator gen;
  private int jobs;
  private String lastName;
  private byte[] lastNameBytes;

  EnqueueArgs(int maxPayloadBytes, Compression compression) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.compression = compression;
  }

  /** Validates a job and appends its arguments; a job that fails adds nothing. */
  void add(NewJob j) {
    add(j, null);
  }

  /**
   * As {@link #add(NewJob)}, for a flow's job: {@code flow} is "<children> NUL <policy>" for a
   * parent (null for a leaf). A flow's jobs always get a hash of their own (their parent, their
   * children are fields of it).
   */
  void add(NewJob j, String flow) {
    add(j, flow, trace);
  }

  /**
   * As {@link #add(NewJob, String)}, for a job that carries a trace context ({@code traceParent};
   * null for none).
   */
  void add(NewJob j, String flow, String traceParent) {
    j.validateOptions();
    String retry = StoredRetry.retry(j);
    boolean defaults =
        j.priority() == 0
            && j.runAt() == 0
            && j.delayMs() == 0
            && retry.isEmpty()
            && j.timeoutMs() <= 0
            && j.uniqueKey() == null
            && j.idempotencyKey() == null
            && flow == null
            && traceParent == null;
    writePayload(j);
    boolean compress = compression.applies(out.size());
    // a job whose only option is its group, or a flow's job whose only link is its parent, is
    // stored as a plain one, that option in its spec (see JobCodec.Spec): no hash of its own to
    // write, read and delete (a compressed one keeps the hash; a flow's job with a group too)
    boolean plain =
        defaults
            && (flowParent == null
                ? j.group() == null || !compress
                : j.group() == null && !compress);
    if (plain) {
      // "<payload JSON> NUL <name>": the tail of the job's spec (see JobCodec.Spec); over the
      // threshold, that tail as one zstd frame (the spec's header stays text: see StoredText)
      out.write(0);
      out.write(nameBytes(j.name()));
      byte[] tail = take();
      if (j.group() != null) args.add(grouped(j.group(), tail));
      else args.add(compress ? StoredText.compress(tail, tail.length, compression.level()) : tail);
    } else {
      byte[] payload = take();
      if (compress) payload = StoredText.compress(payload, payload.length, compression.level());
      args.add(EMPTY);
      args.add(nameBytes(j.name()));
      args.add(payload);
      args.add(ascii(Integer.toString(j.priority())));
      args.add(ascii(Long.toString(j.runAt())));
      args.add(ascii(Long.toString(j.delayMs())));
      args.add(retry.getBytes(StandardCharsets.UTF_8));
      args.add(j.timeoutMs() > 0 ? ascii(Long.toString(j.timeoutMs())) : EMPTY);
      args.add(j.uniqueKey() == null ? EMPTY : j.uniqueKey().getBytes(StandardCharsets.UTF_8));
      args.add(
          j.idempotencyKey() == null ? EMPTY : j.idempotencyKey().getBytes(StandardCharsets.UTF_8));
      args.add(j.group() == null ? EMPTY : ascii(j.group()));
      // "" for most; the unique key's window after the job finished (ms), "d" at the end to
      // debounce
      args.add(
          j.uniqueForMs() == 0 && !j.debounce()
              ? EMPTY
              : ascii(j.uniqueForMs() + (j.debounce() ? "d" : "")));
      args.add(flow == null ? EMPTY : flow.getBytes(StandardCharsets.UTF_8));
      args.add(traceParent == null ? EMPTY : ascii(traceParent));
    }
    jobs++;
  }

  private String trace;

  /**
   * Makes every job added next carry the trace context {@code traceParent} (a bulk's, made in one
   * span).
   */
  void trace(String traceParent) {
    this.trace = traceParent;
  }

  int jobs() {
    return jobs;
  }

  /** How far the call's arguments reach: {@link #rollBack} takes it back there. */
  record Mark(int args, int jobs) {}

  Mark mark() {
    return new Mark(args.size(), jobs);
  }

  /** Forgets the jobs added since {@code m} (a flow of a shared call that one bad job refused). */
  void rollBack(Mark m) {
    args.subList(m.args(), args.size()).clear();
    jobs = m.jobs();
  }

  private static final byte[] IDEMPOTENCY_WINDOW =
      ascii(Long.toString(JobQueue.IDEMPOTENCY_WINDOW_MS));
  private static final byte[] NO_FIRES = ascii("0");
  private final List<byte[]> fires = new ArrayList<>();

  /**
   * Makes the jobs added next (count of them) the fire of a schedule the caller claimed (see
   * enqueueJobs-15.lua): they are created, and the schedule advanced to {@code nextFireAt}, only
   * while the claim is still the caller's.
   */
  void fire(String schedule, long claimEnd, long nextFireAt, int count) {
    fires.add(schedule.getBytes(StandardCharsets.UTF_8));
    fires.add(ascii(Long.toString(claimEnd)));
    fires.add(ascii(Long.toString(nextFireAt)));
    fires.add(ascii(Integer.toString(count)));
  }

  private String flowParent;

  /**
   * Makes every job of the call a child of the flow parent {@code queue}/{@code id}; before the
   * first add.
   */
  void flowParent(String queue, String id) {
    this.flowParent = queue + "\0" + id;
  }

  /**
   * Makes the call's first job a flow's parent (a child of {@code queue}/{@code id}, or of none
   * when null) and the others its children, in this one call (see enqueueJobs-15.lua); before the
   * first add.
   */
  void selfParent(String queue, String id) {
    this.flowParent = (queue == null ? "" : queue) + "\0" + (id == null ? "" : id) + "\0self";
  }

  /**
   * The call's arguments: the job key prefix, the number of jobs, the idempotency window, the
   * fires, the flow parent, each job's.
   */
  byte[][] toArgs(String jobPrefix) {
    byte[][] all = new byte[args.size() + fires.size() + 5][];
    all[0] = jobPrefix.getBytes(StandardCharsets.UTF_8);
    all[1] = ascii(Integer.toString(jobs));
    all[2] = IDEMPOTENCY_WINDOW;
    all[3] = fires.isEmpty() ? NO_FIRES : ascii(Integer.toString(fires.size() / 4));
    int k = 4;
    for (byte[] f : fires) all[k++] = f;
    all[k++] = flowParent == null ? EMPTY : flowParent.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < args.size(); i++) all[k + i] = args.get(i);
    return all;
  }

  /** Leaves the payload's UTF-8 bytes in {@code out}, or throws naming the problem. */
  private void writePayload(NewJob j) {
    String text = j.payloadText();
    try {
      if (text != null) {
        int lone = StrictJsonGenerator.loneSurrogateAt(text);
        if (lone >= 0)
          throw VertiqException.invalid(
              "payload: " + StrictJsonGenerator.loneSurrogate(text, lone));
        out.write(text.getBytes(StandardCharsets.UTF_8));
      } else {
        if (gen == null) gen = new StrictJsonGenerator(JSON.createGenerator(out));
        JacksonCodec.encodeJson(j.payload(), gen);
        gen.flush();
      }
    } catch (IOException | EncodeException e) {
      discard();
      throw VertiqException.invalid("payload: " + e.getMessage());
    }
    if (out.size() > maxPayloadBytes) {
      int size = out.size();
      out.reset();
      throw new VertiqException(
          VertiqException.Code.PAYLOAD_TOO_LARGE,
          "payload: " + size + " bytes is over the limit of " + maxPayloadBytes + " bytes");
    }
  }

  /** "\1<group> NUL" in front of a spec's tail: the group a plain job carries. */
  private static byte[] grouped(String group, byte[] tail) {
    byte[] head = ascii(group);
    byte[] b = new byte[head.length + 2 + tail.length];
    b[0] = 1;
    System.arraycopy(head, 0, b, 1, head.length);
    System.arraycopy(tail, 0, b, head.length + 2, tail.length);
    return b;
  }

  private byte[] take() {
    byte[] b = out.toByteArray();
    out.reset();
    return b;
  }

  /** Most jobs of a call share their name: encode it once. */
  private byte[] nameBytes(String name) {
    if (!name.equals(lastName)) {
      lastName = name;
      lastNameBytes = name.getBytes(StandardCharsets.UTF_8);
    }
    return lastNameBytes;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * A generator that failed mid-payload is in an unknown state: start the next payload on a new
   * one.
   */
  private void discard() {
    if (gen != null) {
      try {
        gen.close();
      } catch (IOException | RuntimeException ignored) {
        // its output is thrown away below
      }
      gen = null;
    }
    out.reset(); // the part of a payload written so far, and whatever closing the generator flushed
  }

  /** Hands the generator's buffers back to Jackson's pool. */
  @Override
  public void close() {
    discard();
  }
}
