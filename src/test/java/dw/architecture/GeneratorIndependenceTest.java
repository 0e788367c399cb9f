package dw.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The generators are the oracles of the end-to-end tests, so they must not share rule code with the
 * pipelines: nothing under {@code dw.pipelines.generate} references the transforms (parsers,
 * classifiers, aggregations), the I/O layer, the GeoIP layer or other pipeline classes.
 */
class GeneratorIndependenceTest {
  private static final Pattern REF =
      Pattern.compile("\\bdw\\.(transforms|io|geo)\\b|\\bdw\\.pipelines\\.(?!generate\\b)[A-Za-z]");

  @Test
  void generatorsReferenceNoPipelineRuleClasses() throws IOException {
    Path dir = Paths.get("pipelines/src/main/java/dw/pipelines/generate");
    List<String> violations = new ArrayList<>();
    List<String> scanned = new ArrayList<>();
    int files = 0;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java"))::iterator) {
        files++;
        scanned.add(p.getFileName().toString());
        Matcher m = REF.matcher(Files.readString(p));
        while (m.find()) {
          violations.add(p.getFileName() + ": " + m.group());
        }
      }
    }
    assertTrue(files >= 4, "generator sources not found: " + files);
    // the security-ping generator's concerns, the oracle (PingTruth) above all
    for (String concern :
        List.of("SecurityPingGenerator.java", "PingServers.java", "PingSchedule.java", "PingNoise.java",
            "PingRendering.java", "PingTruth.java", "PingCounters.java", "AsciiOut.java")) {
      assertTrue(scanned.contains(concern), concern + " not scanned: " + scanned);
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void detectsAViolation() {
    assertTrue(REF.matcher("import dw.transforms.push.PushStatus;").find());
    assertTrue(REF.matcher("dw.pipelines.RunSummary").find());
    assertTrue(!REF.matcher("package dw.pipelines.generate;").find());
  }
}
