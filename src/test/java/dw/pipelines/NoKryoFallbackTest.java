package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkExecutionEnvironments;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests' embedded Flink runs forbid Flink's Kryo fallback (src/test/resources/flink-test-conf,
 * set by Surefire): so every backfill test on the Flink runner would fail if any element needed Kryo.
 * This checks that the setting really reaches the batch environment Beam creates.
 */
class NoKryoFallbackTest {
  @TempDir Path dir;

  private SecurityPingsOptions options() {
    return PipelineSupport.parse(
        new String[] {"--input=" + dir, "--warehouse=" + dir.resolve("w.duckdb")},
        SecurityPingsOptions.class);
  }

  @Test
  void testRunsUseTheTestFlinkConfiguration() {
    String conf = System.getProperty(PipelineSupport.DEFAULT_FLINK_CONF_PROPERTY);
    assertTrue(conf != null && conf.endsWith("flink-test-conf"), "Surefire sets " + conf);
    assertEquals(conf, options().getFlinkConfDir());
  }

  @Test
  void batchEnvironmentsRejectGenericTypes() {
    // Beam's local *streaming* environment (Flink 1.19 LocalStreamEnvironment) does not copy
    // pipeline.generic-types into its ExecutionConfig, so for streaming graphs the Beam-side check
    // (PipelineCodersTest: every element has a Beam coder, which Beam wraps in its own type
    // information) is what rules Kryo out.
    ExecutionConfig batch = FlinkExecutionEnvironments.createBatchExecutionEnvironment(options()).getConfig();
    assertTrue(batch.hasGenericTypesDisabled(), "batch environment allows Kryo");
    // and what that means: a type only Kryo could serialize is refused
    TypeInformation<Object> generic = new GenericTypeInfo<>(Object.class);
    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, () -> generic.createSerializer(batch));
    assertTrue(e.getMessage().contains("Generic types have been disabled"), e.getMessage());
  }

  @Test
  void anExplicitFlinkConfDirStillWins() {
    SecurityPingsOptions o =
        PipelineSupport.parse(
            new String[] {"--input=" + dir, "--flinkConfDir=" + dir.resolve("conf")},
            SecurityPingsOptions.class);
    assertEquals(dir.resolve("conf").toString(), o.getFlinkConfDir());
    assertFalse(o.getFlinkConfDir().endsWith("flink-test-conf"));
  }
}
