package dw.pipelines;

import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * How {@code main()} of the job jar was started, which decides where jobs run, whether the caller
 * waits for them, and whether the JVM may be exited:
 *
 * <ul>
 *   <li>{@link #EMBEDDED}: {@code java -jar dw-pipelines.jar ...}; jobs run on an embedded Flink
 *       mini cluster (or on {@code --flinkMaster=host:port}); main() owns the JVM and exits it with
 *       the command's exit code.
 *   <li>{@link #FLINK_CLI}: {@code flink run [-d] dw-pipelines.jar ...}; Flink's CLI calls main()
 *       in its own JVM with a context environment that submits to its cluster. An exit code other
 *       than 0 may end that JVM; 0 returns to the CLI so it can finish.
 *   <li>{@link #IN_CLUSTER}: the dashboard or REST {@code /jars/<id>/run}; main() runs inside the
 *       JobManager, always detached. It must never call {@code System.exit} (that would end the
 *       JobManager): a failure is an exception, which REST returns to the caller.
 * </ul>
 */
enum Launch {
  EMBEDDED,
  FLINK_CLI,
  IN_CLUSTER;

  /** Detects the launch from Flink's context environment and the calling stack. */
  static Launch current() {
    if (!(StreamExecutionEnvironment.getExecutionEnvironment(new Configuration())
        instanceof StreamContextEnvironment)) {
      return EMBEDDED;
    }
    for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
      if (e.getClassName().equals("org.apache.flink.client.cli.CliFrontend")) {
        return FLINK_CLI;
      }
    }
    return IN_CLUSTER;
  }

  /** Jobs go to the Flink cluster of the context environment (not an embedded one). */
  boolean onCluster() {
    return this != EMBEDDED;
  }

  /**
   * Whether the submitter waits for the job: {@code flink run} without {@code -d}. A REST or
   * dashboard run is always detached; an embedded run is attached (main() is the job's lifetime).
   */
  boolean attached() {
    if (this == EMBEDDED) {
      return true;
    }
    return StreamExecutionEnvironment.getExecutionEnvironment(new Configuration())
        .getConfiguration()
        .get(DeploymentOptions.ATTACHED);
  }

  /** How a user names this way of starting the jar, for messages. */
  String describe() {
    return switch (this) {
      case EMBEDDED -> "java -jar (embedded Flink)";
      case FLINK_CLI -> "flink run (Flink CLI)";
      case IN_CLUSTER -> "the Flink dashboard / REST /jars/<id>/run (main() in the JobManager)";
    };
  }
}
