package io.vertiq.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A three-master Redis Cluster of the test's own, on free ports, for tests of the cluster code
 * path.
 */
public final class RedisClusterProcess implements AutoCloseable {
  private final List<RedisServerProcess> nodes = new ArrayList<>();

  public static RedisClusterProcess launch() throws IOException, InterruptedException {
    return launch(0);
  }

  /** Three masters, each with {@code replicas} replicas. */
  public static RedisClusterProcess launch(int replicas) throws IOException, InterruptedException {
    RedisClusterProcess c = new RedisClusterProcess();
    for (int i = 0; i < 3 * (1 + replicas); i++) {
      c.nodes.add(
          RedisServerProcess.launch(
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              "nodes.conf",
              "--cluster-node-timeout",
              "5000"));
    }
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    for (RedisServerProcess n : c.nodes) cmd.add("127.0.0.1:" + n.port());
    cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
    Process create = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(create.getInputStream().readAllBytes());
    if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
      c.close();
      throw new IOException("redis-cli --cluster create failed: " + out);
    }
    long deadline = System.currentTimeMillis() + 30_000;
    while (!c.ok()) {
      if (System.currentTimeMillis() > deadline) {
        c.close();
        throw new IOException("cluster did not reach cluster_state:ok");
      }
      Thread.sleep(50); // polling the cluster state until the deadline
    }
    return c;
  }

  private boolean ok() throws IOException, InterruptedException {
    for (RedisServerProcess n : nodes) {
      Process p =
          new ProcessBuilder("redis-cli", "-p", Integer.toString(n.port()), "cluster", "info")
              .start();
      String info = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      if (!info.contains("cluster_state:ok")) return false;
    }
    return true;
  }

  /** Every node, masters and replicas. */
  public List<RedisServerProcess> nodes() {
    return List.copyOf(nodes);
  }

  public List<String> urls() {
    return nodes.stream().map(RedisServerProcess::url).toList();
  }

  @Override
  public void close() {
    nodes.forEach(RedisServerProcess::stop);
  }
}
