package io.vertiq.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The Redis integration tests share, found once per JVM: REDIS_URL when set, else a redis:7
 * container when a Docker engine answers, else a redis-server this JVM starts on a free port and
 * stops at exit.
 */
public final class TestRedis {
  private static final Logger LOG = LoggerFactory.getLogger(TestRedis.class);
  private static volatile String url;

  private TestRedis() {}

  public static synchronized String url() {
    if (url != null) return url;
    String env = System.getenv("REDIS_URL");
    if (env != null && !env.isBlank()) {
      url = env;
    } else if (dockerAvailable()) {
      GenericContainer<?> c = new GenericContainer<>("redis:7").withExposedPorts(6379);
      c.start();
      Runtime.getRuntime().addShutdownHook(new Thread(c::stop));
      url = "redis://" + c.getHost() + ":" + c.getMappedPort(6379);
    } else {
      RedisServerProcess p = RedisServerProcess.launch();
      Runtime.getRuntime().addShutdownHook(new Thread(p::stop));
      url = p.url();
    }
    LOG.info("tests use Redis at {}", url);
    return url;
  }

  private static boolean dockerAvailable() {
    // ask Testcontainers only where an engine may be: its probe logs an ERROR with a stack trace
    // when none answers
    boolean maybe =
        System.getenv("DOCKER_HOST") != null
            || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(
                Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
    if (!maybe) return false;
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }
}
