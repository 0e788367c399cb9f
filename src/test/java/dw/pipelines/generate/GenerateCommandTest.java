package dw.pipelines.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = GenerateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryFlagWithDefault() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String flag : List.of("--output", "--from", "--to", "--servers", "--seed", "--distributions",
        "--filesPerHour", "--threads", "--overwrite", "--help")) {
      assertTrue(r.out().contains(flag), flag);
    }
    assertTrue(r.out().contains("(default: 2000)"));
    assertTrue(r.out().contains("(default: 42)"));
  }

  @Test
  void badFlagsAreUsageErrors() {
    assertEquals(2, run("--nope=1").code());
    assertEquals(2, run("servers=3").code());
    assertEquals(2, run("--from=2026-13-01").code());
    assertEquals(2, run("--threads=0").code());
    assertEquals(2, run("--overwrite=maybe").code());
    assertEquals(2, run("--output=" + tmp, "--from=2026-10-02", "--to=2026-10-01").code());
  }

  @Test
  void printsOneJsonLineWithCountsAndSpeed() throws Exception {
    Path out = tmp.resolve("gen");
    Run r = run("--output=" + out, "--from=2026-10-01", "--to=2026-10-01", "--servers=120", "--seed=7",
        "--distributions=1", "--filesPerHour=3");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertEquals(1, lines.length);
    JsonNode j = new ObjectMapper().readTree(lines[0]);
    assertTrue(j.get("lines_per_second").asLong() > 0);
    assertTrue(j.get("parsed_pings").asLong() > 100);
    assertEquals(j.get("lines_read").asLong(), new LocalLogReader().read(out).linesRead);
    assertTrue(Files.exists(out.resolve("_truth/summary.json")));
    try (var s = Files.list(out)) {
      assertEquals(2, s.count(), "one distribution folder plus _truth");
    }
  }
}
