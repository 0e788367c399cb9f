package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the jar decides before submitting to a cluster: the launch it was started by, the job's
 * name, and the embedded-only defaults it refuses there (LocalClusterIT runs the real cluster).
 */
class ClusterSubmissionTest {
  @TempDir Path dir;

  private SecurityPingsOptions options(String... extra) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    String[] args = new String[extra.length + 1];
    args[0] = "--input=" + dir.resolve("in");
    System.arraycopy(extra, 0, args, 1, extra.length);
    return PipelineSupport.parse(args, SecurityPingsOptions.class);
  }

  @Test
  void aTestJvmIsAnEmbeddedLaunch() {
    assertEquals(Launch.EMBEDDED, Launch.current());
    assertTrue(Launch.EMBEDDED.attached());
  }

  @Test
  void jobNamesSayPipelineModeAndInputUnlessGiven() throws Exception {
    SecurityPingsOptions backfill = options("--from=2026-11-01", "--to=2026-11-02", "--warehouse=" + dir.resolve("w.duckdb"));
    assertEquals("", backfill.getJobName(), "not chosen");
    assertEquals("security-pings backfill 2026-11-01..2026-11-02",
        SecurityPingsCommand.jobName(SecurityPingsPipeline.validate(backfill), backfill));
    SecurityPingsOptions stream = options("--warehouse=" + dir.resolve("w.duckdb"));
    assertEquals("security-pings stream " + dir.resolve("in"),
        SecurityPingsCommand.jobName(SecurityPingsPipeline.validate(stream), stream));
    assertEquals("mine", options("--jobName=mine").getJobName());
  }

  @Test
  void aClusterRefusesTheEmbeddedWarehouseAndAGeneratedKey() throws Exception {
    IllegalArgumentException warehouse = assertThrows(IllegalArgumentException.class,
        () -> SecurityPingsCommand.refuseEmbeddedDefaults(options(), Launch.FLINK_CLI));
    assertTrue(warehouse.getMessage().startsWith("--warehouse: the job goes to a Flink cluster (flink run"), warehouse.getMessage());
    if (System.getenv("DW_IP_HASH_KEY") == null && System.getenv("DW_IP_HASH_KEY_FILE") == null) {
      IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
          () -> SecurityPingsCommand.refuseEmbeddedDefaults(
              options("--warehouse=jdbc:postgresql://db:5432/x"), Launch.IN_CLUSTER));
      assertTrue(key.getMessage().startsWith("--ipHashKeyFile: the job goes to a Flink cluster"), key.getMessage());
    }
    SecurityPingsCommand.refuseEmbeddedDefaults(
        options("--warehouse=jdbc:postgresql://db:5432/x", "--ipHashKeyFile=" + dir.resolve("key")), Launch.FLINK_CLI);
    assertTrue(SecurityPingsCommand.isEmbeddedMaster("[auto]"));
    assertTrue(!SecurityPingsCommand.isEmbeddedMaster("127.0.0.1:8081"));
  }

  @Test
  void cancellationIsRecognisedInAWrappedFailure() {
    RuntimeException wrapped = new RuntimeException("Pipeline execution failed",
        new IllegalStateException("Job failed", new java.io.IOException("connection refused")));
    assertTrue(!SecurityPingsCommand.cancelled(wrapped));
    RuntimeException cancelled = new RuntimeException("Pipeline execution failed",
        new org.apache.flink.runtime.client.JobCancellationException(null, "Job was cancelled.", null));
    assertTrue(SecurityPingsCommand.cancelled(cancelled));
  }
}
