package dw.pipelines.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The generators are the ground truth of the pipeline tests, so they must state the rules
 * themselves: no source file of the generate package may use the pipelines' parsing, rules,
 * tables or sinks ({@code dw.transforms}, {@code dw.io}, {@code dw.geo}), nor another pipelines
 * class. A shared bug would otherwise pass every test.
 */
class GeneratorIndependenceTest {
  private static final Pattern REF = Pattern.compile("\\bdw\\.(transforms|io|geo)\\b|\\bdw\\.pipelines\\.(?!generate\\b)[A-Za-z]");

  @Test
  void generatorsShareNoRuleCodeWithThePipelines() throws IOException {
    Path dir = Path.of("pipelines/src/main/java/dw/pipelines/generate");
    List<String> violations = new ArrayList<>();
    int files = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java"))::iterator) {
        files++;
        Matcher m = REF.matcher(Files.readString(p));
        while (m.find()) {
          violations.add(p.getFileName() + ": " + m.group());
        }
      }
    }
    assertTrue(files >= 5, "generator sources not found from the project root: " + files);
    assertEquals(List.of(), violations);
  }

  @Test
  void theCheckSeesAReference() {
    assertTrue(REF.matcher("import dw.transforms.releases.ReleaseUri;").find());
    assertTrue(REF.matcher("dw.pipelines.ReleasesPipeline").find());
    assertTrue(!REF.matcher("dw.pipelines.generate.GeneratorNetworks").find());
  }
}
