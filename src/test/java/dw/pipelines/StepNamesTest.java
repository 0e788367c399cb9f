package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins every step name of the pipelines. Beam uses a step's full name as its Flink operator UID,
 * so renaming, re-nesting or adding a same-named step breaks restoring from a savepoint. When a
 * change here is deliberate, regenerate the golden file with -Ddw.updateGolden=true and say in the
 * release notes that savepoints of the old version cannot be restored.
 */
class StepNamesTest {
  @TempDir Path dir;

  static List<String> stepNames(Pipeline p) {
    TreeSet<String> names = new TreeSet<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (!node.isRootNode()) {
              names.add(node.getFullName());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
          }
        });
    return new ArrayList<>(names);
  }

  private List<String> securityPingsSteps(boolean bounded) throws IOException {
    return securityPingsSteps(bounded, false);
  }

  private List<String> securityPingsSteps(boolean bounded, boolean lake) throws IOException {
    Files.createDirectories(dir.resolve("in"));
    List<String> args = new ArrayList<>(List.of(
        "--input=" + dir.resolve("in"), "--warehouse=" + dir.resolve("w.duckdb")));
    if (bounded) {
      args.add("--from=2026-11-01");
      args.add("--to=2026-11-02");
    }
    if (lake) {
      args.add("--lake=" + dir.resolve("lake"));
    }
    SecurityPingsOptions o = PipelineSupport.parse(args.toArray(new String[0]), SecurityPingsOptions.class);
    SecurityPingsPipeline.Config c = SecurityPingsPipeline.validate(o);
    Pipeline p = Pipeline.create(o);
    SecurityPingsPipeline.build(p, o, c);
    return stepNames(p);
  }

  @Test
  void securityPingsStreamingIntoSnowflakeStepNamesArePinned() throws Exception {
    Path key = dir.resolve("rsa_key.p8");
    dw.testing.TestKeys.writeRsaPrivateKey(key);
    Files.createDirectories(dir.resolve("in"));
    String[] args = {
      "--input=" + dir.resolve("in"),
      "--warehouse=snowflake://acme/DB/PUBLIC",
      "--snowflakeUser=LOADER",
      "--snowflakePrivateKeyFile=" + key,
      "--snowflakeWarehouse=LOAD_WH",
      "--snowflakeStagingBucket=s3://stage/dw/",
      "--snowflakeStorageIntegration=DW_S3",
      "--ipHashKeyFile=" + Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef")
    };
    SecurityPingsOptions o = PipelineSupport.parse(args, SecurityPingsOptions.class);
    SecurityPingsPipeline.Config c = SecurityPingsPipeline.validate(o);
    Pipeline p = Pipeline.create(o);
    SecurityPingsPipeline.build(p, o, c);
    List<String> steps = stepNames(p);
    assertGolden("security-pings.streaming-snowflake.steps", steps);
    // the same top-level steps as with the other warehouses, plus the raw events
    List<String> top = steps.stream().filter(n -> !n.contains("/")).toList();
    List<String> others = securityPingsSteps(false).stream().filter(n -> !n.contains("/")).toList();
    List<String> expected = new ArrayList<>(others);
    expected.add("WritePingsToSnowflake");
    expected.sort(null);
    assertEquals(expected, top);
  }

  static void assertGolden(String resource, List<String> actual) throws IOException {
    Path golden = Paths.get("src/test/resources/dw/pipelines", resource);
    if (Boolean.getBoolean("dw.updateGolden")) {
      Files.write(golden, actual, StandardCharsets.UTF_8);
    }
    List<String> expected;
    try (InputStream in = StepNamesTest.class.getResourceAsStream(resource)) {
      expected = in == null ? List.of() : List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
    assertEquals(expected, actual, "step names changed: savepoints of the previous version would not restore");
  }

  @Test
  void securityPingsBackfillStepNamesArePinned() throws IOException {
    assertGolden("security-pings.bounded.steps", securityPingsSteps(true));
  }

  @Test
  void securityPingsStreamingStepNamesArePinned() throws IOException {
    assertGolden("security-pings.streaming.steps", securityPingsSteps(false));
  }

  @Test
  void securityPingsWithLakeStepNamesArePinned() throws IOException {
    List<String> streaming = securityPingsSteps(false, true);
    assertGolden("security-pings.streaming-lake.steps", streaming);
    List<String> without = securityPingsSteps(false, false);
    assertEquals(without, streaming.stream().filter(n -> !n.startsWith("WritePingsToLake")).toList(),
        "--lake only adds steps under WritePingsToLake");
  }

  static List<String> pushProxySteps(Path dir, boolean bounded) throws IOException {
    return pushProxySteps(dir, bounded, false);
  }

  static List<String> pushProxySteps(Path dir, boolean bounded, boolean lake) throws IOException {
    Files.createDirectories(dir.resolve("in"));
    List<String> args = new ArrayList<>(List.of(
        "--input=" + dir.resolve("in"),
        "--warehouse=" + dir.resolve("w.duckdb"),
        "--deployments=US=app/push-proxy-us,EU=app/push-proxy-eu"));
    if (bounded) {
      args.add("--from=2026-11-01");
      args.add("--to=2026-11-02");
    }
    if (lake) {
      args.add("--lake=" + dir.resolve("lake"));
    }
    PushProxyOptions o = PipelineSupport.parse(args.toArray(new String[0]), PushProxyOptions.class);
    PushProxyPipeline.Config c = PushProxyPipeline.validate(o);
    Pipeline p = Pipeline.create(o);
    PushProxyPipeline.build(p, o, c);
    return stepNames(p);
  }

  @Test
  void pushProxyBackfillStepNamesArePinned() throws IOException {
    assertGolden("push-proxy.bounded.steps", pushProxySteps(dir, true));
  }

  @Test
  void pushProxyStreamingStepNamesArePinned() throws IOException {
    List<String> steps = pushProxySteps(dir, false);
    assertGolden("push-proxy.streaming.steps", steps);
    // the shared reading step keeps the name security-pings has pinned
    assertEquals(true, steps.contains("ParsePushRequests/ReadParseEnrich"), steps.toString());
  }

  @Test
  void pushProxyWithLakeStepNamesArePinned() throws IOException {
    List<String> streaming = pushProxySteps(dir, false, true);
    assertGolden("push-proxy.streaming-lake.steps", streaming);
    assertEquals(
        pushProxySteps(dir, false, false),
        streaming.stream().filter(n -> !n.startsWith("WriteRequestsToLake")).toList(),
        "--lake only adds steps under WriteRequestsToLake");
  }

  @Test
  void pushProxyBuildsForSnowflakeBatchAndStreaming() throws Exception {
    Path key = dir.resolve("rsa_key_push.p8");
    dw.testing.TestKeys.writeRsaPrivateKey(key);
    Files.createDirectories(dir.resolve("in"));
    for (boolean bounded : new boolean[] {true, false}) {
      List<String> args = new ArrayList<>(List.of(
          "--input=" + dir.resolve("in"),
          "--warehouse=snowflake://acme/DB/PUBLIC",
          "--snowflakeUser=LOADER",
          "--snowflakePrivateKeyFile=" + key,
          "--snowflakeWarehouse=LOAD_WH",
          "--snowflakeStagingBucket=s3://stage/dw/",
          "--snowflakeStorageIntegration=DW_S3",
          "--ipHashKeyFile=" + Files.writeString(dir.resolve("ip-push.key"), "0123456789abcdef0123456789abcdef")));
      if (bounded) {
        args.add("--from=2026-11-01");
        args.add("--to=2026-11-02");
      }
      PushProxyOptions o = PipelineSupport.parse(args.toArray(new String[0]), PushProxyOptions.class);
      Pipeline p = Pipeline.create(o);
      PushProxyPipeline.build(p, o, PushProxyPipeline.validate(o));
      List<String> top = stepNames(p).stream().filter(n -> !n.contains("/")).toList();
      List<String> local = pushProxySteps(dir, bounded).stream().filter(n -> !n.contains("/")).toList();
      assertEquals(local, top, "the same steps as with the other warehouses");
    }
  }
}
