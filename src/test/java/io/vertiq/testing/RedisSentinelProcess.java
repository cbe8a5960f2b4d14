package io.vertiq.testing;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A Redis Sentinel of a test's own, on a free port, watching one master under a name. Stopped by {@link #close()}. */
public final class RedisSentinelProcess implements AutoCloseable {
  private final int port = RedisServerProcess.freePort();
  private final Process process;

  private RedisSentinelProcess(int masterPort, String masterName) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("vertiq-sentinel-");
    Path conf = dir.resolve("sentinel.conf"); // Sentinel rewrites its conf, so it must be a file of its own
    Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
        + "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1\n");
    process = new ProcessBuilder("redis-server", conf.toString(), "--sentinel").redirectErrorStream(true)
        .redirectOutput(new File(dir.toFile(), "sentinel.log")).start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          close();
          throw new IOException("redis sentinel did not listen on " + port + " within 10s");
        }
        Thread.sleep(20); // waiting for a process to bind: nothing to poll but the port itself
      }
    }
  }

  public static RedisSentinelProcess launch(int masterPort, String masterName) {
    try {
      return new RedisSentinelProcess(masterPort, masterName);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot start a redis sentinel: " + e, e);
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
