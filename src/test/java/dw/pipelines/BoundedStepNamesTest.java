package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the step names of the bounded pipelines {@code releases} and {@code licenses} (golden files
 * beside {@link StepNamesTest}'s; regenerate with -Ddw.updateGolden=true when a change is
 * deliberate), that every element has a structured coder, and that both refuse to run unbounded.
 */
class BoundedStepNamesTest {
  @TempDir Path dir;

  private String[] args(String... more) throws IOException {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef");
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "--input=" + dir.resolve("in"),
                "--warehouse=" + dir.resolve("w.duckdb"),
                "--ipHashKeyFile=" + dir.resolve("ip.key")));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void releasesStepNamesArePinned() throws IOException {
    ReleasesOptions o =
        PipelineSupport.parse(args("--from=2026-11-01", "--to=2026-11-02"), ReleasesOptions.class);
    Pipeline p = Pipeline.create(o);
    ReleasesPipeline.build(p, o, ReleasesPipeline.validate(o));
    List<String> steps = StepNamesTest.stepNames(p);
    assertTrue(steps.contains("ParseDownloads/ReadParseEnrich"), steps.toString());
    StepNamesTest.assertGolden("releases.bounded.steps", steps);
    assertStructuredCoders(p);
  }

  /** Every element has a Beam or block coder: no Java serialization, no Kryo (see PipelineCodersTest). */
  private static void assertStructuredCoders(Pipeline p) {
    List<String> bad = new java.util.ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitValue(
              org.apache.beam.sdk.values.PValue value, org.apache.beam.sdk.runners.TransformHierarchy.Node producer) {
            if (value instanceof org.apache.beam.sdk.values.PCollection<?> pc) {
              String c = PipelineCodersTest.describe(pc.getCoder());
              if (c.contains("Serializable") || c.contains("Kryo")) {
                bad.add(pc.getName() + ": " + c);
              }
            }
          }
        });
    assertEquals(List.of(), bad);
  }

  @Test
  void licensesStepNamesArePinned() throws IOException {
    LicensesOptions o =
        PipelineSupport.parse(args("--from=2020-01-01", "--to=2020-01-05"), LicensesOptions.class);
    Pipeline p = Pipeline.create(o);
    LicensesPipeline.build(p, o, LicensesPipeline.validate(o));
    List<String> steps = StepNamesTest.stepNames(p);
    assertTrue(steps.contains("ParseLicenses/ReadParseEnrich"), steps.toString());
    StepNamesTest.assertGolden("licenses.bounded.steps", steps);
    assertStructuredCoders(p);
  }

  @Test
  void bothAreBoundedOnly() throws IOException {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReleasesPipeline.validate(PipelineSupport.parse(args(), ReleasesOptions.class)));
    assertEquals("releases is a bounded pipeline: give --from and --to (UTC days, YYYY-MM-DD)", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LicensesPipeline.validate(
                    PipelineSupport.parse(
                        args("--from=2020-01-01", "--to=2020-01-02", "--lake=" + dir.resolve("lake")),
                        LicensesOptions.class)));
    assertTrue(e.getMessage().startsWith("--lake: licenses writes no lake"), e.getMessage());
  }
}
