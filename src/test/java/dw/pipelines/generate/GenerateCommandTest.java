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
  void helpListsEveryOptionWithDefault() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String flag : List.of("--dataset", "--output", "--from", "--to", "--servers", "--seed", "--distributions",
        "--filesPerHour", "--threads", "--overwrite", "--requestsPerHour", "--downloadsPerDay", "--licenses")) {
      assertTrue(r.out().contains(flag), flag);
    }
    assertTrue(r.out().contains("Default: 2000"), r.out());
    assertTrue(r.out().contains("Default: 42"), r.out());
  }

  @Test
  void badFlagsAreUsageErrors() {
    Run r = run("--nope=1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown option --nope"), r.err());
    assertEquals(2, run("servers=3").code());
    r = run("--from=2026-13-01");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--from=2026-13-01: not a date"), r.err());
    assertEquals(2, run("--threads=65").code());
    assertEquals(2, run("--overwrite=maybe").code());
    assertEquals(2, run("--output=" + tmp, "--from=2026-10-02", "--to=2026-10-01").code());
    r = run("--dataset=push-proxy", "--servers=3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--servers is an option of --dataset=security-pings"), r.err());
    assertEquals(2, run("--dataset=nope").code());
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
