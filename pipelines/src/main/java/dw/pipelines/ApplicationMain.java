package dw.pipelines;

/**
 * Entry point for Flink's application mode (the Kubernetes operator's {@code FlinkDeployment},
 * {@code flink run-application}): {@code main()} runs inside the JobManager, where {@link
 * Main#main}'s {@code System.exit} would end the JobManager itself. Runs the same commands and
 * turns a non-zero exit code into an exception, which Flink reports as the application's failure.
 */
public final class ApplicationMain {
  private ApplicationMain() {}

  public static void main(String[] args) {
    int code = Main.run(args, System.out, System.err);
    if (code != 0) {
      throw new IllegalStateException(
          (args.length > 0 ? args[0] : "dw-pipelines") + " ended with exit code " + code + " (see the log above)");
    }
  }
}
