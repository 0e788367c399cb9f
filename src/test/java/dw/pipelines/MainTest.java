package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI: command list, help for every option, and clear one-paragraph errors. */
class MainTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void helpListsEveryCommand() {
    CliRun r = run("help");
    assertEquals(0, r.code());
    for (String c : Main.commands().keySet()) {
      assertTrue(r.out().contains(c), c + " missing from:\n" + r.out());
    }
  }

  @Test
  void commandHelpExplainsEveryOptionOfOurOwn() {
    for (String command : new String[] {"security-pings", "push-proxy"}) {
      Class<?> own = command.equals("push-proxy") ? PushProxyOptions.class : SecurityPingsOptions.class;
      assertHelpExplains(command, own, LogPipelineOptions.class, WarehouseOptions.class);
    }
  }

  @Test
  void theToolCommandsExplainEveryOptionAndRejectUnknownOnes() {
    assertHelpExplains("generate", dw.pipelines.generate.GenerateOptions.class);
    assertHelpExplains("demo", DemoOptions.class);
    assertHelpExplains("sql", SqlOptions.class);
    assertHelpExplains("startup-archive", StartupArchiveOptions.class);
    for (String command : new String[] {"generate", "demo", "sql", "startup-archive"}) {
      CliRun r = run(command, "--nope=1");
      assertEquals(2, r.code(), command);
      assertTrue(r.err().contains("error: " + command + ": ") && r.err().contains("unknown option --nope"), r.err());
    }
  }

  @Test
  void theStartupArchiveIsMadeOnlyForTheJobJar() {
    // the tests load the classes from target/classes, not from a jar: a clear refusal
    CliRun r = run("startup-archive");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("run it as java -jar dw-pipelines.jar startup-archive"), r.err());
  }

  private void assertHelpExplains(String command, Class<?>... types) {
    CliRun r = run(command, "--help");
    assertEquals(0, r.code(), r.err());
    for (Class<?> type : types) {
      for (Method m : type.getDeclaredMethods()) {
        if (!m.getName().startsWith("get")) {
          continue;
        }
        String option = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
        assertTrue(r.out().contains("--" + option), "--" + option + " missing from help");
        assertTrue(m.isAnnotationPresent(Description.class), option + " has no @Description");
        boolean hasDefault = false;
        for (var a : m.getAnnotations()) {
          hasDefault |= a.annotationType().getEnclosingClass() == Default.class;
        }
        assertTrue(hasDefault, option + " has no @Default");
      }
    }
  }

  @Test
  void theFlinkRunnerIsTheDefaultEvenWithoutTheDirectRunner() {
    SecurityPingsOptions o = PipelineSupport.parse(new String[] {"--input=x"}, SecurityPingsOptions.class);
    assertEquals(org.apache.beam.runners.flink.FlinkRunner.class, o.getRunner());
    assertTrue(o.getObjectReuse() && o.getFasterCopy());
    o = PipelineSupport.parse(new String[] {"--objectReuse=false"}, SecurityPingsOptions.class);
    assertFalse(o.getObjectReuse());
  }

  @Test
  void unknownCommandIsAnError() {
    CliRun r = run("nope");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown command 'nope'"), r.err());
  }

  @Test
  void badOptionsSayWhichOptionAndWhy() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    CliRun r = run("security-pings", "--input=" + dir.resolve("missing"), "--from=2026-01-01", "--to=2026-01-02");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--input=") && r.err().contains("no such file or folder"), r.err());

    r = run("security-pings", "--input=" + dir.resolve("in"), "--from=2026-01-01");
    assertTrue(r.err().contains("--from and --to go together"), r.err());

    r = run("security-pings", "--input=" + dir.resolve("in"), "--from=2026-01-40", "--to=2026-02-01");
    assertTrue(r.err().contains("--from=2026-01-40: not a date"), r.err());

    r = run("security-pings", "--input=" + dir.resolve("in"), "--from=2026-01-01", "--to=2026-01-02",
        "--excludedCountries=Russia");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Russia"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without DW_DEBUG: " + r.err());
  }

  @Test
  void aBrokenGeoIpDatabaseFailsAtStartWithTheFileNamed() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Path bad = dir.resolve("not-a-db.mmdb");
    Files.writeString(bad, "this is not a MaxMind database");
    CliRun r = run("security-pings", "--input=" + dir.resolve("in"), "--from=2026-01-01", "--to=2026-01-02",
        "--warehouse=" + dir.resolve("w.duckdb"), "--geoipCityDatabase=" + bad);
    assertEquals(1, r.code());
    assertTrue(r.err().contains(bad.toString()) && r.err().contains("--geoipCityDatabase"), r.err());
  }

  @Test
  void aNegativeGeoIpRefreshIsRejectedNamingTheOption() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    CliRun r = run("security-pings", "--input=" + dir.resolve("in"), "--from=2026-01-01", "--to=2026-01-02",
        "--warehouse=" + dir.resolve("w.duckdb"), "--geoipRefreshHours=-1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--geoipRefreshHours=-1"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without DW_DEBUG: " + r.err());
  }
}
