package io.vertiq.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server of a test's own, on a free port, for tests that stop, restart, fill or break Redis
 * (never the shared one). Stopped by {@link #close()}.
 */
public final class RedisServerProcess implements AutoCloseable {
  private final int port;
  private final Path dir;
  private final List<String> extra;
  private final String binary;
  private Process process;

  private RedisServerProcess(String binary, int port, List<String> extra) throws IOException {
    this.binary = binary;
    this.port = port;
    this.extra = extra;
    this.dir = Files.createTempDirectory("vertiq-redis-");
  }

  public static RedisServerProcess launch(String... extraArgs) {
    return launchServer("redis-server", extraArgs);
  }

  /** A server of another binary that takes redis-server's arguments (valkey-server). */
  public static RedisServerProcess launchServer(String binary, String... extraArgs) {
    try {
      RedisServerProcess p = new RedisServerProcess(binary, freePort(), List.of(extraArgs));
      p.start();
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e, e);
    }
  }

  public void start() throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--maxmemory-policy",
                "noeviction"));
    cmd.addAll(extra);
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(new File(dir.toFile(), "redis.log"))
            .start();
    awaitListening(port, "redis-server");
  }

  /** Waits up to 10s for a process of the test's to accept connections on {@code port}. */
  static void awaitListening(int port, String what) throws IOException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        if (s.isConnected()) return;
      } catch (IOException e) {
        try {
          Thread.sleep(20); // waiting for a process to bind: nothing to poll but the port itself
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for " + what + " on " + port);
        }
      }
    }
    throw new IOException(what + " did not listen on " + port + " within 10s");
  }

  public void stop() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered, as in a stall. */
  public void pause() {
    signal("STOP");
  }

  /** Lets a paused server go on (SIGCONT). */
  public void resume() {
    signal("CONT");
  }

  /**
   * Kills the server at once (SIGKILL), as a crash: what it had not written to its append-only file
   * is gone.
   */
  public void kill() {
    signal("KILL");
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private void signal(String name) {
    try {
      int code =
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (code != 0) throw new IllegalStateException("kill -" + name + " exited " + code);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The server's data folder (its append-only file lives there). */
  public Path dir() {
    return dir;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    stop();
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
