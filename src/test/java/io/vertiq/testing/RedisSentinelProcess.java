package io.vertiq.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Sentinel of a test's own, on a free port, watching one master under a name. Stopped by
 * {@link #close()}.
 */
public final class RedisSentinelProcess implements AutoCloseable {
  private final int port = RedisServerProcess.freePort();
  private final Process process;

  private RedisSentinelProcess(int masterPort, String masterName, int quorum) throws IOException {
    Path dir = Files.createTempDirectory("vertiq-sentinel-");
    Path conf =
        dir.resolve("sentinel.conf"); // Sentinel rewrites its conf, so it must be a file of its own
    // quick to judge a master down and to fail over, as a test needs (the defaults are 30 s and 3
    // min)
    Files.writeString(
        conf,
        "port "
            + port
            + "\nbind 127.0.0.1\ndir "
            + dir
            + "\n"
            + "sentinel monitor "
            + masterName
            + " 127.0.0.1 "
            + masterPort
            + " "
            + quorum
            + "\n"
            + "sentinel down-after-milliseconds "
            + masterName
            + " 1000\n"
            + "sentinel failover-timeout "
            + masterName
            + " 5000\n");
    process =
        new ProcessBuilder("redis-server", conf.toString(), "--sentinel")
            .redirectErrorStream(true)
            .redirectOutput(new File(dir.toFile(), "sentinel.log"))
            .start();
    try {
      RedisServerProcess.awaitListening(port, "redis sentinel");
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  public static RedisSentinelProcess launch(int masterPort, String masterName) {
    return launch(masterPort, masterName, 1);
  }

  /** One of several sentinels that agree a master is down when {@code quorum} of them see it so. */
  public static RedisSentinelProcess launch(int masterPort, String masterName, int quorum) {
    try {
      return new RedisSentinelProcess(masterPort, masterName, quorum);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a redis sentinel: " + e, e);
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
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
