import io.vertiq.Job;
import io.vertiq.JobHandler;
import io.vertiq.JobQueue;
import io.vertiq.JobState;
import io.vertiq.NewJob;
import io.vertiq.Vertiq;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;

/**
 * An application that embeds Vertiq as a library, with its public API only: it runs a queue's workers in its own
 * Vert.x, enqueues a job and waits for the result. EmbeddingTest compiles it against the plain jar and runs it.
 */
public class EmbeddedApp {
  public static class Greet implements JobHandler {
    @Override
    public Future<Object> handle(Job job) {
      return Future.succeededFuture("hello " + job.payload().getString("to"));
    }
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String prefix = args[1];
    Vertx vertx = Vertx.vertx();
    JsonObject conf = new JsonObject()
        .put("redis", new JsonObject().put("url", url).put("keyPrefix", prefix))
        .put("http", new JsonObject().put("enabled", false))
        .put("queues", new JsonObject().put("greet", new JsonObject().put("handler", Greet.class.getName())));
    String service = Vertiq.deploy(vertx, conf).await();
    JobQueue greet = Vertiq.create(vertx, Redis.createClient(vertx, url), prefix, 512 * 1024).queue("greet");
    String id = greet.enqueue(NewJob.of("greet", new JsonObject().put("to", "ada"))).await().id();
    long deadline = System.currentTimeMillis() + 20_000;
    Job job = greet.get(id).await();
    while (job.state() != JobState.COMPLETED && System.currentTimeMillis() < deadline) {
      Thread.sleep(20); // polling the job's state, with the deadline above
      job = greet.get(id).await();
    }
    System.out.println("EMBEDDED " + job.state() + " " + job.result());
    vertx.undeploy(service).await();
    vertx.close().await();
    System.exit(job.state() == JobState.COMPLETED ? 0 : 1);
  }
}
