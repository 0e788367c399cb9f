package dw.testing;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/** Helpers for streaming tests on embedded Flink: waiting, stopping with a savepoint, resuming. */
public final class FlinkJobs {
  private FlinkJobs() {}

  /** A condition polled by {@link #waitFor}. */
  public interface Check {
    boolean ok() throws Exception;
  }

  /** Polls {@code check} every second for up to 180 s. */
  public static void waitFor(Check check, String what) throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (System.currentTimeMillis() < deadline) {
      if (check.ok()) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  /** Stops a detached embedded Flink job with a savepoint (Beam keeps the JobClient private). */
  public static String stopWithSavepoint(PipelineResult result, Path dir) throws Exception {
    Field f = result.getClass().getDeclaredField("jobClient");
    f.setAccessible(true);
    JobClient client = (JobClient) f.get(result);
    return client
        .stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
        .get(120, TimeUnit.SECONDS);
  }

  /** A Flink configuration folder ({@code --flinkConfDir}) that restores from {@code savepoint}. */
  public static Path restoreConf(Path dir, String savepoint) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("flink-conf.yaml"), "execution.savepoint.path: " + savepoint + "\n");
    return dir;
  }
}
