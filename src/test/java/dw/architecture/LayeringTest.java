package dw.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the direction of dependencies between the four source roots: pipelines → io → transforms →
 * geo, and nothing points back. Each root holds only its own package ({@code dw.<root>}).
 */
class LayeringTest {
  /** What each root may reference besides itself. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "geo", Set.of(),
          "transforms", Set.of("geo"),
          "io", Set.of("transforms", "geo"),
          "pipelines", Set.of("io", "transforms", "geo"));

  private static final Pattern REF = Pattern.compile("\\bdw\\.(geo|transforms|io|pipelines)\\b");

  @Test
  void sourceRootsDependOnlyDownwards() throws IOException {
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (String root : ALLOWED.keySet()) {
      Path dir = Paths.get(root, "src", "main", "java");
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".java"))::iterator) {
          files++;
          String rel = dir.relativize(p).toString().replace('\\', '/');
          if (!rel.startsWith("dw/" + root + "/")) {
            violations.add(p + ": must be in package dw." + root);
          }
          String src = Files.readString(p);
          Matcher m = REF.matcher(src);
          while (m.find()) {
            String target = m.group(1);
            if (!target.equals(root) && !ALLOWED.get(root).contains(target)) {
              violations.add(p + ": " + root + " must not reference dw." + target);
            }
          }
        }
      }
    }
    assertTrue(files > 10, "expected the sources to be found from the project root, saw " + files);
    assertEquals(List.of(), violations);
  }

  @Test
  void detectsAViolation() {
    Matcher m = REF.matcher("import dw.pipelines.Main;");
    assertTrue(m.find());
    assertEquals("pipelines", m.group(1));
  }
}
